"""Serve a dedicated database with gunicorn and drive it with locust, once per number of users.

The database is never the one DATABASE_URL names: on PostgreSQL the runner creates (once) a sibling
database whose name ends in `_loadtest`; on SQLite it uses `var/loadtest/silkbridge.sqlite3`. It is
migrated, given the demo data and the synthetic volume (`data.py`), and kept for the next run.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import dj_database_url

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
# Pages that warm a fresh worker up (jieba's dictionary, the search lexicon, templates).
WARM_UP_PATHS = ("/", "/directory/?q=人工智能", "/directory/?q=crop+disease", "/marketplace/", "/api/v1/organisations")
BASELINE = "baseline static file"


def loadtest_database_url(database_url: str, var_dir: Path) -> str:
    """The database the load test may fill: a sibling of the configured one, never the same."""
    config = dj_database_url.parse(database_url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{var_dir / 'loadtest' / 'silkbridge.sqlite3'}"
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/") or "silkbridge"
    return urlunsplit(parts._replace(path=f"/{name}_loadtest"))


def _postgres_database_ensure(database_url: str) -> None:
    """Create the load-test database on the same server when it does not exist (needs CREATEDB)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    for maintenance in (name.removesuffix("_loadtest"), "postgres"):
        try:
            connection = psycopg.connect(urlunsplit(parts._replace(path=f"/{maintenance}")), autocommit=True)
        except psycopg.OperationalError:
            continue
        with connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return
    raise RuntimeError(f"cannot reach the PostgreSQL server of {parts.hostname} to create {name}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_serving(base_url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base_url + "/static/silkbridge/site.css", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not start serving within 90 s")


def _warm_up(base_url: str, workers: int) -> None:
    for _ in range(3 * workers):
        for path in WARM_UP_PATHS:
            url = base_url + urllib.parse.quote(path, safe="/?=&+")
            with urllib.request.urlopen(url, timeout=60) as response:
                response.read()


def _milliseconds(value: str) -> float | None:
    return None if value in ("", "N/A") else round(float(value), 1)


def parse_locust_stats(path: Path) -> dict[str, Any]:
    """Locust's `_stats.csv` as {page: figures}; its `Aggregated` row (baseline included) becomes
    `all requests`."""
    pages: dict[str, Any] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = "all requests" if row["Name"] == "Aggregated" else row["Name"]
            pages[name] = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "requests_per_second": round(float(row["Requests/s"]), 2),
                "p50_ms": _milliseconds(row["50%"]),
                "p95_ms": _milliseconds(row["95%"]),
                "p99_ms": _milliseconds(row["99%"]),
                "max_ms": _milliseconds(row["Max Response Time"]),
            }
    return pages


def run_locust(
    *,
    base_url: str,
    users: int,
    duration: int,
    sessions_json: str,
    output_dir: Path,
    wait: tuple[float, float],
    meter: CpuMeter,
) -> dict[str, Any]:
    prefix = output_dir / f"locust-{users}-users"
    env = {
        **os.environ,
        "LOADTEST_SESSIONS": sessions_json,
        "LOADTEST_WAIT_MIN": str(wait[0]),
        "LOADTEST_WAIT_MAX": str(wait[1]),
        "LOADTEST_APPLICATION_STATS": f"{prefix}_application.json",
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--only-summary",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 5)),  # all users within 5 s
        "--run-time",
        f"{duration}s",
        "--reset-stats",  # figures from the moment every user is running
        "--stop-timeout",
        "10",
        "--host",
        base_url,
        "--csv",
        str(prefix),
        "--loglevel",
        "WARNING",
    ]
    load_before = os.getloadavg()
    generator_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    meter.start()
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    cpu = meter.stop()
    generator_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu["load_generator_cpu_s"] = round(
        generator_after.ru_utime + generator_after.ru_stime - generator_before.ru_utime - generator_before.ru_stime, 2
    )
    if not Path(f"{prefix}_stats.csv").is_file():
        raise RuntimeError(f"locust failed ({completed.returncode}):\n{completed.stderr[-3000:]}")
    pages = parse_locust_stats(Path(f"{prefix}_stats.csv"))
    application = json.loads(Path(f"{prefix}_application.json").read_text(encoding="utf-8"))
    application["requests_per_second"] = round(
        sum(
            figures["requests_per_second"] for name, figures in pages.items() if name not in (BASELINE, "all requests")
        ),
        2,
    )
    return {
        "users": users,
        "duration_s": duration,
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in os.getloadavg()],
        "application": application,
        "cpu": {
            **cpu,
            # over every request of the run, the spawning seconds included: an upper bound
            "server_and_database_cpu_ms_per_request": round(
                1000 * (cpu["web_server_cpu_s"] + cpu["database_cpu_s"]) / max(1, pages["all requests"]["requests"]),
                1,
            ),
        },
        "pages": pages,
    }


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU of each process (Linux /proc); processes that are gone are left out."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / _TICKS
    return seconds


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return children


def _database_backends(database_url: str) -> list[int]:
    if dj_database_url.parse(database_url)["ENGINE"] == "django.db.backends.sqlite3":
        return []
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        name = urlsplit(database_url).path.lstrip("/")
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
        ).fetchall()
    return [int(row[0]) for row in rows]


class CpuMeter:
    """CPU the web server (gunicorn's processes) and the database (this database's backends) spent
    during a run. Unlike latency it hardly depends on what else the machine runs, so it is the
    figure to compare between noisy runs; the machine's capacity is about cores / CPU per request."""

    def __init__(self, server_pid: int, database_url: str) -> None:
        self.server_pid = server_pid
        self.database_url = database_url

    def _snapshot(self) -> tuple[dict[int, float], dict[int, float]]:
        server = _cpu_seconds([self.server_pid, *_children(self.server_pid)])
        return server, _cpu_seconds(_database_backends(self.database_url))

    def start(self) -> None:
        self.before = self._snapshot()

    def stop(self) -> dict[str, float]:
        after = self._snapshot()
        spent = [
            sum(seconds - before.get(pid, 0.0) for pid, seconds in now.items())
            for now, before in zip(after, self.before, strict=True)
        ]
        return {"web_server_cpu_s": round(spent[0], 2), "database_cpu_s": round(spent[1], 2)}


def _machine() -> dict[str, Any]:
    memory_gb = None
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    return {"cpus": os.cpu_count(), "memory_gb": memory_gb, "python": platform.python_version()}


def run_load_test(
    *,
    database_url: str,
    var_dir: Path,
    users: list[int],
    duration: int,
    workers: int,
    organisations: int,
    wait: tuple[float, float],
    log: Callable[[str], None],
) -> dict[str, Any]:
    """Prepare the database, start gunicorn, run locust for each number of users; the figures."""
    bench_url = loadtest_database_url(database_url, var_dir)
    engine = dj_database_url.parse(bench_url)["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        (var_dir / "loadtest").mkdir(parents=True, exist_ok=True)
    else:
        _postgres_database_ensure(bench_url)
    output_dir = var_dir / "loadtest"
    output_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": bench_url, "SILKBRIDGE_LOG_LEVEL": "ERROR"}
    silkbridge = [sys.executable, "-m", "silkbridge"]

    log(f"preparing {urlsplit(bench_url)._replace(netloc=urlsplit(bench_url).hostname or '').geturl()}")
    subprocess.run([*silkbridge, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    prepared = subprocess.run(
        [*silkbridge, "bench", "load-data", "--organisations", str(organisations), "--users", str(max(users))],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(prepared.stdout)
    sessions_json = json.dumps(data.pop("sessions"))

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log(f"starting gunicorn with {workers} workers on {base_url}")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "silkbridge.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        start_new_session=True,
    )
    runs = []
    try:
        _wait_until_serving(base_url)
        _warm_up(base_url, workers)
        for count in users:
            log(f"locust: {count} users for {duration} s")
            runs.append(
                run_locust(
                    base_url=base_url,
                    users=count,
                    duration=duration,
                    sessions_json=sessions_json,
                    output_dir=output_dir,
                    wait=wait,
                    meter=CpuMeter(server.pid, bench_url),
                )
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    return {
        "machine": _machine(),
        "database": engine.rsplit(".", 1)[-1],
        "gunicorn_workers": workers,
        "think_time_s": list(wait),
        "data": data,
        "runs": runs,
    }
