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
