"""Reads of calls for proposals. Who sees which call, and which part of its public record, is decided
here and nowhere else; pages, API and admin read through these functions.

- A published public call is seen by everyone, anonymous visitors included; an invitation-only call by
  the members of the invited organisations; a draft only by the staff of the calling body.
- Staff of the calling body: members of the call's issuer, and platform staff.
- Clarifications (published questions and answers) are seen by those who may submit and by the calling
  body's staff; an unanswered question also by the organisation that asked it. The asker is never named.
- Openings and the evaluation report are seen by the submitters and the calling body's staff;
  grievances by the organisation that filed them and the calling body's staff.
- Before the deadline nothing about the proposals is revealed to anyone, staff included: not how many
  there are, not who submitted (`submissions_count` answers None).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from silkbridge.deals.choices import CallStatus, CallVisibility, OpeningKind, ProposalStatus
from silkbridge.deals.models import Call, Clarification, Grievance, Opening, Proposal
from silkbridge.directory.choices import OrganisationKind
from silkbridge.directory.models import Organisation
from silkbridge.directory.selectors import is_member, organisation_ids_of, sectors_within

# The kinds of organisation that issue calls for proposals.
ISSUER_KINDS = (OrganisationKind.GOVERNMENT, OrganisationKind.ZONE_DEVELOPER)
# A proposal in these states was submitted and is part of the call's record (a withdrawn one is not).
SUBMITTED_STATES = (ProposalStatus.SUBMITTED, ProposalStatus.APPROVED, ProposalStatus.REVISE, ProposalStatus.DECLINED)


def _is_platform_staff(viewer: Any) -> bool:
    return bool(getattr(viewer, "is_staff", False))


def call_staff_check(*, viewer: Any, call: Call) -> bool:
    """Whether the viewer is staff of the calling body: a member of the call's issuer, or platform staff."""
    return _is_platform_staff(viewer) or is_member(viewer, call.issuer_id)


def issuers_for(*, actor: Any) -> QuerySet[Organisation]:
    """The organisations on whose behalf the actor may issue calls: their own government bodies and zone
    developers (platform staff: every one)."""
    issuers = Organisation.objects.filter(kind__in=ISSUER_KINDS).order_by("name_en")
    if _is_platform_staff(actor):
        return issuers
    return issuers.filter(pk__in=organisation_ids_of(actor))


def is_past_deadline(call: Call, *, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= call.deadline


def _published_q() -> Q:
    return Q(published_at__isnull=False) & ~Q(status=CallStatus.DRAFT)


def _visible_q(viewer: Any) -> Q:
    own = organisation_ids_of(viewer)
    invited = Call.invited.through.objects.filter(organisation_id__in=own).values("call_id")
    return (
        (_published_q() & Q(visibility=CallVisibility.PUBLIC))
        | (_published_q() & Q(visibility=CallVisibility.INVITATION) & Q(pk__in=invited))
        | Q(issuer_id__in=own)
    )


def calls_visible(*, viewer: Any) -> QuerySet[Call]:
    """Every call the viewer may see, with its issuer and sector."""
    calls = Call.objects.select_related("issuer", "sector")
    if _is_platform_staff(viewer):
        return calls.all()
    return calls.filter(_visible_q(viewer))


def call_get(*, viewer: Any, slug: str) -> Call:
    """One call the viewer may see; Call.DoesNotExist otherwise (pages and the API answer 404)."""
    return calls_visible(viewer=viewer).get(slug=slug)


def calls_filtered(
    calls: QuerySet[Call], *, state: str = "", sector: str = "", issuer: str = "", now: datetime | None = None
) -> QuerySet[Call]:
    """The list's filters: open (published, deadline ahead) or closed (every other published call),
    a sector code (and its sub-sectors), an issuer's key."""
    now = now or timezone.now()
    if state == "open":
        calls = calls.filter(status=CallStatus.PUBLISHED, deadline__gt=now)
    elif state == "closed":
        calls = calls.filter(_published_q()).exclude(status=CallStatus.PUBLISHED, deadline__gt=now)
    if sector:
        calls = calls.filter(sector__in=sectors_within(sector))
    if issuer:
        calls = calls.filter(issuer__key=issuer)
    return calls


def organisations_may_submit(*, viewer: Any, call: Call) -> QuerySet[Organisation]:
    """The viewer's organisations that may answer the call (and so ask questions and read the answers):
    any of them for a published public call, the invited ones for an invitation-only call; never the
    calling body itself."""
    if call.published_at is None or call.status == CallStatus.DRAFT:
        return Organisation.objects.none()
    own = Organisation.objects.filter(pk__in=organisation_ids_of(viewer)).exclude(pk=call.issuer_id)
    if call.visibility == CallVisibility.INVITATION:
        own = own.filter(pk__in=call.invited.values("pk"))
    return own.order_by("name_en")


def clarifications_visible(*, viewer: Any, call: Call) -> QuerySet[Clarification]:
    """The call's clarifications the viewer may read: the calling body's staff every one (answered or
    not); those who may submit the published ones, and their own organisations' unanswered questions."""
    clarifications = Clarification.objects.filter(call=call).order_by("asked_at", "pk")
    if call_staff_check(viewer=viewer, call=call):
        return clarifications
    asking = organisations_may_submit(viewer=viewer, call=call)
    if not asking.exists():
        return clarifications.none()
    return clarifications.filter(Q(published_at__isnull=False) | Q(asked_by_organisation__in=asking))


def submitted_proposals(*, call: Call) -> QuerySet[Proposal]:
    """The proposals submitted to the call, in order of submission. Callers must only ask once the
    deadline has passed: the opening and the evaluation (services) and `submissions_count` check it."""
    return (
        Proposal.objects.filter(call=call, status__in=SUBMITTED_STATES, submitted_at__isnull=False)
        .select_related("organisation")
        .order_by("submitted_at", "pk")
    )


def is_submitter(*, viewer: Any, call: Call) -> bool:
    """Whether one of the viewer's organisations submitted a proposal to the call (answers False before
    the deadline, so that it cannot tell anyone who has submitted)."""
    if not is_past_deadline(call):
        return False
    return submitted_proposals(call=call).filter(organisation_id__in=organisation_ids_of(viewer)).exists()


def submissions_count(*, call: Call) -> int | None:
    """How many proposals the call received: None before the deadline, for everyone."""
    if not is_past_deadline(call):
        return None
    return submitted_proposals(call=call).count()


def may_read_record(*, viewer: Any, call: Call) -> bool:
    """Openings and the report: the calling body's staff and the submitters."""
    return call_staff_check(viewer=viewer, call=call) or is_submitter(viewer=viewer, call=call)


def openings_visible(*, viewer: Any, call: Call) -> QuerySet[Opening]:
    """The call's openings (technical, then financial) for the calling body's staff and the submitters."""
    if not may_read_record(viewer=viewer, call=call):
        return Opening.objects.none()
    return Opening.objects.filter(call=call).order_by("opened_at", "pk")


def opening_of(*, call: Call, kind: str = OpeningKind.TECHNICAL) -> Opening | None:
    return Opening.objects.filter(call=call, kind=kind).first()


def report_visible(*, viewer: Any, call: Call) -> dict[str, Any] | None:
    """The published evaluation report, for the calling body's staff and the submitters; None otherwise."""
    if call.report_published_at is None or not may_read_record(viewer=viewer, call=call):
        return None
    return call.report


def grievances_visible(*, viewer: Any, call: Call) -> QuerySet[Grievance]:
    """All of the call's grievances for the calling body's staff; a submitter's own organisations' otherwise."""
    grievances = Grievance.objects.filter(call=call).select_related("organisation").order_by("filed_at", "pk")
    if call_staff_check(viewer=viewer, call=call):
        return grievances
    return grievances.filter(organisation_id__in=organisation_ids_of(viewer))


def grievance_organisations(*, viewer: Any, call: Call) -> QuerySet[Organisation]:
    """The viewer's organisations that submitted to the call (those that may file a grievance)."""
    if not is_past_deadline(call):
        return Organisation.objects.none()
    submitters = submitted_proposals(call=call).values("organisation_id")
    return Organisation.objects.filter(pk__in=organisation_ids_of(viewer)).filter(pk__in=submitters)
