"""`silkbridge schedule INSTANCE.json [--output PLAN.json] [--time-limit S] [--work-limit S] [--seed N]`.

The scheduler is a file-to-file engine run: it needs no database, no settings and no Django, so
``silkbridge/__main__.py`` runs it straight from here and the command starts working at once (a full Django
start-up imports every app and took seconds on the shared 2-core machine). The management command
``schedule`` calls the same ``run`` (for ``call_command`` and the tests).

The instance and plan formats are documented in docs/events.md. Invalid input exits with status 1 and one
line per problem on standard error, each naming the place and the reason. Progress goes to standard error,
one line per solver phase; the solvers (SciPy, OR-Tools) are imported once the instance has been read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from silkbridge.events.engine.instance import InstanceError


class UsageError(Exception):
    """A problem with the command line or the input file; the message names it."""


def add_arguments(parser: Any) -> None:
    parser.add_argument("instance", help="the instance, JSON")
    parser.add_argument("--output", help="where to write the plan (default: standard output)")
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds (default 30)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--work-limit",
        type=float,
        default=None,
        help="seconds of reference-machine work the phases may do (default: the time limit); the same "
        "seed and work limit give the same plan unless the time limit cuts a phase short",
    )


def run(options: dict[str, Any], *, stdout: TextIO, stderr: TextIO) -> None:
    """Schedule ``options["instance"]``; raises ``UsageError`` (nothing written) on any problem."""
    started = time.monotonic()
    if not 0 < options["time_limit"] <= 3600:
        raise UsageError("--time-limit must be between 0 and 3600 seconds")
    if options.get("work_limit") is not None and not 0 < options["work_limit"] <= 3600:
        raise UsageError("--work-limit must be between 0 and 3600 seconds")
    output = Path(options["output"]) if options.get("output") else None
    if output is not None:
        _check_writable(output)  # before the solve: a plan computed for minutes must not be lost at the end
    path = Path(options["instance"])
    _line(stderr, f"reading {path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as error:
        raise UsageError(f"{path}: no such file") from error
    except IsADirectoryError as error:
        raise UsageError(f"{path}: cannot read the instance: it is a folder") from error
    except OSError as error:
        raise UsageError(f"{path}: cannot read the instance: {_reason(error)}") from error
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: not UTF-8 text") from error
    except json.JSONDecodeError as error:
        raise UsageError(f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from error

    from silkbridge.events.engine.scheduler import schedule_json  # the solvers load here

    def progress(fraction: float, phase: str) -> None:
        _line(stderr, f"{phase} ({time.monotonic() - started:.1f} s)")

    try:
        # The time limit covers the whole command: reading the file and loading the solvers count against
        # it. The work (what makes a plan reproducible) is still sized by the limit given.
        plan = schedule_json(
            data,
            time_limit=max(0.01, options["time_limit"] - (time.monotonic() - started)),
            seed=options["seed"],
            work_limit=options.get("work_limit") or options["time_limit"],
            on_progress=progress,
        )
    except InstanceError as error:
        for message in error.messages:
            _line(stderr, f"error: {message}")
        raise UsageError(f"{path}: {len(error.messages)} problem(s); no plan written") from error
    text = json.dumps(plan, ensure_ascii=False, indent=2)
    if output is not None:
        try:
            output.write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            # The check before the solve passed, so this is rare (a full disk, a folder removed meanwhile):
            # the plan goes to standard output rather than being lost.
            _line(stdout, text)
            raise UsageError(
                f"{output}: cannot write the plan: {_reason(error)}; the plan is on standard output"
            ) from error
        _line(
            stderr,
            f"{len(plan['meetings'])} meetings, objective {plan['objective']}, upper bound {plan['upper_bound']} "
            f"({plan['status']}), {plan['idle_gaps']} idle gaps, {plan['seconds']:.2f} s",
        )
    else:
        _line(stdout, text)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="silkbridge schedule", description="Place accepted meeting requests in slots and tables."
    )
    add_arguments(parser)
    options = vars(parser.parse_args(argv))
    try:
        run(options, stdout=sys.stdout, stderr=sys.stderr)
    except UsageError as error:
        _line(sys.stderr, f"CommandError: {error}")
        return 1
    return 0


def _check_writable(output: Path) -> None:
    """Raise ``UsageError`` unless ``output`` can be created or overwritten; writes nothing."""
    if output.is_dir():
        raise UsageError(f"{output}: cannot write the plan: it is a folder")
    if output.exists():
        if not os.access(output, os.W_OK):
            raise UsageError(f"{output}: cannot write the plan: permission denied")
        return
    folder = output.parent
    if not folder.exists():
        raise UsageError(f"{output}: cannot write the plan: the folder {folder} does not exist")
    if not folder.is_dir():
        raise UsageError(f"{output}: cannot write the plan: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{output}: cannot write the plan: the folder {folder} is not writable")


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _line(stream: TextIO, text: str) -> None:
    stream.write(text + "\n")
    stream.flush()
