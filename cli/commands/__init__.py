"""One module per `ecu` subcommand (see cli/main.py)."""
