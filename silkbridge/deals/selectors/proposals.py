"""Reads of proposals. Who may see a proposal, and which parts of it, is decided here and nowhere else;
pages, API, admin, exports and the other parts of deals read through it.

- A draft (and a withdrawn or revised proposal's working copy) is seen by the members of the
  submitting organisation only.
- A proposal to a call is SEALED until the call's deadline: only the submitter's members see it, not
  platform staff, not the issuer, not the admin.
- After the deadline, the staff of the calling body (members of the call's issuer, and platform
  staff) see it, and so do the reviewers appointed to it who declared no conflict of interest
  (ReviewAssignment.conflict == "none"); a reviewer who declared a conflict, or has not declared yet,
  sees nothing.
- A proposal sent unsolicited to an organisation is seen, once submitted, by the recipient's members
  (and its reviewers with a clear declaration).
- Others never read the working copy: they read the last submitted version (ProposalVersion), so a
  submitter revising after "revise and resubmit" shows nothing until the new version is submitted.
- The financial envelope of a quality-and-cost-based call (the declared price and the financial
  documents) stays hidden from everyone but the submitter until the call's financial opening exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.common.rates import UnknownCurrencyError
from silkbridge.deals.choices import (
    ConflictStatus,
    EvaluationMethod,
    OpeningKind,
    ProposalEventKind,
    ProposalStatus,
)
from silkbridge.deals.engine.diff import Piece, record_diff
from silkbridge.deals.history.reviews import REVIEW_EVENT_KINDS
from silkbridge.deals.models import (
    Opening,
    Proposal,
    ProposalDocument,
    ProposalEvent,
    ProposalVersion,
    ReviewAssignment,
)
from silkbridge.deals.selectors import reviews as review_selectors
from silkbridge.directory.selectors import is_member, organisation_ids_of
from silkbridge.money.selectors import current_rates

# Statuses in which the submitter may change the proposal (the working copy).
EDITABLE_STATUSES = (ProposalStatus.DRAFT, ProposalStatus.REVISE, ProposalStatus.WITHDRAWN)
# Fields of the financial envelope.
FINANCIAL_FIELDS = ("declared_price", "price_currency")
# What a version freezes, besides the documents.
VERSION_FIELDS = (
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
)


def _cleared_reviewer(viewer: Any) -> Exists:
    return Exists(
        ReviewAssignment.objects.filter(proposal=OuterRef("pk"), reviewer=viewer, conflict=ConflictStatus.NONE)
    )


def proposals_visible(*, viewer: Any, now: datetime | None = None) -> QuerySet[Proposal]:
    """Every proposal the viewer may read (see the module's rules)."""
    if not getattr(viewer, "is_authenticated", False):
        return Proposal.objects.none()
    now = now or timezone.now()
    own = organisation_ids_of(viewer)
    # Submitted at least once, and not taken back: others read its last version.
    shared = Q(version__gte=1) & ~Q(status=ProposalStatus.WITHDRAWN)
    calling_body = Q(call__isnull=False) if getattr(viewer, "is_staff", False) else Q(call__issuer_id__in=own)
    opened = Q(call__isnull=False, call__deadline__lte=now)
    reviewer = _cleared_reviewer(viewer)
    condition = (
        Q(organisation_id__in=own)
        | (shared & opened & (calling_body | reviewer))
        | (shared & Q(recipient__isnull=False) & (Q(recipient_id__in=own) | reviewer))
    )
    return Proposal.objects.select_related("call", "call__issuer", "organisation", "recipient").filter(condition)


def proposal_get(*, viewer: Any, reference: str) -> Proposal:
    """One proposal the viewer may read; Proposal.DoesNotExist otherwise (pages and API answer 404)."""
    return proposals_visible(viewer=viewer).get(reference=reference)


def proposals_of_user(*, viewer: Any, organisation_id: int | None = None) -> QuerySet[Proposal]:
    """The proposals of the viewer's own organisations (drafts included), newest first; one of them
    with `organisation_id`."""
    own = organisation_ids_of(viewer)
    if organisation_id is not None:
        own = [pk for pk in own if pk == organisation_id]
    return Proposal.objects.select_related("call", "organisation", "recipient").filter(organisation_id__in=own)


def is_submitter(*, viewer: Any, proposal: Proposal) -> bool:
    """A member of the submitting organisation: may edit, submit, withdraw, and sees the working copy."""
    return getattr(viewer, "is_authenticated", False) and is_member(viewer, proposal.organisation_id)


def submitter_check(*, viewer: Any, proposal: Proposal) -> None:
    if not is_submitter(viewer=viewer, proposal=proposal):
        raise PermissionDenied(_("Only members of the submitting organisation may change this proposal."))


def financial_opened(*, proposal: Proposal) -> bool:
    """Whether the financial envelope is open to those who may read the proposal: always for a
    one-envelope call or an unsolicited proposal, after the financial opening for a two-envelope call."""
    if proposal.call is None or proposal.call.evaluation != EvaluationMethod.QUALITY_AND_COST:
        return True
    return Opening.objects.filter(call=proposal.call, kind=OpeningKind.FINANCIAL).exists()


def _version(proposal: Proposal, number: int | None = None) -> ProposalVersion | None:
    versions = proposal.versions.order_by("-number")
    if number is not None:
        versions = versions.filter(number=number)
    return versions.first()


@dataclass(frozen=True)
class Budget:
    amount: Decimal
    currency: str
    converted: Decimal | None
    target: str
    rates_date: date | None


@dataclass
class ProposalView:
    """What one viewer reads of one proposal: the working copy for the submitter, the last submitted
    version for everyone else, the financial envelope removed while it is sealed."""

    proposal: Proposal
    is_submitter: bool
    sees_financial: bool
    fields: dict[str, Any]
    documents: list[ProposalDocument] = field(default_factory=list)
    version_number: int | None = None
    # The chair's decision and its reasons: for the calling body's staff once recorded, for everyone else
    # who reads the proposal only once it took effect (a call's: with the call's decision).
    decision: str = ""
    decision_reasons: str = ""


def _working_fields(proposal: Proposal) -> dict[str, Any]:
    return {name: getattr(proposal, name) for name in VERSION_FIELDS}


def _frozen_fields(content: dict[str, Any]) -> dict[str, Any]:
    fields = {name: content.get(name) for name in VERSION_FIELDS}
    for name in ("budget_amount", "declared_price"):
        value = fields[name]
        fields[name] = None if value in (None, "") else Decimal(str(value))
    return fields


def proposal_view(*, viewer: Any, proposal: Proposal) -> ProposalView:
    """The proposal as this viewer may read it (the caller got `proposal` from `proposal_get`)."""
    submitter = is_submitter(viewer=viewer, proposal=proposal)
    sees_financial = submitter or financial_opened(proposal=proposal)
    version = None if submitter else _version(proposal)
    fields = _working_fields(proposal) if version is None else _frozen_fields(version.content)
    if not sees_financial:
        for name in FINANCIAL_FIELDS:
            fields[name] = None
    documents = proposal_documents_visible(viewer=viewer, proposal=proposal, sees_financial=sees_financial)
    decision_shown = review_selectors.decision_in_effect(proposal) or review_selectors.is_calling_body_staff(
        viewer=viewer, proposal=proposal
    )
    return ProposalView(
        proposal=proposal,
        is_submitter=submitter,
        sees_financial=sees_financial,
        fields=fields,
        documents=list(documents),
        version_number=None if version is None else version.number,
        decision=proposal.decision if decision_shown else "",
        decision_reasons=proposal.decision_reasons if decision_shown else "",
    )


def proposal_documents_visible(
    *, viewer: Any, proposal: Proposal, sees_financial: bool | None = None
) -> QuerySet[ProposalDocument]:
    """The documents the viewer may download: the draft's for the submitter, the last version's for
    the others (financial ones only once that envelope is open). Nothing for a viewer who may not read
    the proposal."""
    if not proposals_visible(viewer=viewer).filter(pk=proposal.pk).exists():
        return ProposalDocument.objects.none()
    documents = ProposalDocument.objects.filter(proposal=proposal)
    if is_submitter(viewer=viewer, proposal=proposal):
        # The submitter's members see who added each document (the page names them); nobody else does.
        return documents.filter(is_current=True).select_related("uploaded_by")
    version = _version(proposal)
    ids = [entry["id"] for entry in (version.content.get("documents", []) if version else [])]
    documents = documents.filter(pk__in=ids)
    if not (financial_opened(proposal=proposal) if sees_financial is None else sees_financial):
        documents = documents.exclude(envelope="financial")
    return documents


def proposal_document_get(*, viewer: Any, proposal: Proposal, document_id: int) -> ProposalDocument:
    """One document the viewer may download; ProposalDocument.DoesNotExist otherwise."""
    return proposal_documents_visible(viewer=viewer, proposal=proposal).get(pk=document_id)


def budget_converted(*, fields: dict[str, Any], proposal: Proposal, on: date | None = None) -> Budget | None:
    """The budget with its value in the call's currency (US dollars for an unsolicited proposal) at the
    dated rates in use, or None without a budget. The converted value is None for a currency the rate
    table does not know."""
    amount, currency = fields.get("budget_amount"), fields.get("budget_currency") or ""
    if amount is None or not currency:
        return None
    target = proposal.call.currency if proposal.call is not None else "USD"
    rates = current_rates(on=on)
    try:
        converted = Decimal(str(round(rates.convert(float(amount), currency, target), 2)))
    except UnknownCurrencyError:
        converted = None
    return Budget(
        amount=amount,
        currency=currency,
        converted=None if currency == target else converted,
        target=target,
        rates_date=rates.as_of,
    )


def proposal_versions(*, viewer: Any, proposal: Proposal) -> QuerySet[ProposalVersion]:
    """The submitted versions of a proposal the viewer may read (oldest first)."""
    if not proposals_visible(viewer=viewer).filter(pk=proposal.pk).exists():
        return ProposalVersion.objects.none()
    return proposal.versions.select_related("submitted_by").order_by("number")


def version_content_visible(*, viewer: Any, proposal: Proposal, content: dict[str, Any]) -> dict[str, Any]:
    """A frozen version's content as the viewer may read it: the financial envelope (price and financial
    documents) removed while it is sealed to them."""
    if is_submitter(viewer=viewer, proposal=proposal) or financial_opened(proposal=proposal):
        return content
    shown = {name: value for name, value in content.items() if name not in FINANCIAL_FIELDS}
    shown["documents"] = [entry for entry in content.get("documents", []) if entry.get("envelope") != "financial"]
    return shown


@dataclass(frozen=True)
class FieldDiff:
    name: str
    before: Any
    after: Any
    pieces: list[Piece]
    words_added: int
    words_removed: int


@dataclass(frozen=True)
class VersionDiff:
    number: int
    previous: int
    fields: list[FieldDiff]
    documents_added: list[dict[str, Any]]
    documents_removed: list[dict[str, Any]]


_WORDS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]|\w+", re.UNICODE)


def _words(text: str) -> int:
    """Words in a text (each Chinese character counts as one, as the diff compares them)."""
    return len(_WORDS.findall(text))


def _document_key(entry: dict[str, Any]) -> tuple[str, str]:
    return (entry.get("name", ""), entry.get("sha256", ""))


def proposal_diff(*, viewer: Any, proposal: Proposal, number: int | None = None) -> VersionDiff | None:
    """What version `number` (the last, by default) changed against the one before: fields changed with
    words added and removed, documents added and removed. None when there is no earlier version. The
    financial envelope is left out while the viewer may not see it."""
    versions = {version.number: version for version in proposal_versions(viewer=viewer, proposal=proposal)}
    number = number if number is not None else max(versions, default=0)
    if number not in versions or number - 1 not in versions:
        return None
    before = version_content_visible(viewer=viewer, proposal=proposal, content=versions[number - 1].content)
    after = version_content_visible(viewer=viewer, proposal=proposal, content=versions[number].content)
    changes = record_diff(
        {name: before[name] for name in VERSION_FIELDS if name in before},
        {name: after[name] for name in VERSION_FIELDS if name in after},
    )
    fields = [
        FieldDiff(
            name=change.name,
            before=change.before,
            after=change.after,
            pieces=change.pieces,
            words_added=sum(_words(piece.text) for piece in change.pieces if piece.operation == "added"),
            words_removed=sum(_words(piece.text) for piece in change.pieces if piece.operation == "removed"),
        )
        for change in changes
    ]
    old_keys = {_document_key(entry) for entry in before["documents"]}
    new_keys = {_document_key(entry) for entry in after["documents"]}
    return VersionDiff(
        number=number,
        previous=number - 1,
        fields=fields,
        documents_added=[entry for entry in after["documents"] if _document_key(entry) not in old_keys],
        documents_removed=[entry for entry in before["documents"] if _document_key(entry) not in new_keys],
    )


def proposal_history(*, viewer: Any, proposal: Proposal) -> QuerySet[ProposalEvent]:
    """The proposal's history for its submitter: the committee's rows (history.reviews.REVIEW_EVENT_KINDS,
    which name reviewers) are the calling body's business (selectors.reviews.review_events shows them to
    its staff), and so is the decision's row, which names the chair and would tell a call's decision
    before it takes effect: the submitter reads the decision in its feedback (proposal_feedback)."""
    if not is_submitter(viewer=viewer, proposal=proposal):
        return ProposalEvent.objects.none()
    hidden = (*REVIEW_EVENT_KINDS, ProposalEventKind.DECIDED, ProposalEventKind.DECISION_IN_EFFECT)
    return proposal.events.select_related("actor").exclude(kind__in=hidden)


def design_warnings(*, proposal: Proposal) -> list[str]:
    """Warnings about the assessed design: the Tier claimed not met, the call's minimum Tier not met."""
    assessment = proposal.assessment
    if assessment is None:
        return []
    warnings = []
    claimed = assessment.claimed_tier or proposal.claimed_tier
    if claimed and assessment.tier < claimed:
        warnings.append(
            _("The design claims Tier %(claimed)d but meets Tier %(tier)d.")
            % {"claimed": claimed, "tier": assessment.tier}
        )
    minimum = proposal.call.minimum_tier if proposal.call is not None else None
    if minimum and assessment.tier < minimum:
        warnings.append(
            _("The call asks for Tier %(minimum)d or higher; the design meets Tier %(tier)d.")
            % {"minimum": minimum, "tier": assessment.tier}
        )
    return warnings
