"""An MoU's history along its route: sent, each office's approval or return (with its note), each
signatory recorded, and the seal. Called by services.routing inside the service's transaction."""

from __future__ import annotations

from typing import Any

from silkbridge.deals.choices import MouEventKind
from silkbridge.deals.models import Mou, MouEvent, MouRouteStep, Signatory


def _write(mou: Mou, actor: Any, kind: str, *, note: str = "", changes: dict[str, Any] | None = None) -> MouEvent:
    return MouEvent.objects.create(
        mou=mou,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        note=note,
        changes=changes or {},
    )


def _step(step: MouRouteStep) -> dict[str, Any]:
    return {"position": step.position, "office": step.name_en, "version": step.version}


def mou_sent(*, mou: Mou, actor: Any, before: str, resumed_at: MouRouteStep) -> MouEvent:
    """Sent on its route (the first time, or again after a return: `resumed_at` is the current office)."""
    changes = {"status": [before, mou.status], "route": mou.route.name_en if mou.route else "", **_step(resumed_at)}
    return _write(mou, actor, MouEventKind.SENT, changes=changes)


def route_step_approved(*, mou: Mou, actor: Any, step: MouRouteStep, before: str) -> MouEvent:
    changes = {**_step(step)}
    if before != mou.status:
        changes["status"] = [before, mou.status]
    return _write(mou, actor, MouEventKind.STEP_APPROVED, note=step.note, changes=changes)


def route_step_returned(*, mou: Mou, actor: Any, step: MouRouteStep, before: str) -> MouEvent:
    changes = {**_step(step), "status": [before, mou.status]}
    return _write(mou, actor, MouEventKind.STEP_RETURNED, note=step.note, changes=changes)


def signatory_recorded(*, mou: Mou, actor: Any, signatory: Signatory) -> MouEvent:
    changes = {
        "name": signatory.name,
        "title": signatory.title,
        "organisation": signatory.organisation_name,
        "signed_on": signatory.signed_on.isoformat(),
        "place": signatory.place,
    }
    return _write(mou, actor, MouEventKind.SIGNATORY_RECORDED, changes=changes)


def signatory_removed(*, mou: Mou, actor: Any, name: str) -> MouEvent:
    return _write(mou, actor, MouEventKind.SIGNATORY_RECORDED, changes={"removed": name})


def mou_signed(*, mou: Mou, actor: Any, before: str, key_fingerprint: str, is_embedded_key: bool) -> MouEvent:
    changes = {
        "status": [before, mou.status],
        "version": mou.version,
        "sha256": mou.sealed_sha256,
        "key": key_fingerprint,
        "self_signed_embedded_key": is_embedded_key,
    }
    return _write(mou, actor, MouEventKind.SIGNED, changes=changes)
