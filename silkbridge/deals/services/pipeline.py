"""Writes for deals: start one from a lead, move it through its stages, edit it, change its parties, set
its next step, and remind owners of next steps that are due.

Who may do what (the selectors' `can_manage` and `can_set_next_step` say the same to pages and API):
- Start a deal: platform staff from any lead (an accepted expression of interest, a meeting rated
  "cooperation possible", an approved proposal) or by hand; a member of an organisation that is a side
  of an accepted expression of interest or of such a meeting, from that lead only, and with that
  lead's two organisations as the parties.
- Move the stage, edit the details, add or remove parties: staff and the deal's owner (a staff user).
- Set the next step and its date (with a note): staff, the owner, and the members of the parties,
  who are the ones taking the step. Parties do not move the stage: that is the center's assessment.

Every write checks first, saves in one transaction and writes its DealEvent row in it
(`deals.history.pipeline`); a refusal names the field and stores nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.common import file_kinds
from silkbridge.core.uploads import file_refusal_message
from silkbridge.deals.choices import (
    STAGES_NEEDING_REASON,
    DealOrigin,
    DealPartyRole,
    DealStage,
    DealSubject,
    DealTrack,
    Decision,
    ProposalStatus,
    RelocationStage,
)
from silkbridge.deals.history import pipeline as history
from silkbridge.deals.models import Deal, DealDocument, DealParty, Proposal
from silkbridge.deals.selectors import pipeline as selectors
from silkbridge.deals.services.proposals import document_max_bytes, read_upload
from silkbridge.directory.models import Organisation, Sector
from silkbridge.directory.selectors import organisation_ids_of
from silkbridge.events.choices import MeetingOutcome
from silkbridge.events.models import Meeting
from silkbridge.marketplace.choices import InterestStatus
from silkbridge.marketplace.models import ExpressionOfInterest
from silkbridge.money.selectors import current_rates
from silkbridge.notifications.choices import NotificationKind
from silkbridge.notifications.services import notify

EDITABLE_FIELDS = frozenset({"title", "description", "sector", "amount", "currency", "owner"})


def _require_manager(*, actor: Any, deal: Deal) -> None:
    if not selectors.can_manage(user=actor, deal=deal):
        raise PermissionDenied(_("Only staff and the deal's owner may change this deal."))


def _locked(deal: Deal) -> Deal:
    """The deal's row, locked until the transaction ends: two staff moving one card do not interleave."""
    return Deal.objects.select_for_update().get(pk=deal.pk)


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError({"amount": _("Enter a number.")}) from error
    if not amount.is_finite() or amount < 0:
        raise ValidationError({"amount": _("Enter an amount of zero or more.")})
    return amount


def _currency(value: str, amount: Decimal | None) -> str:
    code = (value or "").strip().upper()
    if amount is not None and not code:
        raise ValidationError({"currency": _("Say which currency the amount is in.")})
    if code and not current_rates().knows(code):
        raise ValidationError(
            {
                "currency": _("No exchange rate is set for %(code)s; use one of %(known)s.")
                % {"code": code, "known": ", ".join(sorted(current_rates().per_usd))}
            }
        )
    return code


def _check_owner(owner: Any) -> None:
    if owner is not None and not selectors.staff_users().filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("A deal's owner must be an active member of staff.")})


def _full_clean(deal: Deal) -> None:
    # The parties, creator and lead links are checked by the service itself (they are not the form's).
    deal.full_clean(exclude=["created_by", "interest", "meeting", "proposal", "owner"], validate_constraints=False)


# --- starting a deal ---------------------------------------------------------------------------------


def _lead_sides(
    *, actor: Any, origin: str, interest: Any, meeting: Any, proposal: Any
) -> list[tuple[Organisation, str]]:
    """The lead's organisations with their roles, after checking that the lead can start a deal and
    that the actor may start it. Staff may start from any lead; others only from an interest or a
    meeting their organisation is a side of."""
    is_staff = bool(getattr(actor, "is_staff", False))
    leads = {"interest": interest, "meeting": meeting, "proposal": proposal}
    given = [name for name, value in leads.items() if value is not None]
    if origin not in DealOrigin.values:
        raise ValidationError({"origin": _("Choose where the deal starts from.")})
    others = [name for name in given if name != origin]
    if others:
        message = (
            _("A deal entered by hand does not start from a lead.")
            if origin == DealOrigin.MANUAL
            else _("A deal starts from one lead only.")
        )
        raise ValidationError({others[0]: message})
    if origin != DealOrigin.MANUAL and origin not in given:
        raise ValidationError({origin: _("Say which lead the deal starts from.")})
    if origin == DealOrigin.MANUAL:
        if not is_staff:
            raise PermissionDenied(_("Only staff may enter a deal by hand."))
        return []
    if origin == DealOrigin.PROPOSAL:
        if not is_staff:
            raise PermissionDenied(_("Only staff may start a deal from a proposal."))
        return _proposal_sides(proposal)
    sides = _interest_sides(interest) if origin == DealOrigin.INTEREST else _meeting_sides(meeting)
    own = set(organisation_ids_of(actor))
    if not is_staff and not any(organisation.pk in own for organisation, _role in sides):
        raise PermissionDenied(_("Only staff and the lead's two organisations may start a deal from it."))
    return sides


def _interest_sides(interest: ExpressionOfInterest) -> list[tuple[Organisation, str]]:
    if interest.status != InterestStatus.ACCEPTED:
        raise ValidationError({"interest": _("Only an accepted expression of interest can start a deal.")})
    return [
        (interest.organisation, DealPartyRole.INITIATOR),
        (interest.opportunity.organisation, DealPartyRole.PARTNER),
    ]


def _meeting_sides(meeting: Meeting) -> list[tuple[Organisation, str]]:
    if not meeting.ratings.filter(outcome=MeetingOutcome.COOPERATION_POSSIBLE).exists():
        raise ValidationError({"meeting": _("Only a meeting rated “cooperation possible” can start a deal.")})
    return [
        (meeting.request.requester.organisation, DealPartyRole.INITIATOR),
        (meeting.request.recipient.organisation, DealPartyRole.PARTNER),
    ]


def _proposal_sides(proposal: Proposal) -> list[tuple[Organisation, str]]:
    if proposal.status != ProposalStatus.APPROVED:
        # A call proposal's approval is only recorded until the call's decision takes effect (after the
        # evaluation report's grievance window): its status stays "submitted" until then.
        if proposal.call_id is not None and proposal.decision == Decision.APPROVE:
            raise ValidationError({"proposal": selectors.PROPOSAL_APPROVAL_PENDING})
        raise ValidationError({"proposal": _("Only an approved proposal can start a deal.")})
    counterpart = proposal.recipient or (proposal.call.issuer if proposal.call is not None else None)
    sides: list[tuple[Organisation, str]] = [(proposal.organisation, DealPartyRole.INITIATOR)]
    if counterpart is not None:
        sides.append((counterpart, DealPartyRole.AUTHORITY))
    return sides


def _parties(
    *, actor: Any, sides: list[tuple[Organisation, str]], organisations: Sequence[Organisation]
) -> list[tuple[Organisation, str]]:
    """The lead's sides and the organisations given, each once. Staff may add organisations to a
    lead's two; a member starting from a lead may not bring in a third (it would see the deal)."""
    parties = list(sides)
    known = {organisation.pk for organisation, _role in parties}
    for organisation in organisations:
        if organisation.pk in known:
            continue
        if sides and not getattr(actor, "is_staff", False):
            raise ValidationError(
                {"organisations": _("Only staff may add an organisation that is not a side of the lead.")}
            )
        parties.append((organisation, DealPartyRole.PARTNER))
        known.add(organisation.pk)
    if len(parties) < 2:
        raise ValidationError({"organisations": _("A deal joins at least two organisations.")})
    return parties


def _existing_deal_error(*, actor: Any, origin: str, interest: Any, meeting: Any, proposal: Any) -> ValidationError:
    """The deal already started from this lead, named to those who may see it (a side whose
    organisation staff have since removed from the deal learns only that it exists)."""
    lookup = {"interest": interest, "meeting": meeting, "proposal": proposal}
    existing = Deal.objects.filter(**{origin: lookup[origin]}).only("reference", "title").first()
    if existing is None:  # the constraint that failed was not the one-deal-per-lead one
        return ValidationError({origin: _("This deal could not be saved; try again.")})
    if not selectors.deals_visible(viewer=actor).filter(pk=existing.pk).exists():
        return ValidationError({origin: _("A deal has already started from this lead.")})
    return ValidationError(
        {
            origin: _("A deal already started from this lead: “%(title)s” (%(reference)s).")
            % {"title": existing.title, "reference": existing.reference}
        }
    )


@transaction.atomic
def deal_start(
    *,
    actor: Any,
    title: str,
    subject: str,
    organisations: Sequence[Organisation],
    origin: str,
    interest: ExpressionOfInterest | None = None,
    meeting: Meeting | None = None,
    proposal: Proposal | None = None,
    sector: Sector | None = None,
    amount: Decimal | str | None = None,
    currency: str = "",
    description: str = "",
) -> Deal:
    """A new deal at the lead stage (its parties: the lead's sides, plus the organisations given). A
    second start from the same lead is refused with the existing deal's title and reference. Staff who
    start a deal become its owner."""
    sides = _lead_sides(actor=actor, origin=origin, interest=interest, meeting=meeting, proposal=proposal)
    parties = _parties(actor=actor, sides=sides, organisations=organisations)
    if subject not in DealSubject.values:
        raise ValidationError({"subject": _("Choose what the deal is about.")})
    amount_value = _amount(amount)
    is_staff = bool(getattr(actor, "is_staff", False))
    deal = Deal(
        title=(title or "").strip(),
        subject=subject,
        description=(description or "").strip(),
        origin=origin,
        interest=interest,
        meeting=meeting,
        proposal=proposal,
        sector=sector,
        amount=amount_value,
        currency=_currency(currency, amount_value),
        owner=actor if is_staff else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        stage=DealStage.LEAD,
        stage_changed_at=timezone.now(),
    )
    _full_clean(deal)
    if origin != DealOrigin.MANUAL and Deal.objects.filter(**{origin: getattr(deal, origin)}).exists():
        raise _existing_deal_error(actor=actor, origin=origin, interest=interest, meeting=meeting, proposal=proposal)
    try:
        with transaction.atomic():  # a savepoint: a racing second start fails on the constraint, not a 500
            deal.save()
    except IntegrityError as error:
        raise _existing_deal_error(
            actor=actor, origin=origin, interest=interest, meeting=meeting, proposal=proposal
        ) from error
    DealParty.objects.bulk_create(
        [DealParty(deal=deal, organisation=organisation, role=role) for organisation, role in parties]
    )
    history.deal_created(deal=deal, actor=actor, parties=[organisation.key for organisation, _role in parties])
    return deal


# --- moving and editing ------------------------------------------------------------------------------


@transaction.atomic
def deal_stage_set(*, actor: Any, deal: Deal, stage: str, note: str = "") -> Deal:
    """Move the deal to `stage` (any other stage: the board moves cards back as well as on). Declined,
    withdrawn and stalled need the reason, given as the note; it is kept as the deal's stage reason
    until the deal moves again. A relocation case moves only as `selectors.stage_moves` allows (one
    step on or back, or to an end), by staff, its owner or the zone's members."""
    relocation = deal.track == DealTrack.RELOCATION
    if not relocation:
        _require_manager(actor=actor, deal=deal)
    elif not selectors.can_move_stage(user=actor, deal=deal):
        if selectors.withdrawn_with_request(deal):
            raise PermissionDenied(_("The company withdrew this request: only staff reopen its case."))
        raise PermissionDenied(_("Only staff, the case's owner and the zone's members may move this case."))
    if stage not in (RelocationStage.values if relocation else DealStage.values):
        raise ValidationError({"stage": _("Choose one of the stages.")})
    note = (note or "").strip()
    if stage in STAGES_NEEDING_REASON and not note:
        raise ValidationError({"note": _("Say why the deal is declined, withdrawn or stalled.")})
    deal = _locked(deal)
    if deal.stage == stage:
        raise ValidationError({"stage": _("The deal is already at this stage.")})
    if relocation and stage not in dict(selectors.stage_moves(deal)):
        raise ValidationError(
            {
                "stage": _("A relocation case moves one stage at a time: from %(stage)s it may go to %(allowed)s.")
                % {
                    "stage": deal.get_stage_display(),
                    "allowed": ", ".join(str(label) for _value, label in selectors.stage_moves(deal)),
                }
            }
        )
    return _stage_move(actor=actor, deal=deal, stage=stage, note=note)


def _stage_move(*, actor: Any, deal: Deal, stage: str, note: str = "", cause: dict[str, str] | None = None) -> Deal:
    """Move a locked deal and write its history row (the checks are the caller's)."""
    before = deal.stage
    deal.stage = stage
    deal.stage_reason = note if stage in STAGES_NEEDING_REASON else ""
    deal.stage_changed_at = timezone.now()
    _full_clean(deal)
    deal.save(update_fields=["stage", "stage_reason", "stage_changed_at", "updated_at"])
    history.deal_stage_changed(deal=deal, actor=actor, before=before, note=note, cause=cause)
    return deal


# --- moves that follow the story -------------------------------------------------------------------------
#
# Other parts' services move a deal when the story reaches a stage: a proposal's approval takes effect
# (→ approved, the deal started from the proposal if there is none), its MoU is drafted (→ MoU drafting),
# sent on its route (→ vetting), returned by an office (→ MoU drafting), signed (→ signed). The actor is
# the user who did that action, already checked by the calling service for its own right to do it; they
# need not be staff or the deal's owner (a member of the calling body decides a call, an authority's
# member sends an MoU), so these internals skip `can_manage` but write the DealEvent with that actor and
# a `cause` in its changes ({"cause": "mou_sent", "mou": "MOU-…"}), so the history says who and why.
# They are called inside the calling service's transaction and are never reached from a page or the API.


def deal_stage_follow(*, actor: Any, deal: Deal, stage: str, cause: dict[str, str]) -> Deal:
    """Move the deal to `stage` because of `cause` (see above); nothing happens when it is there already
    (an MoU sent again after a return, a second draft), nor to a relocation case (its stages are not the
    MoU story's: an MoU drafted on a case leaves the case where it is)."""
    deal = _locked(deal)
    if deal.stage == stage or deal.track != DealTrack.DEAL:
        return deal
    return _stage_move(actor=actor, deal=deal, stage=stage, cause=cause)


def case_withdraw_follow(*, actor: Any, deal: Deal, reason: str) -> Deal:
    """The company withdrew the relocation request: its case moves to withdrawn with the company's reason
    (allowed from any stage), unless it is already declined or withdrawn. The actor is the company's member
    or staff, already checked by `services.cases.relocation_request_remove`."""
    deal = _locked(deal)
    if deal.track != DealTrack.RELOCATION or deal.stage in selectors.CLOSED_STAGES:
        return deal
    return _stage_move(
        actor=actor, deal=deal, stage=RelocationStage.WITHDRAWN, note=reason, cause={"cause": "request_withdrawn"}
    )


def deal_follow_proposal(*, actor: Any, proposal: Proposal) -> Deal:
    """The approval of `proposal` took effect: its deal moves to "approved", started now if none exists
    (titled as the proposal, its parties the submitter and the calling body, or the recipient of an
    unsolicited proposal, as the authority; owned by the actor if they are staff)."""
    cause = {"cause": "proposal_approved", "proposal": proposal.reference}
    existing = Deal.objects.filter(proposal=proposal).first()
    if existing is not None:
        return deal_stage_follow(actor=actor, deal=existing, stage=DealStage.APPROVED, cause=cause)
    sides = _proposal_sides(proposal)
    parties = _parties(actor=actor, sides=sides, organisations=[])
    is_staff = bool(getattr(actor, "is_staff", False))
    call = proposal.call
    deal = Deal(
        title=proposal.title,
        subject=DealSubject.DATA_CENTER if call is not None and call.minimum_tier else DealSubject.OTHER,
        origin=DealOrigin.PROPOSAL,
        proposal=proposal,
        sector=call.sector if call is not None else None,
        owner=actor if is_staff else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        stage=DealStage.APPROVED,
        stage_changed_at=timezone.now(),
    )
    _full_clean(deal)
    deal.save()
    DealParty.objects.bulk_create(
        [DealParty(deal=deal, organisation=organisation, role=role) for organisation, role in parties]
    )
    history.deal_created(
        deal=deal, actor=actor, parties=[organisation.key for organisation, _role in parties], cause=cause
    )
    return deal


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "code"):  # a sector
        return str(value.code)
    if hasattr(value, "email"):  # the owner
        return str(value.email)
    return str(value)


@transaction.atomic
def deal_update(*, actor: Any, deal: Deal, fields: dict[str, Any]) -> Deal:
    """Change the title, description, sector, amount and currency, or owner (a member of staff). Only
    the fields given change; the history row lists each with its value before and after."""
    _require_manager(actor=actor, deal=deal)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in sorted(unknown)})
    deal = _locked(deal)
    data = dict(fields)
    if "title" in data:
        data["title"] = (data["title"] or "").strip()
    if "description" in data:
        data["description"] = (data["description"] or "").strip()
    if "amount" in data:
        data["amount"] = _amount(data["amount"])
    if "amount" in data or "currency" in data:
        amount = data.get("amount", deal.amount)
        data["currency"] = _currency(data.get("currency", deal.currency), amount)
    if "owner" in data:
        _check_owner(data["owner"])
    changes: dict[str, list[Any]] = {}
    for name, value in data.items():
        before = getattr(deal, name)
        if _shown(before) != _shown(value) or before != value:
            changes[name] = [_shown(before), _shown(value)]
            setattr(deal, name, value)
    if not changes:
        return deal
    _full_clean(deal)
    deal.save(update_fields=[*changes, "updated_at"])
    history.deal_edited(deal=deal, actor=actor, changes=changes)
    return deal


@transaction.atomic
def deal_party_add(
    *, actor: Any, deal: Deal, organisation: Organisation, role: str = DealPartyRole.PARTNER
) -> DealParty:
    _require_manager(actor=actor, deal=deal)
    if role not in DealPartyRole.values:
        raise ValidationError({"role": _("Choose one of the roles.")})
    deal = _locked(deal)
    if DealParty.objects.filter(deal=deal, organisation=organisation).exists():
        raise ValidationError({"organisation": _("This organisation is already a party to the deal.")})
    party = DealParty.objects.create(deal=deal, organisation=organisation, role=role)
    deal.save(update_fields=["updated_at"])
    history.deal_party_added(deal=deal, actor=actor, organisation=organisation.key, role=role)
    return party


@transaction.atomic
def deal_party_remove(*, actor: Any, deal: Deal, organisation: Organisation) -> Deal:
    """Remove a party; a deal keeps at least two (its members then no longer see it)."""
    _require_manager(actor=actor, deal=deal)
    deal = _locked(deal)
    parties = DealParty.objects.filter(deal=deal)
    if not parties.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("This organisation is not a party to the deal.")})
    if parties.count() <= 2:
        raise ValidationError({"organisation": _("A deal joins at least two organisations.")})
    parties.filter(organisation=organisation).delete()
    deal.save(update_fields=["updated_at"])
    history.deal_party_removed(deal=deal, actor=actor, organisation=organisation.key)
    return deal


@transaction.atomic
def deal_next_step_set(*, actor: Any, deal: Deal, next_step: str, due_on: date | None, note: str = "") -> Deal:
    """Say what happens next and by when (staff, the owner or a party's member). An empty step with no
    date clears it. A new date is reminded again when it comes (the reminder mark is cleared)."""
    if not selectors.can_set_next_step(user=actor, deal=deal):
        raise PermissionDenied(_("Only staff, the deal's owner and its parties may set the next step."))
    next_step = (next_step or "").strip()
    if due_on is not None and not next_step:
        raise ValidationError({"next_step": _("Say what the next step is.")})
    if next_step and due_on is None:
        raise ValidationError({"due_on": _("Give the date the next step is due.")})
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("Choose today or a later date.")})
    deal = _locked(deal)
    before = {"next_step": deal.next_step, "next_step_on": str(deal.next_step_on or "")}
    deal.next_step, deal.next_step_on = next_step, due_on
    deal.reminded_on = None
    _full_clean(deal)
    deal.save(update_fields=["next_step", "next_step_on", "reminded_on", "updated_at"])
    history.deal_next_step_set(deal=deal, actor=actor, before=before, note=(note or "").strip())
    return deal


# --- documents ----------------------------------------------------------------------------------------


@transaction.atomic
def deal_document_add(*, actor: Any, deal: Deal, upload: Any) -> DealDocument:
    """Add a document to a deal or relocation case (staff, the owner, the parties' members who see it):
    the same size limit, accepted types and zip checks as a proposal's documents (common.file_kinds), stored
    through the default storage with its size and SHA-256. A refused file stores nothing."""
    if not selectors.can_add_document(user=actor, deal=deal):
        raise PermissionDenied(_("Only staff, the deal's owner and its parties may add a document."))
    name, content = read_upload(upload)
    try:
        kind = file_kinds.document_check(name=name, content=content, max_expanded=10 * document_max_bytes())
    except file_kinds.UploadRefused as refusal:
        raise ValidationError({"file": file_refusal_message(refusal)}) from refusal
    deal = _locked(deal)
    document = DealDocument(
        deal=deal,
        name=name,
        content_type=kind.content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    document.file.save(name, ContentFile(content), save=False)
    stored = document.file.name
    try:  # should the row not be stored, its file must not stay behind
        document.full_clean(exclude=["uploaded_by"])
        document.save()
        history.deal_document_added(deal=deal, actor=actor, name=name, sha256=document.sha256)
    except Exception:
        document.file.storage.delete(stored)
        raise
    deal.save(update_fields=["updated_at"])
    return document


@transaction.atomic
def deal_document_remove(*, actor: Any, deal: Deal, document: DealDocument) -> None:
    """Remove a document (staff, the owner, or whoever added it); its file goes once the removal is stored.
    The history keeps its name and SHA-256. DealDocument.DoesNotExist (a 404) when a removal beside this
    one got there first."""
    if document.deal_id != deal.pk or not selectors.can_remove_document(user=actor, deal=deal, document=document):
        raise PermissionDenied(_("Only staff, the deal's owner and whoever added it may remove a document."))
    deal = _locked(deal)
    document = DealDocument.objects.select_for_update().get(pk=document.pk, deal=deal)
    history.deal_document_removed(deal=deal, actor=actor, name=document.name, sha256=document.sha256)
    stored, storage = document.file.name, document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(stored))
    deal.save(update_fields=["updated_at"])


# --- the daily reminder ------------------------------------------------------------------------------


def _link(deal: Deal) -> str:
    return settings.SITE_URL + reverse("deals:deal_detail", kwargs={"reference": deal.reference})


def deals_remind(*, today: date | None = None) -> dict[str, Any]:
    """E-mail each due deal's owner (or every member of staff when it has none), and for a relocation
    case the zone's members too (while the request is shared with the zone), in the recipient's
    language, once a day: a conditional update marks the deal reminded today before the e-mail is
    queued, so a second run (or two at once) sends nothing more. Declined and withdrawn deals are left
    alone; a stalled deal with a due step is reminded (restarting it is the step)."""
    today = today or timezone.localdate()
    reminded: list[str] = []
    emails = 0
    for deal in selectors.deals_due(today=today).select_related("owner", "zone", "relocation_request"):
        with transaction.atomic():
            claimed = (
                Deal.objects.filter(pk=deal.pk, next_step_on__lte=today)
                .exclude(reminded_on=today)
                .update(reminded_on=today)
            )
            if not claimed:
                continue  # reminded by a run beside this one, or its step changed since the list was read
            owner = deal.owner if deal.owner is not None and deal.owner.is_active else None
            recipients = [owner] if owner is not None else list(selectors.staff_users())
            sent_to = "owner" if owner is not None else "staff"
            zone_side = [user for user in selectors.reminder_zone_members(deal) if user not in recipients]
            if zone_side:
                recipients += zone_side
                sent_to += "+zone"
            history.deal_reminded(deal_id=deal.pk, sent_to=sent_to)
            notify(
                users=recipients,
                kind=NotificationKind.REMINDER,
                template="deals/pipeline/email/next_step_due.txt",
                context={"deal": deal, "is_overdue": selectors.is_overdue(deal, today=today), "link": _link(deal)},
                url=_link(deal),
            )
        reminded.append(deal.reference)
        emails += len([user for user in recipients if user.email])
    return {"date": today.isoformat(), "reminded": len(reminded), "deals": reminded, "emails": emails}
