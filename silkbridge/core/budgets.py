"""Per-user hourly budgets for costly requests (Monte Carlo years, scheduler seconds).

A budget allows at most `max_runs` runs and `max_units` units per user per clock hour. The charge is
one conditional UPDATE ("add if the sums stay within the budget"), which the database applies
atomically: concurrent requests cannot both take the last unit, on SQLite or PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.core.models import UsageWindow


@dataclass(frozen=True)
class Budget:
    resource: str
    max_runs: int
    max_units: int
    runs_label: str  # e.g. "assessments", already translated
    units_label: str  # e.g. "simulated years"


@dataclass(frozen=True)
class Charge:
    window_id: int
    units: int


class BudgetExceeded(Exception):
    """The user has spent this hour's budget; the message says what was used and when it resets."""

    def __init__(self, message: str, *, resets_at: datetime) -> None:
        super().__init__(message)
        self.message = message
        self.resets_at = resets_at

    @property
    def retry_after_seconds(self) -> int:
        return max(1, int((self.resets_at - timezone.now()).total_seconds()) + 1)


@transaction.atomic
def usage_charge(*, user: Any, budget: Budget, units: int) -> Charge:
    """Count one run of `units` units against the user's budget for this hour, or raise BudgetExceeded."""
    window_start = timezone.now().replace(minute=0, second=0, microsecond=0)
    window, _created = UsageWindow.objects.get_or_create(user=user, resource=budget.resource, window_start=window_start)
    charged = UsageWindow.objects.filter(
        pk=window.pk, runs__lte=budget.max_runs - 1, units__lte=budget.max_units - units
    ).update(runs=F("runs") + 1, units=F("units") + units)
    if charged:
        return Charge(window_id=window.pk, units=units)
    window.refresh_from_db()
    resets_at = window_start + timedelta(hours=1)
    message = _(
        "Hourly limit reached: each user may run at most %(max_runs)d %(runs_label)s with %(max_units)d "
        "%(units_label)s in total per hour. You have used %(runs)d %(runs_label)s and %(units)d "
        "%(units_label)s this hour, and this request needs %(needed)d. Try again after %(resets_at)s UTC."
    ) % {
        "max_runs": budget.max_runs,
        "max_units": budget.max_units,
        "runs_label": budget.runs_label,
        "units_label": budget.units_label,
        "runs": window.runs,
        "units": window.units,
        "needed": units,
        "resets_at": resets_at.strftime("%H:%M"),
    }
    raise BudgetExceeded(message, resets_at=resets_at)


@transaction.atomic
def usage_refund(*, charge: Charge) -> None:
    """Give back a charge whose work was refused before it ran (an invalid design costs nothing)."""
    UsageWindow.objects.filter(pk=charge.window_id, runs__gte=1, units__gte=charge.units).update(
        runs=F("runs") - 1, units=F("units") - charge.units
    )
