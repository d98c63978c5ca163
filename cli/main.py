"""The `ecu` command line. Each subcommand lives in `cli/commands/<name>.py`.

A command module defines `HELP`, `add_arguments(parser)` and `run(args, settings) -> int`,
and imports anything heavy inside `run`, so `ecu --help` stays fast. The settings (`agent.settings.Settings`:
the ECU_* variables with the flags given winning) are built here, once, and handed to the command.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from agent.errors import EcuError


def command_names() -> list[str]:
    """Every subcommand's name, read from the package's files without importing any of them."""
    from cli import commands

    return sorted(info.name for info in pkgutil.iter_modules(commands.__path__) if not info.name.startswith("_"))


def _command_modules(only: str | None = None):
    for name in command_names():
        if only is None or name == only:
            yield name, importlib.import_module(f"cli.commands.{name}")


def flag_for(name: str) -> str:
    """The CLI's word for a setting or option an error names: its flag (`image_model` -> `--image-model`)."""
    from agent.settings import Settings

    return Settings.FLAGS.get(name) or "--" + name.replace("_", "-")


def _flag_dests(parser: argparse.ArgumentParser) -> dict[str, str]:
    """Each option string of a command and the attribute its value lands on (`--api-base` -> `api_base`)."""
    return {flag: action.dest for action in parser._actions for flag in action.option_strings}


def settings_from(args: argparse.Namespace):
    """The settings for this run: ECU_* variables, with the command's setting flags that were given winning."""
    from agent.settings import Settings

    return Settings.from_flags({flag: getattr(args, dest, None) for flag, dest in args.flag_dests.items()
                                if flag in Settings.FLAGS.values()})


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The `ecu` parser; with `only`, just that subcommand (all its own arguments, help and errors need): the
    others' modules and parsers cost ~15 ms of every start and parsing one command's arguments never reads them."""
    parser = argparse.ArgumentParser(
        prog="ecu", description="Turn a marketing brief into an extreme close-up (ECU) shot plan.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in _command_modules(only):
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(handler=module.run, flag_dests=_flag_dests(command))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # A command named first is parsed by its own parser; anything else (--help, a typo) gets every command.
    parser = build_parser(argv[0] if argv and argv[0] in command_names() else None)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args, settings_from(args)) or 0)
    except EcuError as err:
        print(f"ecu: error: {err.told(flag_for)}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("ecu: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
