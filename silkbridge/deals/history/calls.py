"""A call's history: one function per kind of change, called by services.calls inside the service's
transaction (Saleor's `events.py`)."""

from __future__ import annotations

from typing import Any

from silkbridge.deals.choices import CallEventKind
from silkbridge.deals.models import Call, CallEvent


def _write(call: Call, actor: Any, kind: str, changes: dict[str, Any] | None = None) -> CallEvent:
    return CallEvent.objects.create(
        call=call,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        changes=changes or {},
    )


def _status(before: str, after: str) -> dict[str, Any]:
    return {"status": [before, after]} if before != after else {}


def call_created(*, call: Call, actor: Any) -> CallEvent:
    return _write(call, actor, CallEventKind.CREATED, {"status": [None, call.status]})


def call_edited(*, call: Call, actor: Any, changes: dict[str, Any]) -> CallEvent:
    """Each changed field with its value before and after (the rubric as its criteria's names and weights)."""
    return _write(call, actor, CallEventKind.EDITED, changes)


def call_invited(*, call: Call, actor: Any, organisation: str) -> CallEvent:
    return _write(call, actor, CallEventKind.INVITED, {"organisation": organisation})


def call_published(*, call: Call, actor: Any, before: str) -> CallEvent:
    return _write(call, actor, CallEventKind.PUBLISHED, _status(before, call.status))


def call_cancelled(*, call: Call, actor: Any, before: str, reason: str) -> CallEvent:
    return _write(call, actor, CallEventKind.CANCELLED, {**_status(before, call.status), "reason": reason})


def clarification_asked(*, call: Call, actor: Any, clarification_id: int) -> CallEvent:
    return _write(call, actor, CallEventKind.CLARIFICATION_ASKED, {"clarification": clarification_id})


def clarification_answered(*, call: Call, actor: Any, clarification_id: int) -> CallEvent:
    return _write(call, actor, CallEventKind.CLARIFICATION_ANSWERED, {"clarification": clarification_id})


def call_opened(*, call: Call, actor: Any, financial: bool, proposals: int) -> CallEvent:
    kind = CallEventKind.FINANCIAL_OPENED if financial else CallEventKind.OPENED
    return _write(call, actor, kind, {"proposals": proposals})


def report_published(*, call: Call, actor: Any) -> CallEvent:
    return _write(
        call,
        actor,
        CallEventKind.REPORT_PUBLISHED,
        {"grievances_until": call.grievances_until.isoformat() if call.grievances_until else None},
    )


def grievance_filed(*, call: Call, actor: Any, grievance_id: int) -> CallEvent:
    return _write(call, actor, CallEventKind.GRIEVANCE_FILED, {"grievance": grievance_id})


def grievance_answered(*, call: Call, actor: Any, grievance_id: int) -> CallEvent:
    return _write(call, actor, CallEventKind.GRIEVANCE_ANSWERED, {"grievance": grievance_id})


def call_decided(*, call: Call, actor: Any, before: str) -> CallEvent:
    return _write(call, actor, CallEventKind.DECIDED, _status(before, call.status))
