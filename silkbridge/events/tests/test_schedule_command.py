"""`silkbridge schedule INSTANCE.json --output PLAN.json` in the documented formats."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

INSTANCE = {
    "slots": [
        {"id": "s1", "start": "2027-03-10T09:00:00+05:00", "minutes": 25, "tables": 1},
        {"id": "s2", "start": "2027-03-10T09:30:00+05:00", "minutes": 25, "tables": 1},
    ],
    "participants": [
        {"id": "p1", "available": ["s1", "s2"], "max_meetings": 10},
        {"id": "p2", "available": ["s1", "s2"]},
        {"id": "p3", "available": ["s2"]},
    ],
    "requests": [
        {"id": "r1", "a": "p1", "b": "p2", "weight": 1.0},
        {"id": "r2", "a": "p1", "b": "p3", "weight": 2.0, "slots": ["s2"]},
    ],
    "fixed": [],
}


def test_a_plan_is_written_in_the_documented_shape(tmp_path):
    instance, plan_path = tmp_path / "instance.json", tmp_path / "plan.json"
    instance.write_text(json.dumps(INSTANCE), encoding="utf-8")
    call_command("schedule", str(instance), "--output", str(plan_path), "--seed", "3", stderr=StringIO())
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    assert {"meetings", "objective", "upper_bound", "idle_gaps", "seconds"} <= set(plan)
    assert sorted((m["request"], m["slot"], m["table"]) for m in plan["meetings"]) == [("r1", "s1", 1), ("r2", "s2", 1)]
    assert plan["objective"] == plan["upper_bound"] == 3.0


def test_a_fixed_meeting_stays_where_it_is(tmp_path):
    data = {**INSTANCE, "fixed": [{"request": "r1", "slot": "s2", "table": 1}]}
    instance = tmp_path / "instance.json"
    instance.write_text(json.dumps(data), encoding="utf-8")
    out = StringIO()
    call_command("schedule", str(instance), stdout=out)
    plan = json.loads(out.getvalue())
    assert {"request": "r1", "slot": "s2", "table": 1} in plan["meetings"]
    assert all(meeting["request"] != "r2" for meeting in plan["meetings"])  # p1 is busy in s2, r2 only fits there


def test_invalid_input_names_every_problem_and_writes_no_plan(tmp_path):
    data = json.loads(json.dumps(INSTANCE))
    data["requests"][1]["b"] = "p77"
    data["fixed"] = [{"request": "r1", "slot": "s9"}]
    instance, plan_path = tmp_path / "instance.json", tmp_path / "plan.json"
    instance.write_text(json.dumps(data), encoding="utf-8")
    errors = StringIO()
    with pytest.raises(CommandError, match="problem"):
        call_command("schedule", str(instance), "--output", str(plan_path), stderr=errors)
    assert 'requests[1].b: unknown participant "p77"' in errors.getvalue()
    assert "fixed[0].slot" in errors.getvalue()
    assert not plan_path.exists()


def test_malformed_json_is_reported_with_its_line(tmp_path):
    instance = tmp_path / "instance.json"
    instance.write_text('{"slots": [\n  {"id": }\n]}', encoding="utf-8")
    with pytest.raises(CommandError, match="line 2"):
        call_command("schedule", str(instance))


def test_the_command_line_schedules_without_starting_django(tmp_path):
    # `silkbridge schedule` is a file-to-file run: it must not pay for Django's start-up (every app, seconds on a
    # loaded machine) before its first progress line; the speed itself is measured in docs/benchmarks.md.
    import subprocess
    import sys

    instance, plan_path = tmp_path / "instance.json", tmp_path / "plan.json"
    instance.write_text(json.dumps(INSTANCE), encoding="utf-8")
    script = (
        "import sys\n"
        "from silkbridge.__main__ import main\n"
        f"sys.argv = ['silkbridge', 'schedule', {str(instance)!r}, '--output', {str(plan_path)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    print('exit', exit.code, 'django' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.strip() == "exit 0 False"
    lines = done.stderr.splitlines()
    assert lines[0] == f"reading {instance}"
    assert lines[-1].startswith("2 meetings, objective 3.0, upper bound 3.0 (optimal), 0 idle gaps")
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    assert sorted((m["request"], m["slot"]) for m in plan["meetings"]) == [("r1", "s1"), ("r2", "s2")]


def test_a_bad_time_limit_on_the_command_line_exits_with_status_1_and_writes_nothing(tmp_path):
    import subprocess
    import sys

    instance, plan_path = tmp_path / "instance.json", tmp_path / "plan.json"
    instance.write_text(json.dumps(INSTANCE), encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "silkbridge",
            "schedule",
            str(instance),
            "--output",
            str(plan_path),
            "--time-limit",
            "0",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "CommandError: --time-limit must be between 0 and 3600 seconds"
    assert not plan_path.exists()


def _command_line(*arguments: str):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "silkbridge", "schedule", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_folder_given_as_the_instance_is_refused_in_one_line(tmp_path):
    plan_path = tmp_path / "plan.json"
    done = _command_line(str(tmp_path), "--output", str(plan_path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == f"CommandError: {tmp_path}: cannot read the instance: it is a folder"
    assert done.stdout == ""
    assert not plan_path.exists()


def test_an_output_in_a_missing_folder_is_refused_before_the_solve(tmp_path):
    instance = tmp_path / "instance.json"
    instance.write_text(json.dumps(INSTANCE), encoding="utf-8")
    plan_path = tmp_path / "missing" / "plan.json"
    done = _command_line(str(instance), "--output", str(plan_path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    # Refused at once: the only line is the refusal, no "reading" and no solver phase before it.
    assert done.stderr.splitlines() == [
        f"CommandError: {plan_path}: cannot write the plan: the folder {tmp_path / 'missing'} does not exist"
    ]
    assert done.stdout == ""
    assert not (tmp_path / "missing").exists()


def test_an_output_under_a_file_or_onto_a_folder_is_refused_before_the_solve(tmp_path):
    instance = tmp_path / "instance.json"
    instance.write_text(json.dumps(INSTANCE), encoding="utf-8")
    under_a_file = instance / "plan.json"
    done = _command_line(str(instance), "--output", str(under_a_file))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"CommandError: {under_a_file}: cannot write the plan: {instance} is not a folder"
    ]
    done = _command_line(str(instance), "--output", str(tmp_path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [f"CommandError: {tmp_path}: cannot write the plan: it is a folder"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["instance.json"]


def test_a_write_that_fails_after_the_solve_keeps_the_plan_on_standard_output(tmp_path):
    # /dev/full accepts the open and fails the write (no space left): the check before the solve cannot see it.
    instance = tmp_path / "instance.json"
    instance.write_text(json.dumps(INSTANCE), encoding="utf-8")
    done = _command_line(str(instance), "--output", "/dev/full")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == (
        "CommandError: /dev/full: cannot write the plan: No space left on device; the plan is on standard output"
    )
    plan = json.loads(done.stdout)
    assert sorted((m["request"], m["slot"]) for m in plan["meetings"]) == [("r1", "s1"), ("r2", "s2")]
