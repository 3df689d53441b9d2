"""Background runs: the row a user watches while a worker does long work (plumbing for every app).

A request creates a `Run` and queues a task (`run_enqueue`); the task calls `run_execute(run_id, fn)`,
which claims the row, keeps its heartbeat fresh from a thread while `fn(progress)` works, and stores the
result or an error fit for the user. A run whose worker died stops beating and is marked failed by
`runs_reap`, which the worker and every reader call, so no run stays "running" for ever. However a run
ends, what it held (`Run.holds`: a stored upload, a budget charge) is given back once, by the receivers
of `run_ended`.

A run ends once. The worker writes its outcome only while the run is still running (a conditional
UPDATE): a run the reaper marked failed during a long pause stays failed, and the late worker's result
is dropped (logged). Work that stores something besides its result calls `run_still_running` in the
transaction that stores it, so a reaped run stores nothing either.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, OperationalError, close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from silkbridge.core.hooks import Hook
from silkbridge.core.models import ACTIVE_RUN_STATUSES, Run, RunStatus

logger = logging.getLogger(__name__)

Progress = Callable[[float, str], None]

# Errors written by the plumbing itself are stored as these English texts and translated when read
# (`run_error_display`), since the reader's language is not known when a run is reaped.
WORKER_STOPPED = gettext_noop("The worker stopped before the run finished; start it again.")
NEVER_STARTED = gettext_noop("No worker picked up the run in time; start it again.")
SERVER_ERROR = gettext_noop("The run failed because of an error on the server; the error has been logged.")
NOT_QUEUED = gettext_noop("The run could not be queued; start it again.")
# A run that ended with one of these failed because of the machinery, not because of what the user gave.
INFRASTRUCTURE_ERRORS = frozenset({WORKER_STOPPED, NEVER_STARTED, SERVER_ERROR, NOT_QUEUED})

# A run ended (however: succeeded, failed, never started, reaped) holding something (`Run.holds`): the
# app that started it gives it back (deletes the stored upload, refunds the charge). Fired once per run.
run_ended: Hook[[Run]] = Hook("run_ended")

# What each kind of run is called on its page (the kinds of the shared plan; others read "Background run").
RUN_KIND_LABELS = {
    "events.schedule": gettext_lazy("Scheduler run"),
    "datacenters.assessment": gettext_lazy("Data-center assessment"),
    "directory.import": gettext_lazy("Import of organisations"),
    "directory.search_rebuild": gettext_lazy("Rebuild of the search index"),
    "matching.rebuild": gettext_lazy("Rebuild of the matches"),
    "matching.refresh": gettext_lazy("Refresh of the matches"),
    "core.mail": gettext_lazy("E-mail"),
    "translations.machine": gettext_lazy("Machine translation"),
    "deals.mou_pdf": gettext_lazy("PDF of an MoU"),
    "deals.mou_sign": gettext_lazy("Signing and sealing of an MoU"),
    "analytics.monthly_report": gettext_lazy("Monthly report"),
    "analytics.monthly_report_mail": gettext_lazy("E-mail of the monthly report"),
    "analytics.summary": gettext_lazy("Refresh of the figures' summary"),
}


def run_kind_label(kind: str) -> str:
    return str(RUN_KIND_LABELS.get(kind, gettext_lazy("Background run")))


def run_result_url(run: Run) -> str:
    """The page of what a succeeded run made (its result's "url"), if it is a path on this site."""
    url = run.result.get("url") if isinstance(run.result, dict) else None
    return url if isinstance(url, str) and url.startswith("/") and not url.startswith("//") else ""


class RunAlreadyActive(Exception):
    """A queued or running run already holds the exclusive key (e.g. the event's scheduler)."""


class RunFailure(Exception):
    """Raised by a run's work to end it as failed with `message`, which is shown to the user as it is;
    `result` (JSON) is stored as the failed run's result, for the `run_ended` receivers to read."""

    def __init__(self, message: str, *, result: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.result = result


class RunReaped(Exception):
    """The run is no longer running (the reaper marked it failed while its worker was paused): the work
    must not store anything, since the run's ending is already decided and its holds given back."""


class EnqueueableTask(Protocol):
    def enqueue(self, *args: Any, **kwargs: Any) -> Any: ...


def heartbeat_seconds() -> float:
    return float(getattr(settings, "RUN_HEARTBEAT_SECONDS", 2.0))


def stale_after() -> timedelta:
    """How long without a heartbeat before a running run counts as dead (several missed beats)."""
    return timedelta(seconds=float(getattr(settings, "RUN_STALE_SECONDS", 30.0)))


def queued_timeout() -> timedelta:
    """How long a run may wait for a worker before it is given up (workers busy with long runs wait too)."""
    return timedelta(seconds=float(getattr(settings, "RUN_QUEUED_TIMEOUT_SECONDS", 3600.0)))


def run_enqueue(
    *,
    kind: str,
    created_by: Any,
    task: EnqueueableTask,
    args: tuple[Any, ...] = (),
    kwargs: dict[str, Any] | None = None,
    exclusive_key: str = "",
    holds: dict[str, Any] | None = None,
) -> Run:
    """Create a queued run and queue `task(run.id, *args, **kwargs)` once the transaction commits.

    With an `exclusive_key`, the database lets at most one run per key be queued or running:
    a second start raises RunAlreadyActive and leaves no row behind. `holds` is what the run holds
    until it ends (JSON), given back through `run_ended` whatever the end.
    """
    runs_reap()  # a dead run must not hold the key
    user = created_by if getattr(created_by, "pk", None) is not None else None
    try:
        with transaction.atomic():
            run = Run.objects.create(
                kind=kind,
                created_by=user,
                exclusive_key=exclusive_key,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                holds=holds or {},
            )
    except IntegrityError as error:
        raise RunAlreadyActive(exclusive_key) from error
    _enqueue_on_commit(run.pk, kind=kind, task=task, args=args, kwargs=kwargs or {})
    return run


def _enqueue_on_commit(
    run_id: int, *, kind: str, task: EnqueueableTask, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    def enqueue() -> None:
        try:
            task.enqueue(run_id, *args, **kwargs)
        except Exception:
            logger.exception("Run %s (%s) could not be queued", run_id, kind)
            _fail_unqueued(run_id)

    transaction.on_commit(enqueue)


def run_enqueue_coalesced(
    *,
    kind: str,
    key: str,
    task: EnqueueableTask,
    args: tuple[Any, ...] = (),
    created_by: Any = None,
) -> Run | None:
    """Queue work that recomputes something from the data as it is when the work runs (a profile's
    matches), asked for again and again by edits: at most one run per `key` is queued or running.

    A request while a run is queued adds nothing: that run has not read the data yet. A request while
    a run is running marks it (`rerun_requested`), and the worker does the work once more before it
    finishes, so an edit made during a run is never missed. The new run, or None when the request was
    folded into the run that holds the key. Both checks happen once the caller's transaction has
    committed, so the run that answers for a change always reads it.
    """
    runs_reap()
    user = created_by if getattr(created_by, "pk", None) is not None else None
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        with transaction.atomic():
            run = Run.objects.create(kind=kind, created_by=user, exclusive_key=key, language=language)
    except IntegrityError:
        # The holder may be queued in a transaction not committed yet, or be finishing: decide after commit.
        transaction.on_commit(lambda: _coalesce(kind=kind, key=key, task=task, args=args, user=user, language=language))
        return None
    _enqueue_on_commit(run.pk, kind=kind, task=task, args=args, kwargs={})
    return run


def _coalesce(*, kind: str, key: str, task: EnqueueableTask, args: tuple[Any, ...], user: Any, language: str) -> None:
    """After the commit: fold the request into the queued run, mark the running one to run again, or (when
    the holder finished meanwhile) queue a run of its own. A few rounds settle any race between these."""
    for _round in range(5):
        holder = Run.objects.filter(exclusive_key=key, status__in=ACTIVE_RUN_STATUSES).values_list("pk", "status")
        active = holder.first()
        if active is None:
            try:
                with transaction.atomic():
                    run = Run.objects.create(kind=kind, created_by=user, exclusive_key=key, language=language)
            except IntegrityError:
                continue  # another request queued one meanwhile: look again
            _enqueue_on_commit(run.pk, kind=kind, task=task, args=args, kwargs={})
            return
        run_id, status = active
        if status == RunStatus.QUEUED:
            return  # it is claimed after this moment, so it reads the committed change
        if Run.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(rerun_requested=True):
            return
    logger.warning("Work %s (%s) was asked for again but could not be queued", key, kind)


class _Heartbeat:
    """Beats for a running run from its own thread: heartbeat_at, plus the latest progress if it changed.

    The work only records its progress in memory (`report`), so a solver's callback thread can report
    too, and the database sees at most one write per beat. Inside an outer transaction (a test, a
    caller's atomic block) nobody else can see the run, so there is no thread.
    """

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.lock = threading.Lock()
        self.fraction: float | None = None
        self.message = ""
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def report(self, fraction: float, message: str = "") -> None:
        with self.lock:
            self.fraction = min(1.0, max(0.0, float(fraction)))
            self.message = str(message)[:200]

    def start(self) -> None:
        if connection.in_atomic_block:
            return
        self.thread = threading.Thread(target=self._beat, name=f"run-{self.run_id}-heartbeat", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        if self.thread is not None:
            self.thread.join()

    def _beat(self) -> None:
        try:
            while not self.stopped.wait(heartbeat_seconds()):
                self.flush()
        finally:
            connection.close()  # this thread's own connection

    def flush(self) -> None:
        with self.lock:
            fraction, message = self.fraction, self.message
        changes: dict[str, Any] = {"heartbeat_at": timezone.now()}
        if fraction is not None:
            changes.update(progress=fraction, message=message)
        try:
            with brief_lock_wait():  # SQLite: the import holding the write lock skips this beat, not all of them
                Run.objects.filter(pk=self.run_id, status=RunStatus.RUNNING).update(**changes)
        except Exception:  # a missed beat is not fatal; several in a row get the run reaped
            logger.warning("Run %s: heartbeat not written", self.run_id, exc_info=True)
            close_old_connections()


def run_execute(run_id: int, fn: Callable[[Progress], Any], *, requeue: Callable[[], Any] | None = None) -> Any:
    """Claim a queued run and do its work: `fn(progress)` returns the JSON result, or raises.

    Only one worker can claim a run (a conditional UPDATE from queued to running); a run already
    claimed, finished or reaped is left alone and None is returned. A RunFailure's message is stored
    as the run's error; any other exception is logged with its trace and the user sees a plain
    sentence. The work runs in the language of the request that started it. The outcome is written only
    while the run is still running: a run reaped meanwhile keeps the reaper's verdict.

    `requeue` (coalesced work, see `run_enqueue_coalesced`) queues the work afresh: it is called when the
    run does not succeed although the work was asked for again while it ran, so that request is not lost.
    """
    now = timezone.now()
    claimed = Run.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        logger.warning("Run %s is not queued (already claimed, finished or reaped); not run again", run_id)
        return None
    run = Run.objects.only("kind", "language").get(pk=run_id)
    heartbeat = _Heartbeat(run_id)
    with translation.override(run.language or settings.LANGUAGE_CODE):
        heartbeat.start()
        try:
            result = _call(fn, heartbeat.report)
            while (ending := _finish_unless_rerun(run_id, result)) == _RERUN:  # asked for again while it ran
                result = _call(fn, heartbeat.report)
        except RunReaped:
            ending = _DROPPED
        except RunFailure as failure:
            heartbeat.stop()
            ending = _finish(run_id, status=RunStatus.FAILED, error=failure.message, result=failure.result)
        except Exception:
            heartbeat.stop()
            logger.exception("Run %s (%s) failed", run_id, run.kind)
            ending = _finish(run_id, status=RunStatus.FAILED, error=SERVER_ERROR)
        except BaseException:  # the worker is being stopped (a second Ctrl-C, SIGTERM): say so, then stop
            heartbeat.stop()
            _finish(run_id, status=RunStatus.FAILED, error=WORKER_STOPPED)
            raise
        heartbeat.stop()
    if ending == _SUCCEEDED:
        return result
    if ending == _DROPPED:
        logger.warning(
            "Run %s (%s) was marked failed while its worker still worked: its result is dropped", run_id, run.kind
        )
    _requeue_if_asked(run_id, kind=run.kind, requeue=requeue)
    return None


# How the worker's attempt to end a run went.
_SUCCEEDED, _FAILED, _RERUN, _DROPPED = "succeeded", "failed", "rerun", "dropped"


def _requeue_if_asked(run_id: int, *, kind: str, requeue: Callable[[], Any] | None) -> None:
    """A run that did not succeed hands on a request made while it ran (`rerun_requested`): the flag is
    taken back by one conditional UPDATE (so only one caller hands it on) and the work queued afresh."""
    if not Run.objects.filter(pk=run_id, rerun_requested=True).update(rerun_requested=False):
        return
    if requeue is None:
        logger.warning("Run %s (%s) was asked for again but ended unsuccessfully; nothing queues it", run_id, kind)
        return
    try:
        requeue()
    except Exception:
        logger.exception("Run %s (%s) was asked for again but could not be queued afresh", run_id, kind)


def _call(fn: Callable[[Progress], Any], progress: Progress) -> Any:
    # Inside an outer transaction (tests, a caller's atomic block) a failed statement must not leave that
    # transaction unusable: the work gets a savepoint. A worker runs in autocommit, so the work's own
    # transactions commit as they go and its progress is visible to readers.
    if connection.in_atomic_block:
        with transaction.atomic():
            return fn(progress)
    return fn(progress)


def _finish(run_id: int, *, status: str, error: str = "", result: Any = None) -> str:
    """Store how the worker's run failed (`_finish_unless_rerun` stores a success), only while it is still
    running: a run the reaper already marked failed keeps that ending (its holds are given back already)."""
    finished = Run.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        status=status, finished_at=timezone.now(), error=error, result=result
    )
    if not finished:
        return _DROPPED
    run_release(run_id)
    return _FAILED


def _fail_unqueued(run_id: int) -> None:
    """A run whose task could not be queued fails at once, unless something ended it meanwhile."""
    Run.objects.filter(pk=run_id, status__in=ACTIVE_RUN_STATUSES).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), error=NOT_QUEUED
    )
    run_release(run_id)


def _finish_unless_rerun(run_id: int, result: Any) -> str:
    """Store a success unless the work was asked for again while it ran (one conditional UPDATE, so a
    request landing at the same moment is either seen here or finds the run finished); in that case
    take the request back and say so (_RERUN). A run no longer running (reaped) is left as it is (_DROPPED)."""
    running = Run.objects.filter(pk=run_id, status=RunStatus.RUNNING)
    finished = running.filter(rerun_requested=False).update(
        status=RunStatus.SUCCEEDED, finished_at=timezone.now(), error="", progress=1.0, result=result, message=""
    )
    if finished:
        run_release(run_id)
        return _SUCCEEDED
    if running.filter(rerun_requested=True).update(rerun_requested=False):
        return _RERUN
    return _DROPPED


def run_still_running(run_id: int) -> None:
    """Call inside the transaction that stores a run's side effects (an assessment, a schedule's
    meetings), before storing them: RunReaped if the run is no longer running, so a run the reaper gave
    up stores nothing. Otherwise its heartbeat is renewed by an UPDATE whose row lock lasts until the
    transaction ends, so the reaper cannot mark it failed between this check and the commit."""
    if not Run.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(heartbeat_at=timezone.now()):
        raise RunReaped(run_id)


@contextlib.contextmanager
def brief_lock_wait(milliseconds: int = 250) -> Iterator[None]:
    """On SQLite, wait at most `milliseconds` for the write lock inside (instead of the connection's
    busy timeout): one writer at a time holds the whole file, e.g. a worker's import for minutes, and a
    heartbeat or a reader's reap can be skipped where a request must not hang. No-op elsewhere."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (usual,) = cursor.fetchone()
        cursor.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(usual)}")


def run_release(run_id: int) -> None:
    """Give back what an ended run held (`run_ended`), once: the holds are cleared under a row lock
    first, so a worker finishing and a reaper reaping the same run cannot both give them back. An
    active run is left alone. A receiver that fails is logged; the run's outcome stands."""
    with transaction.atomic():
        run = Run.objects.select_for_update().filter(pk=run_id).exclude(status__in=ACTIVE_RUN_STATUSES).first()
        if run is None or not run.holds:
            return
        Run.objects.filter(pk=run_id).update(holds={})
    try:
        run_ended.fire(run)
    except Exception:
        logger.exception("Run %s (%s): what it held could not all be given back: %s", run_id, run.kind, run.holds)


def runs_reap() -> int:
    """Mark failed the runs whose worker is gone: running without a heartbeat for `stale_after()`, or
    queued for longer than `queued_timeout()`. One conditional UPDATE each, so a run whose heartbeat
    lands at the same moment is not reaped (PostgreSQL re-checks the condition on the locked row).

    Only a stale run costs a write. On SQLite, when another connection holds the write lock (a long
    import in a worker) and the caller is not in a transaction, the reap waits briefly, then is left to
    the next reader: the caller reads the runs as last stored instead of failing."""
    now = timezone.now()
    dead_running = Q(status=RunStatus.RUNNING, heartbeat_at__lt=now - stale_after())
    never_started = Q(status=RunStatus.QUEUED, created_at__lt=now - queued_timeout())
    if not Run.objects.filter(dead_running | never_started).exists():
        return 0
    if connection.in_atomic_block:
        return _reap(now, dead_running, never_started)
    try:
        with brief_lock_wait():
            return _reap(now, dead_running, never_started)
    except OperationalError:
        logger.warning("Background runs not reaped now: the database is locked by another writer", exc_info=True)
        return 0


def _reap(now: Any, dead_running: Q, never_started: Q) -> int:
    dead = 0
    reaped: list[int] = []
    for condition, error in ((dead_running, WORKER_STOPPED), (never_started, NEVER_STARTED)):
        ids = list(Run.objects.filter(condition).values_list("pk", flat=True))
        if ids:
            dead += Run.objects.filter(condition, pk__in=ids).update(
                status=RunStatus.FAILED, finished_at=now, error=error
            )
            reaped += ids
    if dead:
        logger.warning("Marked %d background run(s) failed: their worker stopped", dead)
    for run_id in reaped:  # a run whose heartbeat landed in between is still active: left alone
        run_release(run_id)
    return dead


def run_error_display(run: Run) -> str:
    """The run's error in the reader's language where it is one of the plumbing's own messages."""
    return gettext(run.error) if run.error else ""
