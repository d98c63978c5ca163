"""`ecu sessions`: list the saved chat sessions under ECU_HOME."""

from __future__ import annotations

import argparse
import json
import os
import sys

from agent.config import Config

HELP = "list saved chat sessions (id, updated, title, shots); resume one with `ecu chat --resume ID`"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the list as JSON")


def run(args: argparse.Namespace, settings) -> int:
    from agent.session import Session, SessionStorageError

    config = Config.from_settings(settings)
    problem = Session.folder_problem(config.home)
    folder = Session.folder(config.home)
    if problem and not (folder.is_dir() and os.access(folder, os.R_OK | os.X_OK)):
        raise SessionStorageError(problem)  # nothing can be listed, and "no saved sessions" would hide why
    infos = Session.list_all(config.home, damaged=True)
    if args.json:
        print(json.dumps([info.model_dump() for info in infos], indent=2))
    elif not infos:
        print(f"no saved sessions under {Session.folder(config.home)}")
    else:
        rows = [("ID", "UPDATED", "SHOTS", "TITLE")]
        rows += [(info.id, info.updated.replace("T", " ")[:19], "-" if info.damaged else str(info.shots), info.title)
                 for info in infos]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            print("  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths)) + "  " + row[3])
    if problem:  # listed what could be read; saving will fail, so say so and exit non-zero
        print(f"ecu: error: {problem}", file=sys.stderr)
        return SessionStorageError.exit_code
    return 0
