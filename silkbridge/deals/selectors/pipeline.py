"""Reads for deals. Who may see a deal is decided here and nowhere else.

- Platform staff see every deal.
- Anyone else sees the deals whose parties include one of their organisations, and nothing of any
  other deal: a member of two organisations sees the deals of both, and nothing of a third's. A deal
  someone may not see does not exist for them (pages and API answer 404, not 403).
- A deal's history is shown to everyone who sees the deal (the authors' e-mail addresses to staff
  only, through `core.selectors.history_entries`).
- Who may change a deal: staff and the deal's owner move its stage, edit it and change its parties;
  the parties' members may also set its next step (see `can_set_next_step`).
- A relocation case (a deal on the relocation track, `deals.selectors.cases`) is seen by a party's
  member only while its relocation request is visible to them (`zones.relocation_selectors`) and, for
  the zone's side, only while the request is still shared with that zone: the case never shows more
  than the request does. The zone's members also move the case's stage (`can_move_stage`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from silkbridge.accounts.models import User
from silkbridge.core.i18n import content_language
from silkbridge.deals.choices import (
    RELOCATION_SEQUENCE,
    STAGES_NEEDING_REASON,
    DealEventKind,
    DealStage,
    DealTrack,
    Decision,
    ProposalStatus,
    RelocationStage,
    track_stages,
)
from silkbridge.deals.models import Deal, DealDocument, DealEvent, DealParty, Proposal
from silkbridge.directory.selectors import members_of, organisation_ids_of
from silkbridge.events.choices import MeetingOutcome
from silkbridge.events.models import Meeting
from silkbridge.marketplace.choices import InterestStatus
from silkbridge.marketplace.models import ExpressionOfInterest
from silkbridge.zones.relocation_selectors import relocation_requests_visible_to

# The board's columns, in the order a deal moves through them; the three that end or pause a deal last.
BOARD_STAGES = tuple(DealStage)
# Starting a deal from a call proposal whose approval is recorded but has not taken effect yet.
PROPOSAL_APPROVAL_PENDING = gettext_lazy(
    "This proposal's approval takes effect with its call's decision, once the evaluation report's grievance "
    "window has closed and every grievance is answered; a deal can start from it then."
)
# Stages a deal no longer moves in: the daily reminder leaves them alone.
CLOSED_STAGES = (DealStage.DECLINED, DealStage.WITHDRAWN)


def _parties_prefetch() -> Prefetch[Any]:
    return Prefetch("parties", queryset=DealParty.objects.select_related("organisation").order_by("pk"))


def deals_visible(*, viewer: Any) -> QuerySet[Deal]:
    """Every deal the viewer may see, with its sector, owner and parties loaded (a fixed number of
    queries however many deals a page lists)."""
    deals = Deal.objects.select_related("sector", "owner", "zone").prefetch_related(_parties_prefetch())
    if getattr(viewer, "is_staff", False):
        return deals.all()
    own = organisation_ids_of(viewer)
    # A subquery rather than a join: each deal once, whatever number of the viewer's organisations take part.
    deals = deals.filter(pk__in=DealParty.objects.filter(organisation_id__in=own).values("deal_id"))
    # A relocation case: only while the viewer sees its request, and the zone's side only while the
    # request is still shared with that zone (never wider than the request).
    shared_with_zone = Deal.objects.filter(relocation_request__shared_with=F("zone")).values("pk")
    case_visible = Q(relocation_request__in=relocation_requests_visible_to(viewer).values("pk")) & (
        Q(relocation_request__organisation_id__in=own) | Q(zone__organisation_id__in=own, pk__in=shared_with_zone)
    )
    return deals.filter(Q(track=DealTrack.DEAL) | case_visible)


def deal_get(*, viewer: Any, reference: str) -> Deal:
    """One deal the viewer may see; Deal.DoesNotExist otherwise (a 404: others cannot learn it exists)."""
    return deals_visible(viewer=viewer).get(reference=reference)


def is_party_member(*, user: Any, deal: Deal) -> bool:
    """Whether the user belongs to one of the deal's party organisations."""
    own = set(organisation_ids_of(user))
    return any(party.organisation_id in own for party in deal.parties.all())


def can_manage(*, user: Any, deal: Deal) -> bool:
    """Staff and the deal's owner move a deal's stage, edit it and change its parties."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or (deal.owner_id is not None and deal.owner_id == user.pk))


def can_set_next_step(*, user: Any, deal: Deal) -> bool:
    """Staff, the owner, and the members of the deal's parties: the parties are the ones who take the
    next step, so they may say what it is and when; they may not move the stage, which is the center's
    assessment of the deal."""
    return can_manage(user=user, deal=deal) or is_party_member(user=user, deal=deal)


def is_zone_member(*, user: Any, deal: Deal) -> bool:
    """Whether the user belongs to the organisation of the zone that took up the relocation case."""
    if deal.track != DealTrack.RELOCATION or deal.zone is None or deal.zone.organisation_id is None:
        return False
    return deal.zone.organisation_id in set(organisation_ids_of(user))


def withdrawn_with_request(deal: Deal) -> bool:
    """Whether the relocation case is closed because its company withdrew the request
    (`services.cases.relocation_request_remove`): the zone does not reopen it, only staff do."""
    if deal.track != DealTrack.RELOCATION or deal.stage != RelocationStage.WITHDRAWN:
        return False
    return request_withdrawn(deal.relocation_request_id)


def request_withdrawn(relocation_request_id: int | None) -> bool:
    """Whether the company withdrew the relocation request (one of its cases moved to withdrawn with it):
    it is closed then, and no zone takes it up again; staff still may, when the company asks them."""
    if relocation_request_id is None:
        return False
    return DealEvent.objects.filter(
        deal__relocation_request_id=relocation_request_id, changes__cause="request_withdrawn"
    ).exists()


def can_move_stage(*, user: Any, deal: Deal) -> bool:
    """Staff and the owner move any deal; the zone's members also move the relocation cases of their
    zone (the zone authority works the case: advice, site visit, licence), except one the company closed
    by withdrawing its request."""
    if can_manage(user=user, deal=deal):
        return True
    return is_zone_member(user=user, deal=deal) and not withdrawn_with_request(deal)


def stage_moves(deal: Deal, *, reached: set[str] | None = None) -> list[tuple[str, str]]:
    """The stages `deal` may move to from where it is, as (code, label), in order.

    A deal may move to any other stage (the board moves cards back as well as on). A relocation case
    moves through RELOCATION_SEQUENCE one step at a time: on to the next stage (no skipping: a licence
    is not granted before it is applied for), back one step (a correction), or to declined, withdrawn
    or stalled (with a reason) from anywhere; a case that ended or stalled resumes at a stage it had
    already reached (`reached`: the stages in its history, read when not given)."""
    stages = track_stages(deal.track)
    if deal.track != DealTrack.RELOCATION:
        return [(value, label) for value, label in stages if value != deal.stage]
    allowed: set[str] = {str(stage) for stage in STAGES_NEEDING_REASON} - {deal.stage}
    sequence = [str(stage) for stage in RELOCATION_SEQUENCE]
    if deal.stage in sequence:
        index = sequence.index(deal.stage)
        allowed.update(sequence[max(0, index - 1) : index + 2])
        allowed.discard(deal.stage)
    else:
        if reached is None:
            reached = set(DealEvent.objects.filter(deal=deal).values_list("to_stage", flat=True))
        allowed.update(stage for stage in sequence if stage in reached or stage == RelocationStage.INQUIRY)
    return [(value, label) for value, label in stages if value in allowed]


def board_check(*, viewer: Any) -> None:
    """The board and its exports are the center's working view: staff only (PermissionDenied otherwise)."""
    if not getattr(viewer, "is_staff", False):
        raise PermissionDenied(_("Only staff see the deals board."))


def staff_users() -> QuerySet[User]:
    """Active platform staff: who may own a deal, and who is reminded of a deal without an owner."""
    return User.objects.filter(Q(role="staff") | Q(is_superuser=True), is_active=True).order_by("full_name", "pk")


def deal_documents(*, viewer: Any, deal: Deal) -> QuerySet[DealDocument]:
    """The deal's documents, oldest first, for those who see the deal (Deal.DoesNotExist otherwise): a
    relocation case's through `deals_visible`, which reads its request through the request's selector."""
    if not deals_visible(viewer=viewer).filter(pk=deal.pk).exists():
        raise Deal.DoesNotExist
    return DealDocument.objects.filter(deal=deal).select_related("deal", "uploaded_by").order_by("uploaded_at", "pk")


def deal_document_get(*, viewer: Any, deal: Deal, document_id: int) -> DealDocument:
    """One document of a deal the viewer sees; DealDocument.DoesNotExist otherwise (a 404)."""
    try:
        return deal_documents(viewer=viewer, deal=deal).get(pk=document_id)
    except Deal.DoesNotExist as error:
        raise DealDocument.DoesNotExist from error


def can_add_document(*, user: Any, deal: Deal) -> bool:
    """Those who set the next step add documents: staff, the owner and the parties' members (for a case,
    only while they still see it)."""
    return can_set_next_step(user=user, deal=deal) and deals_visible(viewer=user).filter(pk=deal.pk).exists()


def can_remove_document(*, user: Any, deal: Deal, document: DealDocument) -> bool:
    """Staff, the owner, and whoever uploaded it (while they still see the deal)."""
    if can_manage(user=user, deal=deal):
        return True
    uploader = document.uploaded_by_id is not None and document.uploaded_by_id == getattr(user, "pk", None)
    return uploader and deals_visible(viewer=user).filter(pk=deal.pk).exists()


def reminder_zone_members(deal: Deal) -> list[Any]:
    """The zone side of a relocation case, reminded of its next step beside the owner or staff: the active
    members of the zone's organisation, while the request is still shared with that zone (unshared, the
    case is no longer theirs to see). None for a deal."""
    if deal.track != DealTrack.RELOCATION or deal.zone is None or deal.zone.organisation_id is None:
        return []
    if deal.relocation_request is None or not deal.relocation_request.shared_with.filter(pk=deal.zone.pk).exists():
        return []
    return [user for user in members_of(deal.zone.organisation_id) if user.is_active]


def deal_history(*, viewer: Any, deal: Deal) -> QuerySet[DealEvent]:
    """The deal's history, newest first, for those who see the deal (Deal.DoesNotExist otherwise)."""
    if not deals_visible(viewer=viewer).filter(pk=deal.pk).exists():
        raise Deal.DoesNotExist
    return DealEvent.objects.filter(deal=deal).select_related("actor").order_by("-created_at", "-pk")


def stage_cause(changes: dict[str, Any], *, started: bool = False) -> str:
    """Why a deal moved by itself (services.pipeline.deal_stage_follow's `cause`), in the reader's language:
    "Moved automatically: MoU MOU-… v3 returned by the Law and Justice Division". Empty for a move made on
    the board. `started`: the deal's first row (a deal started by an approval taking effect)."""
    cause = changes.get("cause")
    version = changes.get("version")
    values = {"reference": changes.get("mou") or changes.get("proposal") or "", "version": version or ""}
    if cause == "proposal_approved":
        if started:
            return _("Started automatically: proposal %(reference)s approved") % values
        return _("Moved automatically: proposal %(reference)s approved") % values
    if cause == "request_withdrawn":
        return _("Withdrawn with its relocation request, by the company")
    if cause == "mou_returned":
        office = changes.get(f"office_{content_language()}") or changes.get("office_en") or ""
        if office and version:
            return _("Moved automatically: MoU %(reference)s v%(version)s returned by %(office)s") % {
                **values,
                "office": office,
            }
        return _("Moved automatically: MoU %(reference)s returned") % values
    messages = {
        "mou_drafted": (
            _("Moved automatically: MoU %(reference)s v%(version)s drafted"),
            _("Moved automatically: MoU %(reference)s drafted"),
        ),
        "mou_sent": (
            _("Moved automatically: MoU %(reference)s v%(version)s sent on its route"),
            _("Moved automatically: MoU %(reference)s sent on its route"),
        ),
        "mou_signed": (
            _("Moved automatically: MoU %(reference)s v%(version)s signed and sealed"),
            _("Moved automatically: MoU %(reference)s signed and sealed"),
        ),
    }
    if cause in messages:
        with_version, without = messages[cause]
        return (with_version if version else without) % values
    return ""


@dataclass(frozen=True)
class HistoryRow:
    """One row of a deal's history as its page shows it: the event and, for an automatic move, its cause."""

    entry: DealEvent
    cause: str


def deal_history_rows(*, viewer: Any, deal: Deal) -> list[HistoryRow]:
    """deal_history with each automatic move's cause in the reader's language."""
    return [
        HistoryRow(entry, stage_cause(entry.changes, started=entry.kind == DealEventKind.CREATED))
        for entry in deal_history(viewer=viewer, deal=deal)
    ]


# --- measures shown on cards, lists and exports ------------------------------------------------------


def days_in_stage(deal: Deal, *, now: datetime | None = None) -> int:
    return max(0, ((now or timezone.now()) - deal.stage_changed_at).days)


def age_days(deal: Deal, *, now: datetime | None = None) -> int:
    return max(0, ((now or timezone.now()) - deal.created_at).days)


def is_overdue(deal: Deal, *, today: date | None = None) -> bool:
    """The next step's date has passed (a step due today is due, not overdue)."""
    return deal.next_step_on is not None and deal.next_step_on < (today or timezone.localdate())


@dataclass
class BoardCard:
    deal: Deal
    days_in_stage: int
    age_days: int
    is_overdue: bool


@dataclass
class BoardColumn:
    stage: str
    label: str
    cards: list[BoardCard] = field(default_factory=list)


def deal_board(*, viewer: Any, deals: QuerySet[Deal]) -> list[BoardColumn]:
    """The board: one column per stage (all of them, empty ones too, so that a deal can be moved
    anywhere), each with its cards, longest in the stage first. `deals` is `deals_visible` already
    filtered (DealFilterSet); staff only."""
    board_check(viewer=viewer)
    now, today = timezone.now(), timezone.localdate()
    columns = {stage.value: BoardColumn(stage=stage.value, label=str(stage.label)) for stage in BOARD_STAGES}
    for deal in deals.filter(track=DealTrack.DEAL).order_by("stage_changed_at", "pk"):
        card = BoardCard(
            deal=deal,
            days_in_stage=days_in_stage(deal, now=now),
            age_days=age_days(deal, now=now),
            is_overdue=is_overdue(deal, today=today),
        )
        columns[deal.stage].cards.append(card)
    return list(columns.values())


EXPORT_FIELDS = (
    "reference",
    "title",
    "subject",
    "stage",
    "stage_reason",
    "in_stage_since",
    "days_in_stage",
    "age_days",
    "parties",
    "countries",
    "sector",
    "owner",
    "amount",
    "currency",
    "next_step",
    "next_step_on",
    "next_step_overdue",
    "created_at",
)


def deal_export_records(*, viewer: Any, deals: QuerySet[Deal]) -> list[dict[str, Any]]:
    """One plain record per deal (the names in EXPORT_FIELDS), for the board's CSV/XLSX and for
    `silkbridge deals export`; staff only. Stage and subject are codes (the same in every language);
    parties are "key: name (role)" joined with "; "."""
    board_check(viewer=viewer)
    now, today = timezone.now(), timezone.localdate()
    return [
        export_record(deal, now=now, today=today)
        for deal in deals.filter(track=DealTrack.DEAL).order_by("stage", "stage_changed_at", "pk")
    ]


def export_record(deal: Deal, *, now: datetime, today: date) -> dict[str, Any]:
    """One deal's plain record (EXPORT_FIELDS), for deal_export_records and the relocation cases' export."""
    parties = list(deal.parties.all())
    return {
        "reference": deal.reference,
        "title": deal.title,
        "subject": deal.subject,
        "stage": deal.stage,
        "stage_reason": deal.stage_reason,
        "in_stage_since": deal.stage_changed_at.isoformat(),
        "days_in_stage": days_in_stage(deal, now=now),
        "age_days": age_days(deal, now=now),
        "parties": "; ".join(
            f"{party.organisation.key}: {party.organisation.name_en} ({party.role})" for party in parties
        ),
        "countries": ", ".join(sorted({party.organisation.country for party in parties})),
        "sector": deal.sector.code if deal.sector else "",
        "owner": deal.owner.email if deal.owner else "",
        "amount": str(deal.amount) if deal.amount is not None else "",
        "currency": deal.currency,
        "next_step": deal.next_step,
        "next_step_on": deal.next_step_on.isoformat() if deal.next_step_on else "",
        "next_step_overdue": is_overdue(deal, today=today),
        "created_at": deal.created_at.isoformat(),
    }


def deals_due(*, today: date) -> QuerySet[Deal]:
    """Deals whose next step is due today or overdue, not reminded today, and still moving."""
    return (
        Deal.objects.filter(next_step_on__lte=today)
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
        .exclude(stage__in=CLOSED_STAGES)
        .order_by("next_step_on", "pk")
    )


# --- where a deal starts: the lead, as the starter may see it ----------------------------------------


def lead_interest(*, viewer: Any, interest_id: int) -> ExpressionOfInterest:
    """An accepted expression of interest the viewer may start a deal from: staff any, others one
    their organisation sent or received. ValidationError naming `interest` otherwise (the same
    message whether it does not exist or is someone else's)."""
    interests = ExpressionOfInterest.objects.select_related("opportunity__organisation", "organisation")
    if not getattr(viewer, "is_staff", False):
        own = organisation_ids_of(viewer)
        interests = interests.filter(Q(organisation_id__in=own) | Q(opportunity__organisation_id__in=own))
    try:
        interest = interests.get(pk=interest_id)
    except ExpressionOfInterest.DoesNotExist as error:
        raise ValidationError(
            {"interest": _("No expression of interest of your organisations has this number.")}
        ) from error
    if interest.status != InterestStatus.ACCEPTED:
        raise ValidationError({"interest": _("Only an accepted expression of interest can start a deal.")})
    return interest


def lead_meeting(*, viewer: Any, meeting_id: int) -> Meeting:
    """A meeting rated "cooperation possible" the viewer may start a deal from: staff any, others one
    their organisation took part in. ValidationError naming `meeting` otherwise."""
    meetings = Meeting.objects.select_related("request__requester__organisation", "request__recipient__organisation")
    if not getattr(viewer, "is_staff", False):
        own = organisation_ids_of(viewer)
        meetings = meetings.filter(
            Q(request__requester__organisation_id__in=own) | Q(request__recipient__organisation_id__in=own)
        )
    try:
        meeting = meetings.get(pk=meeting_id)
    except Meeting.DoesNotExist as error:
        raise ValidationError({"meeting": _("No meeting of your organisations has this number.")}) from error
    if not meeting.ratings.filter(outcome=MeetingOutcome.COOPERATION_POSSIBLE).exists():
        raise ValidationError({"meeting": _("Only a meeting rated “cooperation possible” can start a deal.")})
    return meeting


def lead_proposal(*, viewer: Any, reference: str) -> Proposal:
    """An approved proposal staff may start a deal from (an approved proposal is past its call's
    deadline and decision, so nothing sealed is reachable this way). ValidationError naming `proposal`."""
    board_check(viewer=viewer)
    proposals = Proposal.objects.select_related("organisation", "recipient", "call__issuer")
    try:
        return proposals.get(reference=reference, status=ProposalStatus.APPROVED)
    except Proposal.DoesNotExist as error:
        if proposals.filter(reference=reference, call__isnull=False, decision=Decision.APPROVE).exists():
            raise ValidationError({"proposal": PROPOSAL_APPROVAL_PENDING}) from error
        raise ValidationError({"proposal": _("No approved proposal has this reference.")}) from error
