"""`ecu sessions`: list the saved chat sessions under ECU_HOME."""

from __future__ import annotations

import argparse
import json

HELP = "list saved chat sessions (id, updated, title, shots); resume one with `ecu chat --resume ID`"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the list as JSON")


def run(args: argparse.Namespace) -> int:
    from agent.config import Config
    from agent.session import Session

    config = Config.from_env()
    infos = Session.list_all(config.home)
    if args.json:
        print(json.dumps([info.model_dump() for info in infos], indent=2))
        return 0
    if not infos:
        print(f"no saved sessions under {Session.folder(config.home)}")
        return 0
    rows = [("ID", "UPDATED", "SHOTS", "TITLE")]
    rows += [(info.id, info.updated.replace("T", " ")[:19], str(info.shots), info.title) for info in infos]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths)) + "  " + row[3])
    return 0
