"""Planning in a child process with a time limit, so a slow plan never stalls the bot's acks.

Threads are not enough: one long regex or C loop holds the interpreter lock for its whole run,
and every HTTP ack waits behind it. A forked child has its own interpreter; the parent only
waits on a pipe (which releases the lock) and kills the child when the time limit passes.

The child plans on its copy of the session and sends the result back as JSON, with the error
(if any) that `Session.send` raised. Where `fork` is not available (macOS, Windows), planning
runs in the calling thread instead: the time limit still stops the wait, but cannot stop the work.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
import sys
import threading
import traceback
from dataclasses import dataclass

from agent.config import Config
from agent.errors import LimitExceeded, PlanError
from agent.session import Session

CHILD_NICENESS = 5  # the parent answers Slack within 3 s; planning children yield the CPU to it
KILL_GRACE_S = 2.0
# One fork at a time: a fork takes milliseconds, and filelock (sessions lock with it) refuses a fork that
# overlaps another thread's fork.
_FORKING = threading.Lock()


@dataclass
class Outcome:
    session: Session  # the session after the message (unchanged when planning failed)
    error: BaseException | None = None  # what Session.send raised, if anything
    trace: str = ""  # the child's traceback for the log, when the error was not an EcuError


def time_limit_s(config: Config) -> float:
    """The agent stops itself at its own time limit; the child is killed a little after, as a backstop."""
    return config.limits.timeout_s + 30.0


def send_in_child(session: Session, text: str, config: Config, limit_s: float | None = None) -> Outcome:
    """`session.send(text, config)` in a forked child, killed after `limit_s` seconds (default: `time_limit_s`)."""
    limit_s = time_limit_s(config) if limit_s is None else limit_s
    if not _can_fork():
        return _send_here(session, text, config)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, session, text, config), name="ecu-plan", daemon=True)
    with _FORKING:
        child.start()
    sender.close()
    try:
        if not receiver.poll(limit_s):
            raise LimitExceeded(f"planning took longer than {limit_s:g}s and was stopped")
        session_json, error, trace = receiver.recv()
    except EOFError:  # killed from outside, out of memory...
        raise PlanError(f"the planning process ended unexpectedly (exit code {child.exitcode})") from None
    finally:
        receiver.close()
        _stop(child)
    return Outcome(Session.model_validate_json(session_json), error, trace)


def _child(sender, session: Session, text: str, config: Config) -> None:
    try:
        os.nice(CHILD_NICENESS)
    except OSError:
        pass
    outcome = _send_here(session, text, config)
    error = outcome.error
    try:
        pickle.dumps(error)
    except Exception:  # an exception carrying something unpicklable: its type and text are enough
        error = RuntimeError(f"{type(error).__name__}: {error}")
    sender.send((outcome.session.model_dump_json(), error, outcome.trace))
    sender.close()


def _send_here(session: Session, text: str, config: Config) -> Outcome:
    try:
        asyncio.run(session.send(text, config))
    except Exception as err:
        from agent.errors import EcuError

        return Outcome(session, err, "" if isinstance(err, EcuError) else traceback.format_exc())
    return Outcome(session)


def _stop(child) -> None:
    if child.is_alive():
        child.terminate()
        child.join(KILL_GRACE_S)
    if child.is_alive():
        child.kill()
    child.join()


def _can_fork() -> bool:
    # macOS's system libraries are not fork-safe once threads run; Windows has no fork.
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
