"""The `ecu` command line. Each subcommand lives in `cli/commands/<name>.py`.

A command module defines `HELP`, `add_arguments(parser)` and `run(args) -> int`,
and imports anything heavy inside `run`, so `ecu --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from agent.errors import EcuError


def _command_modules():
    from cli import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            yield info.name, importlib.import_module(f"cli.commands.{info.name}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecu", description="Turn a marketing brief into an extreme close-up (ECU) shot plan.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in _command_modules():
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(handler=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except EcuError as err:
        print(f"ecu: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("ecu: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
