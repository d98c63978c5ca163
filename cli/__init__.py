"""The `ecu` command line: the top floor, and the only place that wires the faces (tui, evals, slackbot) together.

`cli.main` builds the parser from `cli/commands/<name>.py`; each command reads its settings once
(`agent.settings.Settings`) and hands them down.
"""
