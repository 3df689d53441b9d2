"""Writes of proposals: drafts, their documents and data-center design, submission (which freezes a
version, and queues the design's assessment), withdrawal.

Every service takes the actor (a member of the submitting organisation), checks its rules, and writes
its ProposalEvent in the same transaction; a refusal names the field and changes nothing. Nothing is
accepted for a call after its deadline: the call's row is locked and the clock read inside the
transaction, so a submission racing the deadline is judged once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.common import file_kinds
from silkbridge.core.inputs import safe_file_name, unstorable_problem
from silkbridge.core.uploads import file_refusal_message
from silkbridge.datacenters import services as datacenters
from silkbridge.datacenters.report import describe_issues
from silkbridge.deals.choices import CallStatus, CallVisibility, Envelope, EvaluationMethod, ProposalStatus
from silkbridge.deals.history import proposals as history
from silkbridge.deals.models import Call, Proposal, ProposalDocument, ProposalVersion
from silkbridge.deals.selectors.proposals import EDITABLE_STATUSES, VERSION_FIELDS, submitter_check
from silkbridge.directory.choices import ContentLanguage
from silkbridge.directory.models import Organisation
from silkbridge.directory.selectors import is_member
from silkbridge.money.selectors import current_rates

PROPOSAL_FIELDS = frozenset(
    {
        "title",
        "summary",
        "language",
        "budget_amount",
        "budget_currency",
        "declared_price",
        "price_currency",
        "timeline",
        "team",
        "claimed_tier",
        "design_name",
        "design_text",
    }
)
MAX_TIMELINE_ROWS = 100
MAX_TEAM_ROWS = 100
# Years the Monte Carlo model simulates for a proposal's design: enough for a stable availability
# figure, a fraction of a second of a worker.
DESIGN_YEARS = 10_000
DESIGN_SEED = 1


# --- validation --------------------------------------------------------------------------------------


def _decimal(value: Any, name: str, errors: dict[str, str]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[name] = _("Enter a number.")
        return None
    if not amount.is_finite() or amount < 0:
        errors[name] = _("Enter an amount of zero or more.")
        return None
    return amount


def _currency(value: Any, name: str, errors: dict[str, str]) -> str:
    code = str(value or "").strip().upper()
    if code and not current_rates().knows(code):
        errors[name] = _("No exchange rate is set for %(code)s; use one of %(known)s.") % {
            "code": code,
            "known": ", ".join(sorted(current_rates().per_usd)),
        }
    return code


def _timeline(value: Any, errors: dict[str, str]) -> list[dict[str, str]]:
    rows = value or []
    if not isinstance(rows, list) or len(rows) > MAX_TIMELINE_ROWS:
        errors["timeline"] = _("Give at most %(count)d milestones, each with a date and a name.") % {
            "count": MAX_TIMELINE_ROWS
        }
        return []
    cleaned = []
    for number, row in enumerate(rows, start=1):
        milestone = str((row or {}).get("milestone", "")).strip() if isinstance(row, dict) else ""
        due_on = str((row or {}).get("due_on", "")).strip() if isinstance(row, dict) else ""
        try:
            date.fromisoformat(due_on)
        except ValueError:
            errors["timeline"] = _("Milestone %(number)d: enter its date as YYYY-MM-DD.") % {"number": number}
            return []
        if not milestone or len(milestone) > 300:
            errors["timeline"] = _("Milestone %(number)d: name it in 1 to 300 characters.") % {"number": number}
            return []
        cleaned.append({"due_on": due_on, "milestone": milestone})
    return sorted(cleaned, key=lambda row: row["due_on"])


def _team(value: Any, errors: dict[str, str]) -> list[dict[str, str]]:
    rows = value or []
    if not isinstance(rows, list) or len(rows) > MAX_TEAM_ROWS:
        errors["team"] = _("Give at most %(count)d team members, each with a name and a role.") % {
            "count": MAX_TEAM_ROWS
        }
        return []
    cleaned = []
    for number, row in enumerate(rows, start=1):
        name = str(row.get("name", "")).strip() if isinstance(row, dict) else ""
        role = str(row.get("role", "")).strip() if isinstance(row, dict) else ""
        if not name or len(name) > 200 or len(role) > 200:
            errors["team"] = _("Team member %(number)d: give a name (and a role) of at most 200 characters.") % {
                "number": number
            }
            return []
        cleaned.append({"name": name, "role": role})
    return cleaned


def _design(value: Any, name: str, errors: dict[str, str]) -> str:
    """A data-center design (YAML or JSON text), checked by the datacenters app as its own uploads are."""
    text = str(value or "")
    if not text.strip():
        return ""
    try:
        return datacenters.design_check(
            design=datacenters.UploadedText(name=name or "design.yaml", content=text.encode("utf-8"))
        )
    except datacenters.DesignRejected as error:
        lines = [f"{issue['path'] or 'design'}: {issue['message']}" for issue in describe_issues(error.issues)]
        errors["design_text"] = " ".join([_("The design is not valid."), *lines])
        return ""


def _clean(fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - PROPOSAL_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in sorted(unknown)})
    data = dict(fields)
    errors: dict[str, str] = {}
    for name in ("budget_amount", "declared_price"):
        if name in data:
            data[name] = _decimal(data[name], name, errors)
    for name in ("budget_currency", "price_currency"):
        if name in data:
            data[name] = _currency(data[name], name, errors)
    if "timeline" in data:
        data["timeline"] = _timeline(data["timeline"], errors)
    if "team" in data:
        data["team"] = _team(data["team"], errors)
    if "design_text" in data:
        data["design_name"] = safe_file_name(str(data.get("design_name") or ""), default="design.yaml")
        data["design_text"] = _design(data["design_text"], data["design_name"], errors)
        if not data["design_text"]:
            data["design_name"] = ""
    for name in ("title", "summary", "design_name"):
        if name in data:
            data[name] = str(data[name] or "").strip()
            problem = unstorable_problem(data[name])
            if problem:
                errors[name] = problem
    if errors:
        raise ValidationError(errors)
    return data


def _check_whole(proposal: Proposal) -> None:
    errors: dict[str, str] = {}
    if proposal.budget_amount is not None and not proposal.budget_currency:
        errors["budget_currency"] = _("Say which currency the budget is in.")
    if proposal.declared_price is not None and not proposal.price_currency:
        errors["price_currency"] = _("Say which currency the price is in.")
    if errors:
        raise ValidationError(errors)
    proposal.full_clean(exclude=["organisation", "created_by", "call", "recipient", "assessment", "decided_by"])


def _apply(proposal: Proposal, data: Mapping[str, Any]) -> list[str]:
    changed = []
    for name, value in data.items():
        if name in {"budget_currency", "price_currency", "design_name", "design_text", "summary"} and value is None:
            value = ""
        if getattr(proposal, name) != value:
            setattr(proposal, name, value)
            changed.append(name)
    return changed


def _require_member(*, actor: Any, organisation_id: int) -> None:
    if not is_member(actor, organisation_id):
        raise PermissionDenied(_("You are not a member of this organisation."))


def _call_open_check(call: Call, organisation: Organisation, now: Any) -> None:
    """Whether the organisation may submit to the call now: published, before its deadline, invited
    where the call is by invitation, and not the call's own issuer."""
    if call.status != CallStatus.PUBLISHED:
        raise ValidationError({"call": _("This call is not open for proposals.")})
    if now >= call.deadline:
        raise ValidationError({"call": _("The deadline of this call has passed; nothing more is accepted.")})
    if call.issuer_id == organisation.pk:
        raise ValidationError({"organisation": _("An organisation cannot answer its own call.")})
    if call.visibility == CallVisibility.INVITATION and not call.invited.filter(pk=organisation.pk).exists():
        raise ValidationError(
            {"organisation": _("This call is by invitation only, and your organisation is not invited.")}
        )


# --- drafts ------------------------------------------------------------------------------------------


@transaction.atomic
def proposal_create(
    *,
    actor: Any,
    organisation: Organisation,
    fields: Mapping[str, Any],
    call: Call | None = None,
    recipient: Organisation | None = None,
) -> Proposal:
    """A draft of the organisation's proposal to a call (published, open, and one it may answer) or
    unsolicited to another organisation; private to the organisation's members until submitted."""
    _require_member(actor=actor, organisation_id=organisation.pk)
    if (call is None) == (recipient is None):
        raise ValidationError({"call": _("Choose a call, or an organisation to send the proposal to.")})
    if call is not None:
        call = Call.objects.select_for_update().get(pk=call.pk)
        _call_open_check(call, organisation, timezone.now())
    if recipient is not None and recipient.pk == organisation.pk:
        raise ValidationError({"recipient": _("An organisation cannot send a proposal to itself.")})
    data = _clean(fields)
    proposal = Proposal(organisation=organisation, call=call, recipient=recipient, created_by=actor)
    _apply(proposal, data)
    if not proposal.language:
        proposal.language = ContentLanguage.ENGLISH
    _check_whole(proposal)
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError as error:
        raise ValidationError({"call": _("Your organisation already has a proposal for this call.")}) from error
    history.proposal_created(proposal=proposal, actor=actor)
    return proposal


def _locked_editable(*, actor: Any, proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    submitter_check(viewer=actor, proposal=proposal)
    if proposal.status not in EDITABLE_STATUSES:
        raise ValidationError(
            {"status": _("Only a draft, a withdrawn proposal or one returned for revision can be changed.")}
        )
    return proposal


@transaction.atomic
def proposal_update(*, actor: Any, proposal: Proposal, fields: Mapping[str, Any]) -> Proposal:
    """Change a draft (or a proposal returned for revision, or withdrawn before the deadline)."""
    proposal = _locked_editable(actor=actor, proposal=proposal)
    data = _clean(fields)
    changed = _apply(proposal, data)
    _check_whole(proposal)
    if changed:
        proposal.save(update_fields=[*changed, "updated_at"])
        history.proposal_edited(proposal=proposal, actor=actor, fields=changed)
    return proposal


@transaction.atomic
def proposal_draft_delete(*, actor: Any, proposal: Proposal) -> None:
    """Delete a draft that was never submitted, with its documents and their files. A proposal that was
    submitted once keeps its record (its versions are what the caller and reviewers saw): withdraw it."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    submitter_check(viewer=actor, proposal=proposal)
    if proposal.status != ProposalStatus.DRAFT or proposal.versions.exists():
        raise ValidationError(
            {
                "status": _(
                    "Only a draft that was never submitted can be deleted; withdraw a submitted proposal instead."
                )
            }
        )
    files = [(document.file.storage, document.file.name) for document in proposal.documents.all()]
    proposal.delete()  # its documents and its own history go with it: nobody outside its organisation saw it
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


# --- documents ---------------------------------------------------------------------------------------


def document_max_bytes() -> int:
    return int(settings.PROPOSAL_DOCUMENT_MAX_BYTES)


def read_upload(upload: Any) -> tuple[str, bytes]:
    """The upload's name and bytes, refused (naming the field) when it is over the size limit: the
    declared size is checked before anything is read, and at most one byte past the limit is read."""
    limit = document_max_bytes()
    too_large = _("The file is larger than %(size)s MB.") % {"size": f"{limit / (1024 * 1024):g}"}
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError({"file": too_large})
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError({"file": too_large})
    name = safe_file_name(str(getattr(upload, "name", "") or ""), default="document", max_length=200)
    return name, content


@transaction.atomic
def proposal_document_add(
    *, actor: Any, proposal: Proposal, upload: Any, envelope: str = Envelope.TECHNICAL
) -> ProposalDocument:
    """Add a document (PDF, DOCX, XLSX, PNG or JPEG, its type read from its content) to the draft; it is
    stored through the default storage under a random name, with its size and SHA-256. A refused file
    stores nothing."""
    proposal = _locked_editable(actor=actor, proposal=proposal)
    if envelope not in Envelope.values:
        raise ValidationError({"envelope": _("Choose the technical or the financial envelope.")})
    two_envelopes = proposal.call is not None and proposal.call.evaluation == EvaluationMethod.QUALITY_AND_COST
    if envelope == Envelope.FINANCIAL and not two_envelopes:
        raise ValidationError({"envelope": _("Only a call evaluated on quality and cost has a financial envelope.")})
    name, content = read_upload(upload)
    try:
        kind = file_kinds.document_check(name=name, content=content, max_expanded=10 * document_max_bytes())
    except file_kinds.UploadRefused as refusal:
        raise ValidationError({"file": file_refusal_message(refusal)}) from refusal
    document = ProposalDocument(
        proposal=proposal,
        envelope=envelope,
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
        history.proposal_document_added(
            proposal=proposal, actor=actor, name=name, sha256=document.sha256, envelope=envelope
        )
    except Exception:
        document.file.storage.delete(stored)
        raise
    proposal.save(update_fields=["updated_at"])
    return document


@transaction.atomic
def proposal_document_remove(*, actor: Any, proposal: Proposal, document: ProposalDocument) -> None:
    """Take a document out of the draft. One that a submitted version carries is kept (the version
    records it) but no longer part of the draft; one that never left the draft is deleted with its file."""
    proposal = _locked_editable(actor=actor, proposal=proposal)
    document = ProposalDocument.objects.select_for_update().get(pk=document.pk, proposal=proposal, is_current=True)
    history.proposal_document_removed(proposal=proposal, actor=actor, name=document.name, sha256=document.sha256)
    if document.first_version is not None:
        document.is_current = False
        document.save(update_fields=["is_current"])
    else:
        stored, storage = document.file.name, document.file.storage
        document.delete()
        transaction.on_commit(lambda: storage.delete(stored))
    proposal.save(update_fields=["updated_at"])


# --- submission --------------------------------------------------------------------------------------


def _version_content(proposal: Proposal, documents: list[ProposalDocument]) -> dict[str, Any]:
    content: dict[str, Any] = {}
    for name in VERSION_FIELDS:
        value = getattr(proposal, name)
        content[name] = str(value) if isinstance(value, Decimal) else value
    content["documents"] = [
        {
            "id": document.pk,
            "name": document.name,
            "content_type": document.content_type,
            "size": document.size,
            "sha256": document.sha256,
            "envelope": document.envelope,
        }
        for document in documents
    ]
    return content


def _submission_check(proposal: Proposal, call: Call | None, documents: list[ProposalDocument], now: Any) -> None:
    if call is not None and proposal.status != ProposalStatus.REVISE:
        # A first submission (or one after a withdrawal) is judged against the deadline; a revision asked
        # for by the decision comes after it by nature.
        if call.status != CallStatus.PUBLISHED:
            raise ValidationError({"call": _("This call is not open for proposals.")})
        if now >= call.deadline:
            raise ValidationError({"call": _("The deadline of this call has passed; nothing more is accepted.")})
    errors: dict[str, str] = {}
    if not documents:
        errors["documents"] = _("Add at least one document before submitting.")
    if call is not None and call.minimum_tier is not None and not proposal.design_text:
        errors["design_text"] = _("This call asks for a data-center design; add the design file before submitting.")
    if not proposal.summary.strip():
        errors["summary"] = _("Write a summary before submitting.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def proposal_submit(*, actor: Any, proposal: Proposal) -> Proposal:
    """Submit the draft: it becomes version n+1, frozen with every field and its documents' name, type,
    size and SHA-256. Refused after the call's deadline (the call's row locked, the clock read here), for
    a call that is not published, without a document, or without a design for a data-center call. A
    design is assessed by a background run, which links the assessment to the proposal when it ends."""
    proposal = _locked_editable(actor=actor, proposal=proposal)
    call = Call.objects.select_for_update().get(pk=proposal.call_id) if proposal.call_id else None
    now = timezone.now()
    documents = list(proposal.documents.filter(is_current=True).order_by("uploaded_at", "pk"))
    _submission_check(proposal, call, documents, now)
    before = proposal.status
    proposal.version += 1
    proposal.status = ProposalStatus.SUBMITTED
    proposal.submitted_at = now
    previous_decision = proposal.decision
    proposal.decision, proposal.decision_reasons, proposal.decided_by, proposal.decided_at = "", "", None, None
    proposal.save(
        update_fields=[
            "version",
            "status",
            "submitted_at",
            "decision",
            "decision_reasons",
            "decided_by",
            "decided_at",
            "updated_at",
        ]
    )
    ProposalVersion.objects.create(
        proposal=proposal,
        number=proposal.version,
        content=_version_content(proposal, documents),
        submitted_by=actor,
        submitted_at=now,
    )
    ProposalDocument.objects.filter(pk__in=[d.pk for d in documents], first_version__isnull=True).update(
        first_version=proposal.version
    )
    event = history.proposal_submitted(proposal=proposal, actor=actor, before=before)
    if previous_decision:
        event.changes["previous_decision"] = previous_decision
        event.save(update_fields=["changes"])
    if proposal.design_text:
        _design_assessment_start(actor=actor, proposal=proposal)
    return proposal


def _design_assessment_start(*, actor: Any, proposal: Proposal) -> None:
    """Queue the design's assessment (the datacenters engines in a worker); the task links it back."""
    from silkbridge.deals.tasks import design_assessment_task

    try:
        datacenters.assessment_start(
            actor=actor,
            design=datacenters.UploadedText(
                name=proposal.design_name or "design.yaml", content=proposal.design_text.encode()
            ),
            years=DESIGN_YEARS,
            seed=DESIGN_SEED,
            task=design_assessment_task,
            context={"proposal_id": proposal.pk},
        )
    except datacenters.DesignRejected as error:
        lines = [f"{issue['path'] or 'design'}: {issue['message']}" for issue in describe_issues(error.issues)]
        raise ValidationError({"design_text": " ".join([_("The design is not valid."), *lines])}) from error


@transaction.atomic
def proposal_design_link(*, proposal_id: int, reference: str, actor: Any) -> Proposal:
    """The end of a design's assessment run: link the assessment to the proposal and say so in its
    history (the submitter and the proposal's readers see Tier, availability and PUE)."""
    from silkbridge.datacenters.models import Assessment

    proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
    assessment = Assessment.objects.get(reference=reference)
    proposal.assessment = assessment
    if proposal.claimed_tier is None and assessment.claimed_tier is not None:
        proposal.claimed_tier = assessment.claimed_tier
    proposal.save(update_fields=["assessment", "claimed_tier", "updated_at"])
    history.proposal_design_assessed(
        proposal=proposal,
        actor=actor,
        reference=assessment.reference,
        tier=assessment.tier,
        claimed_tier=proposal.claimed_tier,
    )
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: Any, proposal: Proposal) -> Proposal:
    """Take a submitted proposal back: before the call's deadline (the call's row locked), or at any time
    before a decision for an unsolicited one. Its versions stay; it may be changed and submitted again
    while the call is open."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    submitter_check(viewer=actor, proposal=proposal)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted proposal can be withdrawn.")})
    if proposal.call_id:
        call = Call.objects.select_for_update().get(pk=proposal.call_id)
        if timezone.now() >= call.deadline:
            raise ValidationError({"call": _("The deadline has passed; the proposal can no longer be withdrawn.")})
    before = proposal.status
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    history.proposal_withdrawn(proposal=proposal, actor=actor, before=before)
    return proposal
