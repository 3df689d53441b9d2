"""Shared tables of the plumbing floor: what each user has spent of the metered, costly operations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UsageWindow(models.Model):
    """One user's spending on one metered resource (e.g. Monte Carlo years) in one clock hour.

    Rows are only ever changed by conditional UPDATEs (`silkbridge.core.budgets`), so concurrent
    requests cannot spend more than the budget between them.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="usage_windows"
    )
    resource = models.CharField(_("resource"), max_length=40)
    window_start = models.DateTimeField(_("hour starting"))
    runs = models.PositiveIntegerField(_("runs"), default=0)
    units = models.PositiveBigIntegerField(_("units"), default=0)

    class Meta:
        verbose_name = _("usage window")
        verbose_name_plural = _("usage windows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "resource", "window_start"],
                name="core_usagewindow_one_per_hour",
                violation_error_message=_("There is already a usage row for this user, resource and hour."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.window_start:%Y-%m-%d %H:00} ({self.runs} runs, {self.units} units)"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class Run(models.Model):
    """One piece of long work done by a background worker: its state, progress, result or error.

    Written only by `silkbridge.core.runs`. A worker claims a queued run with a conditional UPDATE (so
    two workers never both run it) and keeps `heartbeat_at` fresh while it works; a running run whose
    heartbeat stopped is marked failed by the reaper. `exclusive_key`, when set, allows at most one
    queued or running run per key (e.g. one scheduler run per event), held by the database.
    `rerun_requested` lets work that recomputes from current data (a match refresh) be asked for again
    while it runs without queueing a second run.
    """

    kind = models.CharField(_("kind"), max_length=60)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=RunStatus, default=RunStatus.QUEUED)
    progress = models.FloatField(_("progress"), default=0.0)
    message = models.CharField(_("message"), max_length=200, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    exclusive_key = models.CharField(_("exclusive key"), max_length=100, blank=True)
    # The language of the request that started the run: the worker writes messages and errors in it.
    language = models.CharField(_("language"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Set when the work was asked for again while this run was running (`run_enqueue_coalesced`): the
    # worker then does it once more before finishing, so the change that asked for it is not missed.
    rerun_requested = models.BooleanField(_("run again when done"), default=False)
    # What the run holds until it ends (a stored upload, a budget charge): given back once, by the
    # receivers of `core.runs.run_ended`, however it ends (succeeded, failed, never started, reaped).
    holds = models.JSONField(_("held until it ends"), default=dict, blank=True)

    class Meta:
        verbose_name = _("background run")
        verbose_name_plural = _("background runs")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="core_run_status_heartbeat")]
        constraints = [
            models.UniqueConstraint(
                fields=["exclusive_key"],
                condition=models.Q(status__in=ACTIVE_RUN_STATUSES) & ~models.Q(exclusive_key=""),
                name="core_run_one_active_per_key",
                violation_error_message=_("This work is already running; wait for it to finish."),
            ),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0.0, progress__lte=1.0),
                name="core_run_progress_fraction",
                violation_error_message=_("Progress is a fraction between 0 and 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.SUCCEEDED, RunStatus.FAILED)


class HistoryRow(models.Model):
    """Abstract: one row of an object's history (each app's `history.py` writes them in the service's
    transaction): who changed it, when, and what changed. A subclass adds the object and its `kind`."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changes = models.JSONField(
        _("changes"), default=dict, blank=True, help_text=_("Each changed field with its value before and after.")
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ("-created_at", "-pk")
