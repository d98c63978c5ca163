"""One module per `ecu` subcommand (see agent/cli.py)."""
