"""Reads for an MoU's route, signatories and seal.

Who sees an MoU: members of the deal's party organisations and platform staff. Who acts on its route
(send, approve, return, record signatories, sign): platform staff and members of the deal's party with
the role "authority". Membership of another organisation gives nothing.
Visibility is the mou part's rule (`selectors.mou.mous_visible`), read from there.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from silkbridge.core.models import Run
from silkbridge.deals import seal
from silkbridge.deals.choices import DealPartyRole, MouEventKind
from silkbridge.deals.models import ApprovalRoute, DealParty, Mou, MouEvent, MouRouteStep, Signatory
from silkbridge.deals.selectors.mou import mous_visible
from silkbridge.directory.models import Organisation
from silkbridge.directory.selectors import organisation_ids_of

SIGN_RUN_KIND = "deals.mou_sign"
ROUTE_EVENT_KINDS = (MouEventKind.SENT, MouEventKind.STEP_APPROVED, MouEventKind.STEP_RETURNED, MouEventKind.SIGNED)


def mou_route_get(*, viewer: Any, reference: str) -> Mou:
    """The MoU with this reference if the viewer may see it; Mou.DoesNotExist otherwise (as if absent)."""
    return mous_visible(viewer=viewer).select_related("route").get(reference=reference)


def sign_run_key(mou: Mou) -> str:
    """The exclusive key of an MoU's signing runs: one at a time per MoU, and how its runs are found."""
    return f"{SIGN_RUN_KIND}:{mou.pk}"


def last_sign_run(*, mou: Mou) -> Run | None:
    """The MoU's latest signing run (queued, running, or how the last attempt ended), for whoever may see
    the MoU: its page says that signing is under way, or why the last attempt failed."""
    runs = Run.objects.filter(kind=SIGN_RUN_KIND, exclusive_key=sign_run_key(mou))
    return runs.order_by("-created_at", "-pk").first()


def can_route(*, user: Any, mou: Mou) -> bool:
    """Whether the user may send, approve, return, record signatories and sign: platform staff and
    members of the deal's authority."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    return DealParty.objects.filter(
        deal_id=mou.deal_id, role=DealPartyRole.AUTHORITY, organisation_id__in=organisation_ids_of(user)
    ).exists()


def authorities_of(*, mou: Mou) -> list[Organisation]:
    """The deal's parties with the role authority, in the order they joined."""
    parties = DealParty.objects.filter(deal_id=mou.deal_id, role=DealPartyRole.AUTHORITY).select_related("organisation")
    return [party.organisation for party in parties.order_by("pk")]


def route_for(*, mou: Mou) -> ApprovalRoute | None:
    """The active route of the deal's authority for the MoU's kind of counterpart, if there is one."""
    for authority in authorities_of(mou=mou):
        route = (
            ApprovalRoute.objects.filter(authority=authority, counterpart=mou.counterpart, is_active=True)
            .prefetch_related("steps")
            .first()
        )
        if route is not None:
            return route
    return None


def route_steps(*, mou: Mou) -> QuerySet[MouRouteStep]:
    return mou.route_steps.select_related("acted_by").order_by("position")


def signatories(*, mou: Mou) -> QuerySet[Signatory]:
    return mou.signatories.order_by("position", "pk")


def route_history(*, mou: Mou) -> QuerySet[MouEvent]:
    """The route's history, oldest first: sent, approvals, returns with their notes, the seal."""
    return mou.events.filter(kind__in=ROUTE_EVENT_KINDS).select_related("actor").order_by("created_at", "pk")


def mou_by_sealed_sha256(sha256: str) -> Mou | None:
    """The signed MoU whose sealed PDF has this digest (the public verification reveals only its title,
    reference, version and when it was sealed, to someone who already holds the file)."""
    if not sha256:
        return None
    return Mou.objects.filter(sealed_sha256=sha256, sealed_at__isnull=False).first()


def pdf_verify(*, content: bytes) -> dict[str, Any]:
    """What the public verification says about a PDF (already checked: within the size limit and
    starting with %PDF): valid only when the seal is the platform's, intact, covers the whole file, and
    the file is byte for byte the sealed copy of a signed MoU. Only that MoU's title, reference, version
    and sealing time are revealed, and only for such a copy."""
    check = seal.seal_check(content)
    status = check.status
    mou = mou_by_sealed_sha256(check.sha256) if status == seal.SEALED else None
    if status == seal.SEALED and mou is None:
        status = seal.UNKNOWN_COPY
    answer: dict[str, Any] = {
        "valid": mou is not None,
        "status": status,
        "message": str(seal.VERDICTS[status]),
        "sha256": check.sha256,
        "sealed_with_embedded_key": check.is_embedded_key,
    }
    if mou is not None:
        answer.update(mou_reference=mou.reference, mou_title=mou.title, version=mou.version, sealed_at=mou.sealed_at)
    return answer
