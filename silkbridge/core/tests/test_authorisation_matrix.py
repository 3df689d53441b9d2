"""The authorisation matrix: every route of the site and of the API, for every kind of user, on every
channel (page, API with a token, API with the session, CSV/XLSX, .ics and feed, PDF, search, e-mail).

Each route's rule is stated once, in PAGES (by URL name) and API (by "METHOD /path" of the OpenAPI
document). A route that has no row fails `test_every_route_has_a_row`, so a new endpoint cannot ship
without someone deciding who may use it; a row whose route is gone fails too.

A rule answers, for a principal and an object, one of:
- "ok": the principal gets the page (200) — and every secret title it may see is there when asked;
- "login": anonymous (or, where stated, refused) — a page redirects to the sign-in page, the API 401;
- 403 / 404: refused, with that status (404 where a 403 would reveal that the object exists).

Every 200 is searched for the secret titles (SECRETS) the principal may not see: none may appear.
Write routes are checked for their refusals only (the successes are each app's own tests), and a
refused write must leave every table as it was.

The world (organisations, profiles in each state, an interest, matches, an event with a meeting, an
assessment) is built once for the module and rolled back at its end; each cell runs in its own
savepoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from silkbridge.accounts.services import api_token_create
from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.directory import services as directory_services
from silkbridge.directory.models import Contact
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.marketplace import services as marketplace
from silkbridge.marketplace.models import Opportunity
from silkbridge.matching.models import Match
from silkbridge.notifications.models import Notification

ANONYMOUS, MEMBER_A, MEMBER_B, MEMBER_AB, REVIEWER, STAFF = PRINCIPALS = (
    "anonymous",
    "member_a",
    "member_b",
    "member_ab",
    "reviewer",
    "staff",
)
SIGNED_IN = frozenset(PRINCIPALS) - {ANONYMOUS}
OF_A = frozenset({MEMBER_A, MEMBER_AB, STAFF})  # members of the owning organisation A, and staff
WORD = "Zephyrine"  # every secret contains it; searches ask for it (the word echoed back is no secret)

# Profiles of organisation A in every state, and who may see each (the marketplace's profile selector).
PROFILE_SEEN_BY: dict[str, frozenset[str]] = {
    "public": frozenset(PRINCIPALS),
    "members": SIGNED_IN,
    "private": OF_A,
    "draft": OF_A,
    "under_review": OF_A,
    "changes_requested": OF_A,
    "expired": OF_A,
    "closed": OF_A,
    "gone_private": OF_A,  # was public when B expressed interest (finding 1)
    "private_organisation": frozenset({STAFF}),  # a public profile of a private organisation
}
PROFILES = tuple(PROFILE_SEEN_BY)
ORGANISATION_SEEN_BY = {"a": frozenset(PRINCIPALS), "members": SIGNED_IN, "private": frozenset({STAFF})}
ORGANISATIONS = tuple(ORGANISATION_SEEN_BY)
# Proposals of organisation A to calls issued by organisation B (deals.selectors.proposals): a draft and
# a sealed one (deadline ahead) for A's members only, not even staff; once the deadline has passed, the
# calling body's staff too (B's members, platform staff). The reviewer declared a conflict: nothing.
SUBMITTERS = frozenset({MEMBER_A, MEMBER_AB})
PROPOSAL_SEEN_BY: dict[str, frozenset[str]] = {
    "draft": SUBMITTERS,
    "sealed": SUBMITTERS,
    "opened": SUBMITTERS | {MEMBER_B, STAFF},
}
PROPOSALS = tuple(PROPOSAL_SEEN_BY)
# Relocation requests of organisation A (zones.relocation_selectors): one shared with a zone whose
# developer on Silkbridge is organisation B (so B's members read it), one shared with no zone.
RELOCATION_SEEN_BY: dict[str, frozenset[str]] = {
    "shared": OF_A | {MEMBER_B},
    "unshared": OF_A,
}
RELOCATIONS = tuple(RELOCATION_SEEN_BY)


def _title(state: str) -> str:
    return f"{WORD} {state.replace('_', ' ')} profile" if state != "public" else "Matrix public profile"


# Secret text -> who may see it. Every 200 response is checked against this whole table.
SECRETS: dict[str, frozenset[str]] = {
    **{_title(state): seen for state, seen in PROFILE_SEEN_BY.items() if state != "public"},
    f"{WORD} Private Organisation": frozenset({STAFF}),
    f"{WORD} Members Organisation": SIGNED_IN,
    f"{WORD} interest message": frozenset({MEMBER_A, MEMBER_B, MEMBER_AB, STAFF}),
    f"{WORD} staff review note": OF_A,
    "zephyrine.hidden@alpha.example": OF_A,  # organisation A's contact that is not public
    f"{WORD} draft event": frozenset({STAFF}),
    f"{WORD} participant wish": frozenset({MEMBER_A, MEMBER_B, STAFF}),  # A's participant's interests
    f"{WORD} data centre": frozenset({MEMBER_A, REVIEWER, STAFF}),  # member A's design
    f"{WORD} memorandum": OF_A,  # an unsigned MoU of a deal between A and the members-only organisation
    **{f"{WORD} {state} proposal": seen for state, seen in PROPOSAL_SEEN_BY.items()},
    # deals reviews: A's proposal to B's call, reviewed by REVIEWER; the committee is B's members and staff
    # (MEMBER_AB belongs to the submitter too, so not to the committee of A's proposal).
    f"{WORD} committee comment": frozenset({REVIEWER, MEMBER_B, STAFF}),
    f"{WORD} deal of A": OF_A,  # a deal between A and a third organisation (deals' pipeline)
    f"{WORD} notification of A": frozenset({MEMBER_A}),
    # B's member asks to join A: the author, A's owner (who decides) and staff.
    f"{WORD} claim message": frozenset({MEMBER_A, MEMBER_B, STAFF}),  # an in-app notification is its recipient's alone
    **{f"{WORD} {state} relocation request": seen for state, seen in RELOCATION_SEEN_BY.items()},
    # a change of Lahore Technopolis's facts proposed by its developer (B): its note is for B and staff
    f"{WORD} zone fact note": frozenset({MEMBER_B, MEMBER_AB, STAFF}),
    # the contact of a zone site visit for A's shared request, at the delegation visit (events.visit_selectors):
    # A's members on their agenda, the zone's (B's) members and staff through the request
    f"{WORD} site visit contact": OF_A | {MEMBER_B},
    # a message in the thread of A's and B's meeting (conversations.selectors): the two sides and staff
    f"{WORD} conversation message": frozenset({MEMBER_A, MEMBER_B, MEMBER_AB, STAFF}),
}


# --- rules ------------------------------------------------------------------------------------------

Expect = str | int
Rule = Callable[[str, str | None], Expect]


def public(principal: str, obj: str | None = None) -> Expect:
    return "ok"


def signed_in(principal: str, obj: str | None = None) -> Expect:
    return "login" if principal == ANONYMOUS else "ok"


def anonymous_only(principal: str, obj: str | None = None) -> Expect:
    """Sign-in and sign-up pages: shown to everyone (a signed-in user may switch account)."""
    return "ok"


def only(allowed: frozenset[str], *, refused: Expect = 404, anonymous: Expect = "login") -> Rule:
    def rule(principal: str, obj: str | None = None) -> Expect:
        if principal in allowed:
            return "ok"
        return anonymous if principal == ANONYMOUS else refused

    rule.__name__ = f"only({', '.join(sorted(allowed))}; else {refused})"
    return rule


def each(default: Expect, **expected: Expect) -> Rule:
    """Stated principal by principal, where refusals differ (403 where the object is no secret)."""

    def rule(principal: str, obj: str | None = None) -> Expect:
        return expected.get(principal, default)

    rule.__name__ = f"each({expected}; else {default})"
    return rule


def everyone_gets(status: int) -> Rule:
    """A link with a wrong or forged token: the same answer for everyone."""
    return each(status)


STAFF_ONLY = only(frozenset({STAFF}), refused=403)
STAFF_ONLY_404 = only(frozenset({STAFF}), refused=404)
STAFF_ONLY_TO_LOGIN = only(frozenset({STAFF}), refused="login")  # Django's user_passes_test
OWNERS_OF_A = only(OF_A)
OWNERS_OF_B = only(frozenset({MEMBER_B, MEMBER_AB, STAFF}))
# Edit and members need the owner role; A is public, so a 403 reveals nothing.
OWNER_ROLE_OF_A = only(frozenset({MEMBER_A, STAFF}), refused=403)
INTEREST_PARTIES = only(frozenset({MEMBER_A, MEMBER_B, MEMBER_AB, STAFF}))
PARTICIPANTS = only(frozenset({MEMBER_A, MEMBER_B}), refused=403)  # the not-registered page is a 403
# A conversation (A's and B's meeting; B's accepted interest in a third organisation's profile): the members
# of the two organisations and staff read it; staff may not write in it (403); anyone else finds nothing.
CONVERSATION_SIDES = only(frozenset({MEMBER_A, MEMBER_B, MEMBER_AB, STAFF}))
CONVERSATION_WRITE = each(404, anonymous="login", member_a="ok", member_b="ok", member_ab="ok", staff=403)
INTEREST_CONVERSATION_SIDES = only(frozenset({MEMBER_B, MEMBER_AB, STAFF}))
INTEREST_CONVERSATION_WRITE = each(404, anonymous="login", member_b="ok", member_ab="ok", staff=403)
PARTICIPANTS_API = only(frozenset({MEMBER_A, MEMBER_B}), refused=404)  # "you are not registered"
ASSESSMENT_READERS = only(frozenset({MEMBER_A, REVIEWER, STAFF}))
RUN_READERS = only(frozenset({MEMBER_A, STAFF}))  # the one who started a background run, and staff
DEAL_READERS = OWNERS_OF_A  # the deal's parties' members and staff; 404 for anyone else
DEAL_MANAGERS = each(404, anonymous="login", member_a=403, member_ab=403, staff="ok")  # staff and the owner
ASSESSMENT_DELETERS = each(404, anonymous="login", member_a="ok", staff="ok", reviewer=403)  # reviewers read only


REVIEWER_ONLY = only(frozenset({REVIEWER}))
COMMITTEE = only(frozenset({MEMBER_B, STAFF}))  # B issued the call; MEMBER_AB also belongs to submitter A


def routers_refusal(status: Expect) -> Rule:
    """A route write on the world's draft MoU: its authority's members (A's) and staff are refused by the
    service with `status`; anyone else finds no MoU (404)."""
    return each(404, anonymous="login", member_a=status, member_ab=status, staff=status)


def committee_refusal(status: Expect) -> Rule:
    """A write the committee may make, refused by the service with `status`; 404 for everyone else."""
    return each(404, anonymous="login", member_b=status, staff=status)


def profile_seen(principal: str, obj: str | None) -> Expect:
    """The profile selector: a profile one may not see answers 404, also to anonymous visitors."""
    assert obj is not None
    return "ok" if principal in PROFILE_SEEN_BY[obj] else 404


def profile_managed(principal: str, obj: str | None) -> Expect:
    """Sign-in first; then its organisation's members and staff; everyone else 404."""
    if obj == "private_organisation":  # not A's: only staff among the principals
        return STAFF_ONLY_404(principal, obj)
    return OWNERS_OF_A(principal, obj)


profile_managed_api = profile_managed


def organisation_seen(principal: str, obj: str | None) -> Expect:
    assert obj is not None
    return "ok" if principal in ORGANISATION_SEEN_BY[obj] else 404


def event_seen(principal: str, obj: str | None) -> Expect:
    return "ok" if obj == "published" or principal == STAFF else 404


def proposal_seen(principal: str, obj: str | None) -> Expect:
    """The proposal selector: one the principal may not read answers 404 (anonymous: sign in first)."""
    assert obj is not None
    if principal in PROPOSAL_SEEN_BY[obj]:
        return "ok"
    return "login" if principal == ANONYMOUS else 404


def proposal_changed(principal: str, obj: str | None) -> Expect:
    """Writes: the submitter's members; a reader who is not one is refused (403), others find nothing."""
    assert obj is not None
    if principal in SUBMITTERS:
        return "ok"
    if principal in PROPOSAL_SEEN_BY[obj]:
        return 403
    return "login" if principal == ANONYMOUS else 404


def proposal_edit_page(principal: str, obj: str | None) -> Expect:
    if principal in SUBMITTERS:
        return "ok"
    return "login" if principal == ANONYMOUS else 404


def relocation_seen(principal: str, obj: str | None) -> Expect:
    """The relocation request selector: sign in first; then its company, staff and shared zones; else 404."""
    assert obj is not None
    if principal in RELOCATION_SEEN_BY[obj]:
        return "ok"
    return "login" if principal == ANONYMOUS else 404


def relocation_removed(principal: str, obj: str | None) -> Expect:
    """Deleting or withdrawing a request: its company and staff; a zone it is shared with reads it but is
    refused (403); anyone else finds nothing (404); anonymous signs in first."""
    assert obj is not None
    if principal in OF_A:
        return "ok"
    if principal in RELOCATION_SEEN_BY[obj]:
        return 403
    return "login" if principal == ANONYMOUS else 404


def feed_token_holder(principal: str, obj: str | None) -> Expect:
    """The subscribable calendar: the unguessable token is the key, whoever holds it."""
    return "ok" if obj == "right_token" else 404


# --- the table: one row per route -------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    rule: Rule
    kwargs: Callable[[Any, str | None], dict[str, Any]] = lambda world, obj: {}
    objects: tuple[str | None, ...] = (None,)
    method: str = "GET"
    query: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | Callable[[Any], dict[str, Any]] | None = None
    channel: str = "page"  # page, csv, xlsx, ics, pdf, docx, json, file
    why: str = ""


def _pk(kind: str) -> Callable[[Any, str | None], dict[str, Any]]:
    return lambda world, obj: {"pk": world.profiles[obj or kind].pk}


PROFILE = _pk("public")
ACCEPTED_INTEREST = lambda world, obj: {"interest_id": world.accepted_interest.pk}  # noqa: E731
MEETING_THREAD = lambda world, obj: {"meeting_id": world.meeting.pk}  # noqa: E731
CONVERSATION_FILE = lambda world, obj: {"attachment_id": world.conversation_attachment}  # noqa: E731
INTEREST = lambda world, obj: {"pk": world.interest.pk}  # noqa: E731
EVENT = lambda world, obj: {"slug": world.events[obj or "published"].slug}  # noqa: E731
DELEGATION = lambda world, obj: {"slug": world.events["delegation"].slug}  # noqa: E731
HOST_MEETING = lambda world, obj: {"slug": world.events["delegation"].slug, "meeting_id": world.host_meeting.pk}  # noqa: E731
ITINERARY_ROW = lambda world, obj: {"slug": world.events["delegation"].slug, "kind": "stop", "pk": world.stop.pk}  # noqa: E731
SITE_VISITS = lambda world, obj: {"pk": world.relocations["shared"].pk}  # noqa: E731
ASSESSMENT = lambda world, obj: {"reference": world.assessment.reference}  # noqa: E731
ORGANISATION = lambda world, obj: {"key": world.organisations[obj or "a"].key}  # noqa: E731
RUN = lambda world, obj: {"run_id": world.run.pk}  # noqa: E731
DEAL = lambda world, obj: {"reference": world.deal.reference}  # noqa: E731
DEAL_DOCUMENT = lambda world, obj: {"reference": world.deal.reference, "document_id": world.deal_document}  # noqa: E731
IMPORT_REPORT = lambda world, obj: {"pk": world.import_run.pk}  # noqa: E731
SEARCH = {"q": WORD}
MOU = lambda world, obj: {"reference": world.mou.reference}  # noqa: E731
MOU_VERSION = lambda world, obj: {"reference": world.mou.reference, "number": 1}  # noqa: E731
MOU_CLAUSE = {
    "key": "parties",
    "title_en": "Parties",
    "title_other": "双方",
    "text_en": f"{WORD} rewritten",
    "text_other": "改写",
}
MOU_SIGNATORY = {
    "name": "Matrix Signer",
    "title": "Director",
    "organisation_name": "Alpha Matrix Ltd",
    "signed_on": "2025-01-01",
    "place": "Islamabad",
}
PROPOSAL = lambda world, obj: {"reference": world.proposals[obj].reference}  # noqa: E731
RELOCATION = lambda world, obj: {"pk": world.relocations[obj or "shared"].pk}  # noqa: E731
FACT_ZONE = lambda world, obj: {"key": "lahore-technopolis"}  # noqa: E731  (B develops it: _relocations)
FACT_CHANGE = lambda world, obj: {"pk": world.fact_change.pk}  # noqa: E731
# zones.facts_selectors: the zone is public, so a signed-in visitor who may not propose gets a 403.
ZONE_DEVELOPERS_B = only(frozenset({MEMBER_B, MEMBER_AB, STAFF}), refused=403)
# A proposal the service refuses: a stranger is refused first (403), B's members and staff get a 422.
FACT_BODY = {"field": "power_available_kw", "value": -1, "source": "", "source_date": None}
RELOCATION_BODY = lambda world: {"organisation": world.organisations["a"].key, "title": "Matrix move"}  # noqa: E731
PROPOSAL_DOCUMENT = lambda world, obj: {  # noqa: E731
    "reference": world.proposals[obj].reference,
    "document_id": world.proposal_documents[obj],
}
ASSIGNMENT = lambda world, obj: {"pk": world.review_assignment.pk}  # noqa: E731
REVIEWED = lambda world, obj: {"reference": world.reviewed_proposal.reference}  # noqa: E731
REVIEWED_CALL = lambda world, obj: {"slug": world.reviewed_proposal.call.slug}  # noqa: E731
APPOINTMENT = lambda world, obj: {  # noqa: E731
    "reference": world.reviewed_proposal.reference,
    "assignment_id": world.review_assignment.pk,
}
NO_CALL = lambda world, obj: {"slug": "no-such-call"}  # noqa: E731
NOTIFICATION = lambda world, obj: {"pk": world.notification.pk}  # noqa: E731
NOTIFICATION_ID = lambda world, obj: {"notification_id": world.notification.pk}  # noqa: E731
RECIPIENT_ONLY = only(frozenset({MEMBER_A}))  # a notification: its recipient; "not found" for anyone else
CLAIM = lambda world, obj: {"pk": world.claim.pk}  # noqa: E731
CLAIM_READERS = only(frozenset({MEMBER_A, MEMBER_B, STAFF}))  # its author (B's), A's owner, staff; else 404
CLAIM_DECIDERS = each(404, anonymous="login", member_a="ok", staff="ok", member_b=403)  # the author reads only

PAGES: dict[str, Row] = {
    # site
    "core:home": Row(public),
    "core:language_switch": Row(public, method="POST", body={"language": "en"}),
    "core:run_detail": Row(RUN_READERS, RUN),
    "core:my_silkbridge": Row(signed_in),
    # notifications: each user's own
    "notifications:list": Row(signed_in),
    "notifications:settings": Row(signed_in),
    "notifications:read_all": Row(signed_in, method="POST", body={}, why="marks the caller's own only"),
    "notifications:open": Row(RECIPIENT_ONLY, NOTIFICATION, method="POST", body={}),
    "core:healthz": Row(
        public, channel="json", why="a load balancer's probe: says only whether the database and cache answer"
    ),
    "core:favicon": Row(everyone_gets(301), why="the icon's old address, sent on to the static SVG"),
    "api:openapi-json": Row(public, channel="json"),
    "api:openapi-view": Row(public),
    "api:api-root": Row(everyone_gets(404), why="the API's root is no document; /api/v1/docs is"),
    # accounts
    "accounts:login": Row(anonymous_only),
    "accounts:logout": Row(public, method="POST", body={}, why="logging out is harmless for anyone"),
    "accounts:signup": Row(anonymous_only),
    "accounts:verify_email": Row(everyone_gets(400), kwargs=lambda w, o: {"uidb64": "AA", "token": "bad-token"}),
    "accounts:resend_verification": Row(public, method="POST", body={}, why="asks for the address by form"),
    "accounts:preferences": Row(signed_in),
    "accounts:tokens": Row(signed_in),
    "accounts:token_revoke": Row(
        only(frozenset({MEMBER_A}), refused=302),
        kwargs=lambda w, o: {"token_id": w.token_ids[MEMBER_A]},
        method="POST",
        body={},
        why="a token is revoked by its own user only",
    ),
    "accounts:password_reset": Row(public),
    "accounts:password_reset_done": Row(public),
    "accounts:password_reset_confirm": Row(public, kwargs=lambda w, o: {"uidb64": "AA", "token": "bad-token"}),
    "accounts:password_reset_complete": Row(public),
    # directory (search included)
    "directory:organisation_list": Row(public, query=SEARCH),
    "directory:organisation_create": Row(signed_in),
    "directory:import": Row(STAFF_ONLY),
    "directory:import_report": Row(STAFF_ONLY, IMPORT_REPORT),
    "directory:sector_list": Row(public),
    "directory:organisation_detail": Row(organisation_seen, ORGANISATION, objects=ORGANISATIONS),
    "directory:organisation_edit": Row(OWNER_ROLE_OF_A, ORGANISATION),
    "directory:organisation_members": Row(OWNER_ROLE_OF_A, ORGANISATION),
    "directory:membership_remove": Row(
        OWNER_ROLE_OF_A,
        lambda w, o: {"key": w.organisations["a"].key, "membership_id": w.membership_ab_in_a},
        method="POST",
        body={},
    ),
    "directory:invitation_accept": Row(
        each(404, anonymous="login"),
        lambda w, o: {"token": "forged-invitation-token"},
        why="an invitation link with a token nobody was sent; a real one is tested in accounts",
    ),
    "directory:organisation_verify": Row(
        STAFF_ONLY,
        ORGANISATION,
        method="POST",
        body={"verified": "yes"},
        why="the service's refusal, a 403 as in the API (it sent signed-in non-staff to the sign-in page before)",
    ),
    # claims of organisations, and staff's queue of requests to organisations without members
    "directory:organisation_claim": Row(signed_in, ORGANISATION),
    "directory:claim_queue": Row(signed_in, why="lists the caller's own claims and those they decide"),
    "directory:claim_detail": Row(CLAIM_READERS, CLAIM),
    "directory:held_requests": Row(STAFF_ONLY),
    # analytics: the overview for staff; domain dashboards and downloads for anyone signed in (the events
    # dashboard and figure: those who may manage events, tested in analytics/tests/test_review.py), each
    # figure counting only what the viewer may see (analytics.selectors)
    "analytics:overview": Row(STAFF_ONLY),
    "analytics:public": Row(
        everyone_gets(404),
        why="off unless SILKBRIDGE_PUBLIC_FIGURES names figures; then public (analytics/tests/test_public.py)",
    ),
    "analytics:dashboard": Row(signed_in, lambda w, o: {"name": "marketplace"}),
    "analytics:figure_download": Row(
        signed_in, lambda w, o: {"key": "organisations_by_country", "file_format": "csv"}, channel="csv"
    ),
    # the monthly report: staff make it (a background run) and download it; the world's run made no report,
    # so staff get 404 for its file (the download itself: analytics/tests/test_report.py)
    "analytics:reports": Row(STAFF_ONLY),
    "analytics:report_file": Row(each(403, anonymous="login", staff=404), RUN, channel="pdf"),
    # zones
    "zones:zone_list": Row(public),
    "zones:zone_detail": Row(public, lambda w, o: {"key": w.zone_key}),
    "zones:relocation_list": Row(signed_in),
    "zones:relocation_create": Row(signed_in),
    "zones:relocation_detail": Row(relocation_seen, RELOCATION, objects=RELOCATIONS),
    "zones:relocation_edit": Row(
        OWNERS_OF_A, RELOCATION, objects=RELOCATIONS, why="a zone it is shared with reads it, never changes it"
    ),
    "zones:relocation_advice": Row(
        OWNERS_OF_A, RELOCATION, objects=RELOCATIONS, why="the company's ranking of zones is not the zones' to see"
    ),
    "zones:zone_facts": Row(ZONE_DEVELOPERS_B, FACT_ZONE),
    "zones:zone_fact_review": Row(STAFF_ONLY),
    "zones:zone_fact_approve": Row(STAFF_ONLY, FACT_CHANGE, method="POST", body={}),
    "zones:zone_fact_reject": Row(STAFF_ONLY, FACT_CHANGE, method="POST", body={"reason": ""}),
    "zones:incentive_calculator": Row(
        public, why="reference calculation from public rates; stores nothing (its PDF needs sign-in: zones tests)"
    ),
    # data centres (PDF, JSON and the design file are channels of their own)
    "datacenters:assessment_list": Row(signed_in),
    "datacenters:example": Row(public, lambda w, o: {"name": "tier1.yaml"}, channel="file"),
    "datacenters:schema": Row(public, channel="file"),
    "datacenters:assessment_detail": Row(ASSESSMENT_READERS, ASSESSMENT),
    "datacenters:assessment_pdf": Row(ASSESSMENT_READERS, ASSESSMENT, channel="pdf"),
    "datacenters:assessment_json": Row(ASSESSMENT_READERS, ASSESSMENT, channel="json"),
    "datacenters:assessment_design": Row(ASSESSMENT_READERS, ASSESSMENT, channel="file"),
    "datacenters:assessment_delete": Row(ASSESSMENT_DELETERS, ASSESSMENT, method="POST", body={}),
    # deals: MoU drafting (the parties' members and staff; anyone else 404, as if it did not exist)
    "deals:mou_list": Row(signed_in),
    "deals:mou_new": Row(OWNERS_OF_A, lambda w, o: {"deal": w.mou.deal.reference}),
    "deals:mou_detail": Row(OWNERS_OF_A, MOU),
    "deals:mou_edit": Row(OWNERS_OF_A, MOU),
    "deals:mou_compare": Row(OWNERS_OF_A, MOU, query={"from_number": "1", "to_number": "1"}),
    "deals:mou_comment": Row(OWNERS_OF_A, MOU, method="POST", body={"clause_key": "parties", "text": "Matrix"}),
    "deals:mou_download": Row(
        OWNERS_OF_A,
        lambda w, o: {"reference": w.mou.reference, "number": 1, "fmt": o},
        objects=("docx",),
        channel="docx",
    ),
    # The PDF is made by a background run: the version's PDF page, and the file a run made (none in this
    # world, so every principal gets 404; deals/tests/mou/test_pdf_runs.py makes one and checks who reads it).
    "deals:mou_pdf": Row(OWNERS_OF_A, MOU_VERSION),
    "deals:mou_pdf_file": Row(
        each(404, anonymous="login"), lambda w, o: {"reference": w.mou.reference, "number": 1, "run_id": 1}
    ),
    # deals: an MoU's route, signatories and seal (deals.selectors.routing): the parties' members and staff
    # see it, anyone else 404; the world's MoU is a draft, so every write of the route is refused by the
    # service (page forms: 400; buttons: back to the route page with the message; nothing stored).
    "deals:mou_route": Row(OWNERS_OF_A, MOU),
    "deals:mou_route_send": Row(OWNERS_OF_A, MOU, method="POST", why="A's members and staff send it: a success"),
    "deals:mou_route_act": Row(
        routers_refusal(400),
        lambda w, o: {"reference": w.mou.reference, "action": o},
        objects=("approve", "return"),
        method="POST",
        body={"note": "Matrix"},
        why="a draft is at no office: the service refuses",
    ),
    "deals:mou_signatory_add": Row(routers_refusal(400), MOU, method="POST", body={}),
    "deals:mou_signatory_remove": Row(
        routers_refusal(302),
        lambda w, o: {"reference": w.mou.reference, "signatory_id": 1},
        method="POST",
        why="no such signatory: refused with a message",
    ),
    "deals:mou_sign": Row(routers_refusal(302), MOU, method="POST", why="not cleared by its route: refused"),
    "deals:mou_sealed_pdf": Row(each(404, anonymous="login"), MOU, channel="pdf", why="not sealed yet"),
    "deals:verify": Row(public, why="anyone holding a PDF may ask whether it is a sealed copy"),
    # events: staff pages and exports
    "events:event_new": Row(STAFF_ONLY),
    "events:manage": Row(STAFF_ONLY, EVENT),
    "events:schedule_run": Row(STAFF_ONLY, EVENT, method="POST", body={}),
    "events:participant_status": Row(
        STAFF_ONLY,
        lambda w, o: {"slug": w.events["published"].slug, "participant_id": w.participants["b"].pk},
        method="POST",
        body={"status": "rejected"},
    ),
    "events:slots_add": Row(STAFF_ONLY, EVENT, method="POST", body={}),
    "events:reminders": Row(STAFF_ONLY, EVENT, method="POST", body={}),
    "events:meetings": Row(STAFF_ONLY, EVENT),
    "events:meeting_mark": Row(
        STAFF_ONLY,
        lambda w, o: {"slug": w.events["published"].slug, "meeting_id": w.meeting.pk},
        method="POST",
        body={"status": "no_show"},
    ),
    "events:export": Row(
        STAFF_ONLY,
        lambda w, o: {"slug": w.events["published"].slug, "fmt": o},
        objects=("csv", "xlsx"),
        channel="export",
    ),
    # events: participants (.ics and the feed are channels of their own)
    "events:event_list": Row(public),
    "events:feed": Row(
        feed_token_holder,
        lambda w, o: {"token": w.participants["a"].feed_token if o == "right_token" else "not-a-token"},
        objects=("right_token", "wrong_token"),
        channel="ics",
    ),
    "events:event_detail": Row(event_seen, EVENT, objects=("published", "draft")),
    "events:register": Row(signed_in, EVENT),
    # joining a registration of one's own organisation that one does not represent yet: at the draft event
    # nobody may (member_ab joining A's registration at the published one is a success, which stores a row:
    # events/tests/test_held_meeting_requests.py checks it and the refusals there)
    "events:registration_join": Row(each(404, anonymous="login"), EVENT, objects=("draft",), method="POST", body={}),
    "events:participants": Row(PARTICIPANTS, EVENT, query=SEARCH),
    "events:request_new": Row(
        # B asks for a meeting with its own registration: the participant list leaves the viewer out.
        each(403, anonymous="login", member_a="ok", member_b=404),
        lambda w, o: {"slug": w.events["published"].slug, "participant_id": w.participants["b"].pk},
    ),
    "events:requests": Row(PARTICIPANTS, EVENT),
    "events:request_answer": Row(
        only(frozenset({MEMBER_B}), refused=404, anonymous="login"),
        lambda w, o: {"slug": w.events["published"].slug, "request_id": w.meeting.request_id},
        method="POST",
        body={"action": "decline"},
    ),
    "events:request_cancel": Row(
        only(frozenset({MEMBER_A, MEMBER_B}), refused=404),
        lambda w, o: {"slug": w.events["published"].slug, "request_id": w.meeting.request_id},
        method="POST",
        body={},
    ),
    "events:agenda": Row(PARTICIPANTS, EVENT),
    "events:agenda_ics": Row(PARTICIPANTS, EVENT, channel="ics"),
    "events:meeting_rate": Row(
        only(frozenset({MEMBER_A, MEMBER_B})),  # a POST by a non-participant answers 404
        lambda w, o: {"slug": w.events["published"].slug, "meeting_id": w.meeting.pk},
        method="POST",
        body={},
    ),
    # The registration and meeting history: participants (their own rows) and staff (all); a 403 otherwise.
    "events:history": Row(only(frozenset({MEMBER_A, MEMBER_B, STAFF}), refused=403), EVENT),
    # events: delegation visits (the itinerary is staff's; each participant reads its own agenda)
    "events:itinerary": Row(STAFF_ONLY, DELEGATION),
    "events:itinerary_stop_add": Row(STAFF_ONLY, DELEGATION, method="POST", body={}),
    "events:itinerary_leg_add": Row(STAFF_ONLY, DELEGATION, method="POST", body={}),
    "events:itinerary_site_visit_add": Row(STAFF_ONLY, DELEGATION, method="POST", body={}),
    "events:itinerary_delete": Row(STAFF_ONLY, ITINERARY_ROW, method="POST", body={}),
    "events:agenda_pdf": Row(PARTICIPANTS, DELEGATION, channel="pdf"),
    # the host (B) confirms or declines its slot; the member side (A) is refused, anyone else finds nothing
    "events:meeting_host_confirm": Row(
        each(404, anonymous="login", member_a=403, member_b="ok"), HOST_MEETING, method="POST", body={}
    ),
    "events:meeting_host_decline": Row(
        each(404, anonymous="login", member_a=403, member_b="ok"), HOST_MEETING, method="POST", body={}
    ),
    # planned from a relocation case's page: the zone's organisation (B) passes the rule and is refused for
    # want of a stop at that time (back to the page with the message, nothing stored); others get 403
    "events:site_visit_plan": Row(
        each(403, anonymous="login", member_b=302, member_ab=302, staff="ok"),
        method="POST",
        body=lambda world: {
            "event": world.events["delegation"].slug,
            "zone": "lahore-technopolis",
            "relocation_request": world.relocations["shared"].pk,
            "starts_at": "2030-01-01T10:00",
            "minutes": 60,
        },
    ),
    # marketplace (search included)
    "marketplace:opportunity_list": Row(public, query=SEARCH),
    "marketplace:opportunity_create": Row(signed_in),
    "marketplace:mine": Row(signed_in),
    "marketplace:review_queue": Row(STAFF_ONLY),
    "marketplace:opportunity_detail": Row(profile_seen, PROFILE, objects=PROFILES),
    "marketplace:opportunity_edit": Row(
        profile_managed, PROFILE, objects=tuple(p for p in PROFILES if p not in {"closed", "private_organisation"})
    ),
    "marketplace:opportunity_review": Row(
        STAFF_ONLY, _pk("under_review"), method="POST", body={"decision": "comment", "comment": "x"}
    ),
    "marketplace:interest_create": Row(
        only(frozenset({MEMBER_B, MEMBER_AB}), refused=400),
        _pk("public"),
        method="POST",
        body={"message": "Hello"},
        why="members of another organisation; the others have no organisation to send from (form error)",
    ),
    "marketplace:opportunity_action": Row(
        profile_managed, lambda w, o: {"pk": w.profiles["public"].pk, "action": "close"}, method="POST", body={}
    ),
    "marketplace:interest_detail": Row(INTEREST_PARTIES, INTEREST),
    "marketplace:interest_answer": Row(
        each(404, anonymous="login", member_a="ok", member_ab="ok", staff="ok", member_b=403),
        INTEREST,
        method="POST",
        body={"action": "accept"},
    ),
    "marketplace:interest_withdraw": Row(
        each(404, anonymous="login", member_b="ok", member_ab="ok", staff="ok", member_a=403),
        INTEREST,
        method="POST",
        body={},
    ),
    # conversations: the thread of an accepted interest and of a meeting, and a message's attachment
    # the inbox: every signed-in user's own organisations' threads (staff too: their own only)
    "conversations:inbox": Row(signed_in),
    "conversations:interest_thread": Row(INTEREST_CONVERSATION_SIDES, ACCEPTED_INTEREST),
    "conversations:meeting_thread": Row(CONVERSATION_SIDES, MEETING_THREAD),
    "conversations:attachment": Row(CONVERSATION_SIDES, CONVERSATION_FILE, channel="file"),
    # deals: calls for proposals. Who sees which call and which part of its record is tested channel by
    # channel in deals/tests/calls/test_visibility.py; here every route answers an unknown call alike.
    "deals:call_list": Row(public, query=SEARCH),
    "deals:call_create": Row(each(403, anonymous="login", staff="ok"), why="staff of an issuing body (none of A/B)"),
    "deals:call_detail": Row(everyone_gets(404), NO_CALL),
    "deals:call_edit": Row(each(404, anonymous="login"), NO_CALL),
    **{
        f"deals:{name}": Row(each(404, anonymous="login"), NO_CALL, method="POST", body={})
        for name in ("call_publish", "call_cancel", "call_open", "call_report", "call_decide", "clarification_ask")
    },
    "deals:clarification_answer": Row(
        each(404, anonymous="login"),
        lambda w, o: {"slug": "no-such-call", "clarification_id": 1},
        method="POST",
        body={},
    ),
    "deals:grievance_file": Row(each(404, anonymous="login"), NO_CALL, method="POST", body={}),
    "deals:grievance_answer": Row(
        each(404, anonymous="login"), lambda w, o: {"slug": "no-such-call", "grievance_id": 1}, method="POST", body={}
    ),
    # matching (CSV is a channel of its own)
    "matching:dashboard": Row(signed_in, objects=(None, "csv")),
    "matching:staff_matches": Row(STAFF_ONLY, objects=(None, "csv"), query=SEARCH),
    "matching:rates": Row(STAFF_ONLY),
    "matching:profile_matches": Row(OWNERS_OF_B, _pk("request_b")),
    "matching:feedback": Row(
        OWNERS_OF_B,
        lambda w, o: {"match_id": w.matches["public"].pk},
        method="POST",
        body={"useful": "yes"},
    ),
    "matching:digest_setting": Row(signed_in, method="POST", body={}),
    "matching:digest_opt_out": Row(everyone_gets(404), lambda w, o: {"token": "not-a-valid-token"}),
    # deals: proposals (sealed before their call's deadline, even to staff)
    "deals:proposal_list": Row(signed_in),
    "deals:proposal_create": Row(each(404, anonymous="login"), why="without ?call= or ?to= there is nothing to answer"),
    "deals:proposal_detail": Row(proposal_seen, PROPOSAL, objects=PROPOSALS),
    "deals:proposal_edit": Row(proposal_edit_page, PROPOSAL, objects=PROPOSALS),
    "deals:proposal_document_add": Row(proposal_changed, PROPOSAL, objects=PROPOSALS, method="POST", body={}),
    "deals:proposal_document": Row(proposal_seen, PROPOSAL_DOCUMENT, objects=PROPOSALS, channel="file"),
    "deals:proposal_document_remove": Row(
        proposal_changed, PROPOSAL_DOCUMENT, objects=PROPOSALS, method="POST", body={}
    ),
    "deals:proposal_action": Row(
        proposal_changed,
        lambda w, o: {"reference": w.proposals[o].reference, "action": "withdraw"},
        objects=PROPOSALS,
        method="POST",
        body={},
    ),
    # deals: committee review (the review is submitted, so the reviewer's writes are refused: 400)
    "deals:review_queue": Row(signed_in),
    "deals:review_detail": Row(REVIEWER_ONLY, ASSIGNMENT),
    "deals:review_declare": Row(
        each(404, anonymous="login", reviewer=400), ASSIGNMENT, method="POST", body={"has_conflict": "yes"}
    ),
    "deals:review_scores": Row(each(404, anonymous="login", reviewer=400), ASSIGNMENT, method="POST", body={}),
    "deals:review_chair": Row(COMMITTEE, REVIEWED_CALL),
    "deals:review_proposal": Row(COMMITTEE, REVIEWED),
    "deals:review_appoint": Row(committee_refusal(400), REVIEWED, method="POST", body={}),
    "deals:review_remove": Row(committee_refusal(302), APPOINTMENT, method="POST", body={}, why="refused: submitted"),
    "deals:review_decide": Row(committee_refusal(400), REVIEWED, method="POST", body={}),
    # deals: the pipeline (the board and its export are staff's; a deal is its parties' and staff's)
    "deals:deal_list": Row(signed_in, query=SEARCH),
    "deals:deal_board": Row(STAFF_ONLY, query=SEARCH),
    "deals:deal_board_export": Row(STAFF_ONLY, objects=("csv", "xlsx"), channel="export"),
    # deals: relocation cases (the board and its export list the cases the viewer sees; taking a request up
    # starts from the request as zones.relocation_selectors lets the viewer read it)
    "deals:case_board": Row(signed_in),
    "deals:case_board_export": Row(signed_in, objects=("csv", "xlsx"), channel="export"),
    "deals:case_open": Row(relocation_seen, RELOCATION, objects=RELOCATIONS),
    "deals:request_remove": Row(
        relocation_removed, RELOCATION, objects=RELOCATIONS, method="POST", body={"reason": "matrix"}
    ),
    "deals:deal_document_add": Row(DEAL_READERS, DEAL, method="POST", body={}),
    "deals:deal_document": Row(DEAL_READERS, DEAL_DOCUMENT, channel="file"),
    "deals:deal_document_remove": Row(DEAL_MANAGERS, DEAL_DOCUMENT, method="POST", body={}, why="staff uploaded it"),
    "deals:deal_start": Row(signed_in, why="without a lead in the address: what starts a deal (leads: deals tests)"),
    "deals:deal_detail": Row(DEAL_READERS, DEAL),
    "deals:deal_stage": Row(DEAL_MANAGERS, DEAL, method="POST", body={"stage": "proposal"}),
    "deals:deal_next_step": Row(DEAL_READERS, DEAL, method="POST", body={"next_step": ""}),
    "deals:deal_edit": Row(DEAL_MANAGERS, DEAL, method="POST", body={"title": "x"}),
    "deals:deal_party_add": Row(
        DEAL_MANAGERS, DEAL, method="POST", body=lambda w: {"organisation": w.organisations["b"].pk, "role": "partner"}
    ),
    "deals:deal_party_remove": Row(
        DEAL_MANAGERS,
        lambda w, o: {"reference": w.deal.reference, "key": w.organisations["a"].key},
        method="POST",
        body={},
    ),
}

# The API, by "METHOD /path" as the OpenAPI document names it. Token and session are both checked.
SLUG = EVENT
NEW_EVENT = {
    "slug": "matrix-new",
    "title": "Matrix new event",
    "registration_opens_at": "2030-01-01T00:00:00Z",
    "registration_closes_at": "2030-01-02T00:00:00Z",
}
SLOT_GRID = {"days": ["2030-01-03"], "day_start": "09:00", "day_end": "10:00", "minutes": 30}
API: dict[str, Row] = {
    # directory, zones, me
    "GET /api/v1/organisations": Row(public, query=SEARCH),
    "POST /api/v1/organisations": Row(signed_in, body={}),
    "GET /api/v1/organisations/{key}": Row(organisation_seen, ORGANISATION, objects=ORGANISATIONS),
    "PATCH /api/v1/organisations/{key}": Row(OWNER_ROLE_OF_A, ORGANISATION, body={"city": "Quetta"}),
    "POST /api/v1/organisations/{key}/verification": Row(STAFF_ONLY, ORGANISATION, body={"verified": True}),
    "GET /api/v1/organisations/{key}/history": Row(OWNER_ROLE_OF_A, ORGANISATION),
    "POST /api/v1/organisations/{key}/claims": Row(signed_in, ORGANISATION, body={}),
    "GET /api/v1/claims": Row(signed_in, why="the caller's own claims"),
    "GET /api/v1/claims/to-decide": Row(signed_in, why="empty for anyone who decides none"),
    "GET /api/v1/claims/{pk}": Row(CLAIM_READERS, CLAIM),
    "POST /api/v1/claims/{pk}/decision": Row(CLAIM_DECIDERS, CLAIM, body={"approve": False, "reason": "no"}),
    "GET /api/v1/held-requests": Row(STAFF_ONLY),
    "GET /api/v1/sectors": Row(public),
    "GET /api/v1/concepts": Row(public),
    "GET /api/v1/concepts/{code}": Row(public, lambda w, o: {"code": w.concept_code}),
    "GET /api/v1/me": Row(signed_in),
    "GET /api/v1/notifications": Row(signed_in),
    "GET /api/v1/notifications/unread-count": Row(signed_in),
    "POST /api/v1/notifications/read-all": Row(signed_in, body={}),
    "POST /api/v1/notifications/{notification_id}/read": Row(RECIPIENT_ONLY, NOTIFICATION_ID, body={}),
    "PATCH /api/v1/me": Row(signed_in, body={"time_zone": "UTC"}),
    "GET /api/v1/zones": Row(public),
    "GET /api/v1/zones/{key}": Row(public, lambda w, o: {"key": w.zone_key}),
    "GET /api/v1/zones/{key}/fact-history": Row(public, FACT_ZONE),
    "GET /api/v1/zones/{key}/fact-changes": Row(ZONE_DEVELOPERS_B, FACT_ZONE),
    "POST /api/v1/zones/{key}/fact-changes": Row(ZONE_DEVELOPERS_B, FACT_ZONE, body=FACT_BODY),
    "GET /api/v1/zone-fact-changes": Row(STAFF_ONLY),
    "POST /api/v1/zone-fact-changes/{pk}/approve": Row(STAFF_ONLY, FACT_CHANGE, body={}),
    "POST /api/v1/zone-fact-changes/{pk}/reject": Row(STAFF_ONLY, FACT_CHANGE, body={"reason": ""}),
    # analytics: the overview for staff (the domain dashboards, as the figures, for anyone signed in)
    "GET /api/v1/analytics/dashboards/{name}": Row(STAFF_ONLY, lambda w, o: {"name": "overview"}),
    "GET /api/v1/analytics/figures/{key}": Row(signed_in, lambda w, o: {"key": "organisations_by_country"}),
    "GET /api/v1/relocation-requests": Row(signed_in),
    "POST /api/v1/relocation-requests": Row(signed_in, body={}),
    "GET /api/v1/relocation-requests/{pk}": Row(relocation_seen, RELOCATION, objects=RELOCATIONS),
    "PUT /api/v1/relocation-requests/{pk}": Row(OWNERS_OF_A, RELOCATION, objects=RELOCATIONS, body=RELOCATION_BODY),
    "GET /api/v1/relocation-requests/{pk}/zones": Row(OWNERS_OF_A, RELOCATION, objects=RELOCATIONS),
    "GET /api/v1/incentives/rates": Row(public),
    "POST /api/v1/incentives/calculate": Row(
        everyone_gets(422), body={}, why="public and stores nothing; the matrix sends no projections (422 names them)"
    ),
    # data centres
    "GET /api/v1/datacenters/assessments": Row(signed_in),
    "POST /api/v1/datacenters/assessments": Row(signed_in, body={}),
    "POST /api/v1/datacenters/assessments/upload": Row(signed_in, body={}),
    "POST /api/v1/datacenters/validate": Row(signed_in, body={}),
    "GET /api/v1/datacenters/assessments/{reference}": Row(ASSESSMENT_READERS, ASSESSMENT),
    "DELETE /api/v1/datacenters/assessments/{reference}": Row(ASSESSMENT_DELETERS, ASSESSMENT),
    # deals: MoU drafting
    "GET /api/v1/deals/clauses": Row(signed_in, why="the platform's model clauses: no secret"),
    "GET /api/v1/deals/mous": Row(signed_in),
    "POST /api/v1/deals/mous": Row(signed_in, body={}),
    "GET /api/v1/deals/mous/{reference}": Row(OWNERS_OF_A, MOU),
    "GET /api/v1/deals/mous/{reference}/versions": Row(OWNERS_OF_A, MOU),
    "POST /api/v1/deals/mous/{reference}/versions": Row(OWNERS_OF_A, MOU, body={"clauses": [MOU_CLAUSE]}),
    "GET /api/v1/deals/mous/{reference}/versions/{number}": Row(OWNERS_OF_A, MOU_VERSION),
    "GET /api/v1/deals/mous/{reference}/diff": Row(OWNERS_OF_A, MOU, query={"from_number": "1", "to_number": "1"}),
    "GET /api/v1/deals/mous/{reference}/comments": Row(OWNERS_OF_A, MOU),
    "POST /api/v1/deals/mous/{reference}/comments": Row(
        OWNERS_OF_A, MOU, body={"clause_key": "parties", "text": "Matrix"}
    ),
    "GET /api/v1/deals/mous/{reference}/versions/{number}/docx": Row(OWNERS_OF_A, MOU_VERSION, channel="docx"),
    # The PDF made last: none in this world (deals/tests/mou/test_pdf_runs.py makes one and checks who reads it).
    "GET /api/v1/deals/mous/{reference}/versions/{number}/pdf": Row(each(404, anonymous="login"), MOU_VERSION),
    "POST /api/v1/deals/mous/{reference}/versions/{number}/pdf": Row(
        each(404, anonymous="login", member_a=202, member_ab=202, staff=202), MOU_VERSION, body={}
    ),
    # deals: an MoU's route, signatories and seal (the world's MoU is a draft: the route's writes are refused)
    "GET /api/v1/deals/mous/{reference}/route": Row(OWNERS_OF_A, MOU),
    "POST /api/v1/deals/mous/{reference}/route/send": Row(OWNERS_OF_A, MOU, why="A's members and staff: a success"),
    "POST /api/v1/deals/mous/{reference}/route/approve": Row(routers_refusal(422), MOU, body={"note": "Matrix"}),
    "POST /api/v1/deals/mous/{reference}/route/return": Row(routers_refusal(422), MOU, body={"note": "Matrix"}),
    "GET /api/v1/deals/mous/{reference}/signatories": Row(OWNERS_OF_A, MOU),
    "POST /api/v1/deals/mous/{reference}/signatories": Row(routers_refusal(422), MOU, body=MOU_SIGNATORY),
    "POST /api/v1/deals/mous/{reference}/sign": Row(routers_refusal(422), MOU),
    "GET /api/v1/deals/mous/{reference}/sealed.pdf": Row(each(404, anonymous="login"), MOU, why="not sealed yet"),
    "POST /api/v1/deals/verify": Row(
        everyone_gets(422), why="public; the matrix sends no file (the verification itself: deals/tests/routing)"
    ),
    # deals: calls for proposals (visibility per principal: deals/tests/calls/test_visibility.py)
    "GET /api/v1/deals/calls": Row(public, query=SEARCH),
    "POST /api/v1/deals/calls": Row(signed_in, body={}),
    "GET /api/v1/deals/calls/{slug}": Row(everyone_gets(404), NO_CALL),
    "PATCH /api/v1/deals/calls/{slug}": Row(each(404, anonymous="login"), NO_CALL, body={}),
    "POST /api/v1/deals/calls/{slug}/publish": Row(each(404, anonymous="login"), NO_CALL, body={}),
    "POST /api/v1/deals/calls/{slug}/cancel": Row(each(404, anonymous="login"), NO_CALL, body={"reason": "x"}),
    "GET /api/v1/deals/calls/{slug}/clarifications": Row(everyone_gets(404), NO_CALL),
    "POST /api/v1/deals/calls/{slug}/clarifications": Row(
        each(404, anonymous="login"), NO_CALL, body={"organisation": "x", "question": "x"}
    ),
    "POST /api/v1/deals/calls/{slug}/clarifications/{clarification_id}/answer": Row(
        each(404, anonymous="login"), lambda w, o: {"slug": "no-such-call", "clarification_id": 1}, body={"answer": "x"}
    ),
    "GET /api/v1/deals/calls/{slug}/openings": Row(each(404, anonymous="login"), NO_CALL),
    "POST /api/v1/deals/calls/{slug}/opening": Row(each(404, anonymous="login"), NO_CALL, body={"attendees": ["x"]}),
    "POST /api/v1/deals/calls/{slug}/financial-opening": Row(
        each(404, anonymous="login"), NO_CALL, body={"attendees": ["x"]}
    ),
    "GET /api/v1/deals/calls/{slug}/report": Row(each(404, anonymous="login"), NO_CALL),
    "POST /api/v1/deals/calls/{slug}/report": Row(each(404, anonymous="login"), NO_CALL, body={"grievance_days": 5}),
    "GET /api/v1/deals/calls/{slug}/grievances": Row(each(404, anonymous="login"), NO_CALL),
    "POST /api/v1/deals/calls/{slug}/grievances": Row(
        each(404, anonymous="login"), NO_CALL, body={"organisation": "x", "text": "x"}
    ),
    "POST /api/v1/deals/calls/{slug}/grievances/{grievance_id}/answer": Row(
        each(404, anonymous="login"), lambda w, o: {"slug": "no-such-call", "grievance_id": 1}, body={"answer": "x"}
    ),
    "POST /api/v1/deals/calls/{slug}/decision": Row(each(404, anonymous="login"), NO_CALL, body={}),
    # events
    "GET /api/v1/events": Row(public),
    "POST /api/v1/events": Row(STAFF_ONLY, body=NEW_EVENT),
    "GET /api/v1/events/{slug}": Row(event_seen, SLUG, objects=("published", "draft")),
    "GET /api/v1/events/{slug}/slots": Row(public, SLUG),
    "POST /api/v1/events/{slug}/slots/generate": Row(STAFF_ONLY, SLUG, body=SLOT_GRID),
    "POST /api/v1/events/{slug}/registrations": Row(signed_in, SLUG, body={}),
    "GET /api/v1/events/{slug}/registrations/mine": Row(PARTICIPANTS_API, SLUG),
    "PATCH /api/v1/events/{slug}/registrations/mine": Row(PARTICIPANTS_API, SLUG, body={"interests": "x"}),
    "POST /api/v1/events/{slug}/participants/{participant_id}/status": Row(
        STAFF_ONLY,
        lambda w, o: {"slug": w.events["published"].slug, "participant_id": w.participants["b"].pk},
        body={"status": "rejected"},
    ),
    "GET /api/v1/events/{slug}/participants": Row(
        only(frozenset({MEMBER_A, MEMBER_B, STAFF}), refused=403), SLUG, query=SEARCH
    ),
    "PUT /api/v1/events/{slug}/participants/{participant_id}/preference": Row(
        PARTICIPANTS_API,
        lambda w, o: {"slug": w.events["published"].slug, "participant_id": w.participants["b"].pk},
        body={"level": "must"},
    ),
    "POST /api/v1/events/{slug}/requests": Row(PARTICIPANTS_API, SLUG, body={"recipient": 1}),
    "GET /api/v1/events/{slug}/requests": Row(PARTICIPANTS_API, SLUG),
    "POST /api/v1/events/{slug}/requests/{request_id}/answer": Row(
        each(404, anonymous="login", member_b="ok", staff="ok", member_a=403),  # the requester may not answer
        lambda w, o: {"slug": w.events["published"].slug, "request_id": w.meeting.request_id},
        body={"accept": False, "reason": "no_time"},
    ),
    "POST /api/v1/events/{slug}/requests/{request_id}/cancel": Row(
        only(frozenset({MEMBER_A, MEMBER_B, STAFF})),
        lambda w, o: {"slug": w.events["published"].slug, "request_id": w.meeting.request_id},
        body={},
    ),
    "GET /api/v1/events/{slug}/requests/{request_id}/free-slots": Row(
        only(frozenset({MEMBER_A, MEMBER_B, STAFF})),
        lambda w, o: {"slug": w.events["published"].slug, "request_id": w.meeting.request_id},
    ),
    "GET /api/v1/events/{slug}/agenda": Row(PARTICIPANTS_API, SLUG),
    "POST /api/v1/events/{slug}/meetings/{meeting_id}/rating": Row(
        each(404, anonymous="login", member_a="ok", member_b="ok", staff=403),  # staff rate no meeting
        lambda w, o: {"slug": w.events["published"].slug, "meeting_id": w.meeting.pk},
        body={"outcome": "cooperation_possible"},
    ),
    "POST /api/v1/events/{slug}/schedule": Row(STAFF_ONLY, SLUG, body={}),
    "GET /api/v1/events/{slug}/meetings": Row(STAFF_ONLY, SLUG),
    "POST /api/v1/events/{slug}/meetings/{meeting_id}/mark": Row(
        STAFF_ONLY,
        lambda w, o: {"slug": w.events["published"].slug, "meeting_id": w.meeting.pk},
        body={"status": "no_show"},
    ),
    "GET /api/v1/events/{slug}/dashboard": Row(STAFF_ONLY, SLUG),
    "GET /api/v1/events/{slug}/history": Row(only(frozenset({MEMBER_A, MEMBER_B, STAFF}), refused=403), SLUG),
    "GET /api/v1/events/{slug}/itinerary": Row(STAFF_ONLY, DELEGATION),
    "POST /api/v1/events/{slug}/itinerary/stops": Row(
        STAFF_ONLY,
        DELEGATION,
        body={"city": "Karachi", "arrives_at": "2030-01-01T08:00:00+05:00", "leaves_at": "2030-01-01T18:00:00+05:00"},
    ),
    "POST /api/v1/events/{slug}/itinerary/legs": Row(
        STAFF_ONLY,
        DELEGATION,
        body={
            "from_city": "Beijing",
            "to_city": "Karachi",
            "departs_at": "2030-01-01T01:00:00+08:00",
            "arrives_at": "2030-01-01T06:00:00+05:00",
        },
    ),
    # the zone's own organisation (B) may plan a visit for a request shared with it: refused here for want
    # of a stop at that time (422, nothing stored); anyone else is refused before any rule is read
    "POST /api/v1/events/{slug}/itinerary/site-visits": Row(
        each(403, anonymous="login", member_b=422, member_ab=422, staff="ok"),
        DELEGATION,
        body=lambda world: {
            "zone": "lahore-technopolis",
            "starts_at": "2030-01-01T10:00:00+05:00",
            "minutes": 60,
            "relocation_request": world.relocations["shared"].pk,
        },
    ),
    "GET /api/v1/events/{slug}/itinerary/agenda": Row(PARTICIPANTS_API, DELEGATION),
    "POST /api/v1/events/{slug}/meetings/{meeting_id}/confirm": Row(
        each(404, anonymous="login", member_a=403, member_b="ok", staff="ok"), HOST_MEETING, body={}
    ),
    "POST /api/v1/events/{slug}/meetings/{meeting_id}/decline": Row(
        each(404, anonymous="login", member_a=403, member_b="ok", staff="ok"), HOST_MEETING, body={}
    ),
    "GET /api/v1/relocation-requests/{pk}/site-visits": Row(relocation_seen, SITE_VISITS, objects=("shared",)),
    # marketplace
    "GET /api/v1/opportunities": Row(public, query=SEARCH),
    "POST /api/v1/opportunities": Row(signed_in, body={}),
    "GET /api/v1/opportunities/mine": Row(signed_in),
    "GET /api/v1/opportunities/{pk}": Row(profile_seen, PROFILE, objects=PROFILES),
    "PATCH /api/v1/opportunities/{pk}": Row(profile_managed_api, PROFILE, body={"summary": "x"}),
    "POST /api/v1/opportunities/{pk}/review": Row(
        STAFF_ONLY, _pk("under_review"), body={"decision": "comment", "comment": "x"}
    ),
    "GET /api/v1/opportunities/{pk}/reviews": Row(profile_managed_api, PROFILE, objects=PROFILES),
    "GET /api/v1/opportunities/{pk}/history": Row(profile_managed_api, PROFILE, objects=PROFILES),
    "POST /api/v1/opportunities/{pk}/interests": Row(
        each(422, anonymous="login", member_b="ok", member_ab="ok", staff="ok"),
        PROFILE,
        body=lambda w: {"organisation": w.organisations["b"].key, "message": "x"},
        why="on behalf of B: its members, and staff (who may act for any organisation); for the others the "
        "organisation field is refused (422, naming the field)",
    ),
    "GET /api/v1/interests": Row(signed_in, query={"direction": "sent"}),
    "GET /api/v1/interests/{pk}": Row(INTEREST_PARTIES, INTEREST),
    "GET /api/v1/conversations/interests/{interest_id}/messages": Row(INTEREST_CONVERSATION_SIDES, ACCEPTED_INTEREST),
    "POST /api/v1/conversations/interests/{interest_id}/messages": Row(
        INTEREST_CONVERSATION_WRITE, ACCEPTED_INTEREST, body={"body": "Hello"}
    ),
    "GET /api/v1/conversations/meetings/{meeting_id}/messages": Row(CONVERSATION_SIDES, MEETING_THREAD),
    "POST /api/v1/conversations/meetings/{meeting_id}/messages": Row(
        CONVERSATION_WRITE, MEETING_THREAD, body={"body": "Hello"}
    ),
    "GET /api/v1/conversations/files/{attachment_id}": Row(CONVERSATION_SIDES, CONVERSATION_FILE, channel="file"),
    "POST /api/v1/interests/{pk}/answer": Row(
        each(404, anonymous="login", member_a="ok", member_ab="ok", staff="ok", member_b=403),
        INTEREST,
        body={"accept": True},
    ),
    "POST /api/v1/interests/{pk}/withdraw": Row(
        each(404, anonymous="login", member_b="ok", member_ab="ok", staff="ok", member_a=403), INTEREST, body={}
    ),
    "POST /api/v1/opportunities/{pk}/submit": Row(profile_managed_api, _pk("draft"), body={}),
    "DELETE /api/v1/opportunities/{pk}": Row(profile_managed_api, _pk("draft")),
    "POST /api/v1/opportunities/{pk}/close": Row(profile_managed_api, PROFILE, body={}),
    "POST /api/v1/opportunities/{pk}/renew": Row(profile_managed_api, PROFILE, body={}),
    # matching
    "GET /api/v1/opportunities/{pk}/matches": Row(OWNERS_OF_B, _pk("request_b")),
    "GET /api/v1/matches": Row(signed_in),
    "GET /api/v1/glossary/suggestions": Row(public, query=SEARCH),
    "POST /api/v1/matches/{match_id}/feedback": Row(
        OWNERS_OF_B, lambda w, o: {"match_id": w.matches["public"].pk}, body={"useful": True}
    ),
    "GET /api/v1/currency-rates": Row(signed_in),
    "POST /api/v1/currency-rates": Row(
        STAFF_ONLY, body={"currency": "PKR", "units_per_usd": "280", "valid_from": "2030-01-01"}
    ),
    "GET /api/v1/currency-rates/history": Row(signed_in),
    # background runs
    "GET /api/v1/runs/{run_id}": Row(RUN_READERS, RUN),
    # deals: proposals
    "GET /api/v1/deals/proposals": Row(signed_in),
    "POST /api/v1/deals/proposals": Row(signed_in, body={}),
    "GET /api/v1/deals/proposals/{reference}": Row(proposal_seen, PROPOSAL, objects=PROPOSALS),
    "PATCH /api/v1/deals/proposals/{reference}": Row(proposal_changed, PROPOSAL, objects=PROPOSALS, body={}),
    "POST /api/v1/deals/proposals/{reference}/documents": Row(
        lambda principal, obj: "ok" if principal in SUBMITTERS else ("login" if principal == ANONYMOUS else 422),
        PROPOSAL,
        objects=PROPOSALS,
        body={},
        why="a multipart upload without its file is refused (422) before the proposal is looked up",
    ),
    "DELETE /api/v1/deals/proposals/{reference}/documents/{document_id}": Row(
        proposal_changed, PROPOSAL_DOCUMENT, objects=PROPOSALS
    ),
    "GET /api/v1/deals/proposals/{reference}/documents/{document_id}": Row(
        proposal_seen, PROPOSAL_DOCUMENT, objects=PROPOSALS, channel="file"
    ),
    "POST /api/v1/deals/proposals/{reference}/submit": Row(proposal_changed, PROPOSAL, objects=PROPOSALS),
    "POST /api/v1/deals/proposals/{reference}/withdraw": Row(proposal_changed, PROPOSAL, objects=PROPOSALS),
    "GET /api/v1/deals/proposals/{reference}/versions": Row(proposal_seen, PROPOSAL, objects=PROPOSALS),
    "GET /api/v1/deals/proposals/{reference}/diff": Row(
        each(404, anonymous="login"), PROPOSAL, objects=PROPOSALS, why="no proposal of the world has two versions"
    ),
    # deals: committee review (the review is submitted: the reviewer's writes are refused, 422)
    "GET /api/v1/deals/reviews": Row(signed_in),
    "GET /api/v1/deals/reviews/{pk}": Row(REVIEWER_ONLY, ASSIGNMENT),
    "POST /api/v1/deals/reviews/{pk}/declaration": Row(
        each(404, anonymous="login", reviewer=422), ASSIGNMENT, body={"has_conflict": False}
    ),
    "PUT /api/v1/deals/reviews/{pk}/scores": Row(each(404, anonymous="login", reviewer=422), ASSIGNMENT, body={}),
    "POST /api/v1/deals/reviews/{pk}/submit": Row(each(404, anonymous="login", reviewer=422), ASSIGNMENT, body={}),
    "POST /api/v1/deals/reviews/proposals/{reference}/reviewers": Row(
        committee_refusal(422), REVIEWED, body={"reviewer": "nobody@example.org"}
    ),
    "DELETE /api/v1/deals/reviews/proposals/{reference}/reviewers/{assignment_id}": Row(
        committee_refusal(422), APPOINTMENT
    ),
    "GET /api/v1/deals/reviews/proposals/{reference}/scores": Row(COMMITTEE, REVIEWED),
    "GET /api/v1/deals/reviews/calls/{slug}/ranking": Row(COMMITTEE, REVIEWED_CALL),
    "POST /api/v1/deals/reviews/proposals/{reference}/decision": Row(
        committee_refusal(422), REVIEWED, body={"decision": "approve", "reasons": " "}
    ),
    "GET /api/v1/deals/reviews/proposals/{reference}/feedback": Row(
        each(404, anonymous="login"), REVIEWED, why="no decision has taken effect: no one reads feedback yet"
    ),
    # deals: the pipeline
    "GET /api/v1/deals": Row(signed_in, query=SEARCH),
    "POST /api/v1/deals": Row(signed_in, body={}),
    "POST /api/v1/deals/cases": Row(signed_in, body={}),
    "GET /api/v1/deals/{reference}": Row(DEAL_READERS, DEAL),
    "PATCH /api/v1/deals/{reference}": Row(DEAL_MANAGERS, DEAL, body={"title": "x"}),
    "POST /api/v1/deals/{reference}/stage": Row(DEAL_MANAGERS, DEAL, body={"stage": "proposal"}),
    "POST /api/v1/deals/{reference}/next-step": Row(DEAL_READERS, DEAL, body={"next_step": ""}),
    "POST /api/v1/deals/{reference}/parties": Row(
        DEAL_MANAGERS, DEAL, body=lambda w: {"organisation": w.organisations["b"].key}
    ),
    "DELETE /api/v1/deals/{reference}/parties/{key}": Row(
        DEAL_MANAGERS, lambda w, o: {"reference": w.deal.reference, "key": w.organisations["a"].key}
    ),
    "GET /api/v1/deals/{reference}/history": Row(DEAL_READERS, DEAL),
    "GET /api/v1/deals/{reference}/documents": Row(DEAL_READERS, DEAL),
    "POST /api/v1/deals/{reference}/documents": Row(
        each(422, anonymous="login", member_a="ok", member_ab="ok", staff="ok"),
        DEAL,
        body={},
        why="a multipart upload: a body without the file is refused (422) before the deal is looked up",
    ),
    "GET /api/v1/deals/{reference}/documents/{document_id}": Row(DEAL_READERS, DEAL_DOCUMENT, channel="file"),
    "DELETE /api/v1/deals/{reference}/documents/{document_id}": Row(
        DEAL_MANAGERS, DEAL_DOCUMENT, why="staff uploaded it: the parties' members read it, may not remove it"
    ),
    "POST /api/v1/deals/cases/requests/{pk}/remove": Row(relocation_removed, RELOCATION, objects=RELOCATIONS, body={}),
}
# The admin is Django's: one rule for all of its pages.
ADMIN_RULE = STAFF_ONLY_TO_LOGIN


# --- the world, built once ---------------------------------------------------------------------------

OFFER = {
    "kind": "technology_offer",
    "description": "AI triage of chest X-rays for tuberculosis screening, on premises, under a licence.",
    "trl": 7,
    "deal_types": ["licence"],
}


def _publish(organisation: Any, user: Any, staff: Any, title: str, **fields: Any) -> Opportunity:
    opportunity = marketplace.opportunity_create(
        actor=user, organisation=organisation, fields={**OFFER, "title": title, **fields}
    )
    marketplace.opportunity_submit(actor=user, opportunity=opportunity)
    marketplace.opportunity_review(actor=staff, opportunity=opportunity, decision="approve")
    opportunity.refresh_from_db()
    return opportunity


def _profiles(world: Any) -> dict[str, Opportunity]:
    a, user, staff = world.organisations["a"], world.users[MEMBER_A], world.users[STAFF]
    profiles = {
        "public": _publish(a, user, staff, _title("public")),
        "members": _publish(a, user, staff, _title("members"), visibility="members"),
        "private": _publish(a, user, staff, _title("private"), visibility="private"),
        "draft": marketplace.opportunity_create(actor=user, organisation=a, fields={**OFFER, "title": _title("draft")}),
        "expired": _publish(a, user, staff, _title("expired")),
        "closed": _publish(a, user, staff, _title("closed")),
        "gone_private": _publish(a, user, staff, "Matrix soon private profile"),
        "private_organisation": _publish(
            world.organisations["private"], world.private_owner, staff, _title("private_organisation")
        ),
        "request_b": _publish(
            world.organisations["b"],
            world.users[MEMBER_B],
            staff,
            "Matrix B request",
            kind="technology_request",
        ),
    }
    for state in ("under_review", "changes_requested"):
        profiles[state] = marketplace.opportunity_create(
            actor=user, organisation=a, fields={**OFFER, "title": _title(state)}
        )
        marketplace.opportunity_submit(actor=user, opportunity=profiles[state])
    marketplace.opportunity_review(
        actor=staff,
        opportunity=profiles["changes_requested"],
        decision="request_changes",
        comment=f"{WORD} staff review note",
    )
    marketplace.opportunity_close(actor=user, opportunity=profiles["closed"])
    Opportunity.objects.filter(pk=profiles["expired"].pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    marketplace.opportunities_expire()
    return profiles


def _interest_then_private(world: Any) -> Any:
    """Finding 1: B expresses interest in A's public profile; A then makes it private and retitles it."""
    profile = world.profiles["gone_private"]
    interest = marketplace.interest_express(
        actor=world.users[MEMBER_B],
        organisation=world.organisations["b"],
        opportunity=profile,
        message=f"{WORD} interest message",
    )
    marketplace.opportunity_update(
        actor=world.users[STAFF], opportunity=profile, fields={"visibility": "private", "title": _title("gone_private")}
    )
    return interest


def _matches(world: Any) -> dict[str, Match]:
    """Stored matches of B's request, the private and expired ones stale (as right after a change)."""
    now = timezone.now()
    return {
        state: Match.objects.create(
            opportunity=world.profiles["request_b"],
            other=world.profiles[state],
            score=0.9 - rank / 10,
            rank=rank + 1,
            first_seen_at=now,
            computed_at=now,
        )
        for rank, state in enumerate(("public", "members", "private", "expired", "private_organisation"))
    }


def _events(world: Any) -> None:
    from silkbridge.events import services as events
    from silkbridge.events.choices import SchedulingMode
    from silkbridge.events.tests.factories import EventFactory, in_days

    staff = world.users[STAFF]
    event = EventFactory(
        created_by=staff,
        title="Matrix matchmaking",
        slot_days=[in_days(14)],
        scheduling_mode=SchedulingMode.PARTICIPANTS,
    )
    draft = EventFactory(created_by=staff, title=f"{WORD} draft event", is_published=False)
    slots = list(event.slots.values_list("pk", flat=True))
    participants = {}
    for side, principal, wish in (("a", MEMBER_A, f"{WORD} participant wish"), ("b", MEMBER_B, "Imaging")):
        participants[side] = events.participant_register(
            actor=world.users[principal],
            event=event,
            organisation=world.organisations[side],
            time_zone="Asia/Karachi",
            slot_ids=slots,
            interests=wish,
        )
        events.participant_set_status(actor=staff, participant=participants[side], status="approved")
    meeting_request = events.request_create(
        actor=world.users[MEMBER_A], requester=participants["a"], recipient=participants["b"]
    )
    events.request_answer(
        actor=world.users[MEMBER_B], meeting_request=meeting_request, accept=True, slot=event.slots.first()
    )
    meeting_request.refresh_from_db()
    world.events = {"published": event, "draft": draft}
    world.participants = participants
    world.meeting = meeting_request.meeting


def _assessment(world: Any) -> Any:
    from silkbridge.datacenters.services import MIN_YEARS, UploadedText, assessment_create
    from silkbridge.settings import BASE_DIR

    text = (BASE_DIR / "examples" / "datacenters" / "tier1.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Karachi Software Park server room (Tier I proposal)", f"name: {WORD} data centre")
    design = UploadedText(name="matrix.yaml", content=text.encode())
    return assessment_create(actor=world.users[MEMBER_A], design=design, years=MIN_YEARS, seed=1)


def _mou(world: Any) -> Any:
    """An MoU being drafted for a deal between A (the authority) and the members-only organisation,
    whose members are none of the principals: B's members are outsiders to it."""
    from silkbridge.deals.models import Deal, DealParty
    from silkbridge.deals.services.mou import mou_draft

    deal = Deal.objects.create(title="Matrix deal", subject="data_center")
    DealParty.objects.create(deal=deal, organisation=world.organisations["a"], role="authority")
    DealParty.objects.create(deal=deal, organisation=world.organisations["members"], role="partner")
    return mou_draft(
        actor=world.users[STAFF],
        deal=deal,
        second_language="zh",
        counterpart="foreign_private",
        title=f"{WORD} memorandum",
        clause_keys=["parties", "termination"],
    )


def _proposals(world: Any) -> tuple[dict[str, Any], dict[str, int]]:
    """A's proposals to three calls of B: a draft, a sealed one, and one whose call's deadline has passed
    (with a reviewer who declared a conflict of interest)."""
    from silkbridge.deals.models import Call, ReviewAssignment
    from silkbridge.deals.services import proposals as deals

    now = timezone.now()
    proposals, documents = {}, {}
    for state in PROPOSAL_SEEN_BY:
        call = Call.objects.create(
            slug=f"matrix-call-{state}",
            issuer=world.organisations["b"],
            title_en="Matrix call",
            scope_en="Matrix scope",
            deadline=now + timedelta(days=10),
            contact_name="Matrix",
            contact_email="matrix@example.org",
            status="published",
            published_at=now,
        )
        member = world.users[MEMBER_A]
        proposal = deals.proposal_create(
            actor=member,
            organisation=world.organisations["a"],
            call=call,
            fields={"title": f"{WORD} {state} proposal", "summary": "Matrix summary"},
        )
        upload = SimpleUploadedFile("matrix.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        documents[state] = deals.proposal_document_add(actor=member, proposal=proposal, upload=upload).pk
        if state != "draft":
            deals.proposal_submit(actor=member, proposal=proposal)
        if state == "opened":
            Call.objects.filter(pk=call.pk).update(deadline=now - timedelta(minutes=1))
            ReviewAssignment.objects.create(
                proposal=proposal,
                reviewer=world.users[REVIEWER],
                conflict="declared",
                conflict_note="Matrix",
                declared_at=now,
            )
        proposal.refresh_from_db()
        proposals[state] = proposal
    return proposals, documents


def _deals_review(world: Any) -> None:
    """A's proposal to B's call (deadline passed), reviewed and submitted by REVIEWER."""
    from silkbridge.deals.services import reviews
    from silkbridge.deals.tests.reviews.factories import make_call, make_proposal

    call = make_call(issuer=world.organisations["b"], slug="matrix-call")
    proposal = make_proposal(call=call, organisation=world.organisations["a"], title="Matrix reviewed proposal")
    reviewer = world.users[REVIEWER]
    assignment = reviews.reviewer_appoint(actor=world.users[MEMBER_B], proposal=proposal, reviewer=reviewer)
    reviews.conflict_declare(actor=reviewer, assignment=assignment, has_conflict=False)
    scores = {criterion.pk: (3, f"{WORD} committee comment") for criterion in call.criteria.all()}
    reviews.review_save(actor=reviewer, assignment=assignment, scores=scores)
    reviews.review_submit(actor=reviewer, assignment=assignment)
    world.reviewed_proposal, world.review_assignment = proposal, assignment


def _run_of_member_a(world: Any) -> Any:
    from silkbridge.core.models import Run

    return Run.objects.create(
        kind="events.schedule", created_by=world.users[MEMBER_A], status="succeeded", progress=1.0, result={}
    )


def _deal_of_a(world: Any) -> Any:
    from silkbridge.deals.services.pipeline import deal_start

    gamma: Any = OrganisationFactory(name_en="Gamma Matrix Ltd", country="AE")
    return deal_start(
        actor=world.users[STAFF],
        title=f"{WORD} deal of A",
        subject="investment",
        organisations=[world.organisations["a"], gamma],
        origin="manual",
    )


def _deal_document(world: Any) -> int:
    """A document of A's deal, added by staff (its owner)."""
    from silkbridge.deals.services.pipeline import deal_document_add

    upload = SimpleUploadedFile("matrix-deal.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    return deal_document_add(actor=world.users[STAFF], deal=world.deal, upload=upload).pk


def _conversations(world: Any) -> None:
    """B's interest in a third organisation's profile, accepted (an accepted interest shows each side's
    contacts to the other, A's hidden one included, so it is not A's); a message with a PDF in A's and B's
    meeting."""
    from silkbridge.conversations import selectors as conversations
    from silkbridge.conversations.services import message_post
    from silkbridge.marketplace.tests.factories import XRAY_OFFER_ZH, published

    owner = MembershipFactory(organisation=OrganisationFactory(country="CN", name_en="Matrix Delta Ltd")).user
    profile = published(owner.memberships.get().organisation, owner, refresh=False, **XRAY_OFFER_ZH)
    interest = marketplace.interest_express(
        actor=world.users[MEMBER_B],
        organisation=world.organisations["b"],
        opportunity=profile,
        message="Matrix accepted interest",
    )
    marketplace.interest_answer(actor=owner, interest=interest, accept=True)
    world.accepted_interest = interest
    conversation = conversations.conversation_for_meeting(viewer=world.users[MEMBER_B], meeting_id=world.meeting.pk)
    upload = SimpleUploadedFile("matrix-agenda.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    message = message_post(
        actor=world.users[MEMBER_B], conversation=conversation, body=f"{WORD} conversation message", uploads=[upload]
    )
    world.conversation_attachment = message.attachments.get().pk


def _import_report() -> Any:
    from silkbridge.directory.models import ImportRun

    return ImportRun.objects.create(file_name="matrix.csv", status="completed", rows_total=0)


def _relocations(world: Any) -> dict[str, Any]:
    """A's relocation requests: one shared with a zone that B develops, one shared with none."""
    from silkbridge.zones.models import Zone
    from silkbridge.zones.relocation_services import RelocationRequestData, relocation_request_create

    zone = Zone.objects.get(key="lahore-technopolis")
    zone.organisation = world.organisations["b"]
    zone.save(update_fields=["organisation"])
    requests = {
        state: relocation_request_create(
            actor=world.users[MEMBER_A],
            organisation=world.organisations["a"],
            data=RelocationRequestData(
                title=f"{WORD} {state} relocation request", shared_with=[zone.key] if state == "shared" else []
            ),
        )
        for state in RELOCATIONS
    }
    # The shared request taken up by its zone: a relocation case (its title is the request's, a secret of
    # the same readers; deals.selectors.pipeline.deals_visible keeps it to them).
    from silkbridge.deals.services.cases import relocation_case_open

    relocation_case_open(actor=world.users[STAFF], relocation_request=requests["shared"], zone=zone)
    return requests


def _zone_fact_change(world: Any) -> Any:
    """A change of Lahore Technopolis's facts proposed by B's member (B develops it), awaiting staff."""
    from silkbridge.zones.facts_services import ZoneFactProposal, zone_fact_propose
    from silkbridge.zones.models import Zone

    return zone_fact_propose(
        actor=world.users[MEMBER_B],
        zone=Zone.objects.get(key="lahore-technopolis"),
        proposal=ZoneFactProposal(
            field="plots_available",
            value=12,
            source="Matrix brochure",
            source_date="2026-01-01",
            note=f"{WORD} zone fact note",
        ),
    )


def _delegation(world: Any) -> None:
    """A delegation visit: A (from China) a member, B (in Lahore, the zone's developer) a host, a day in
    Lahore, and a site visit to Lahore Technopolis for A's shared request."""
    from silkbridge.events import services as events
    from silkbridge.events import visit_services
    from silkbridge.events.tests.delegation import at
    from silkbridge.events.tests.factories import EventFactory, in_days

    staff = world.users[STAFF]
    day = in_days(16)
    event = EventFactory(created_by=staff, title="Matrix delegation", kind="delegation", slot_days=[day])
    slots = list(event.slots.values_list("pk", flat=True))
    for side, principal in (("a", MEMBER_A), ("b", MEMBER_B)):
        events.participant_register(
            actor=world.users[principal],
            event=event,
            organisation=world.organisations[side],
            time_zone="Asia/Karachi",
            slot_ids=slots,
        )
    world.stop = visit_services.stop_add(
        actor=staff, event=event, city="Lahore", arrives_at=at(day, 8), leaves_at=at(day, 18)
    )
    visit_services.site_visit_add(
        actor=staff,
        event=event,
        zone_key="lahore-technopolis",
        starts_at=at(day, 14),
        minutes=60,
        relocation_request_id=world.relocations["shared"].pk,
        contact=f"{WORD} site visit contact",
    )
    # a meeting of A (member) with B (host) before the site visit, for the host to confirm or decline
    from silkbridge.events.tests.delegation import accepted

    participants = {p.organisation_id: p for p in event.participants.all()}
    slot = event.slots.filter(starts_at__gte=at(day, 9), starts_at__lt=at(day, 12)).order_by("starts_at").first()
    world.host_meeting = events.meeting_book(
        meeting_request=accepted(participants[world.organisations["a"].pk], participants[world.organisations["b"].pk]),
        slot=slot,
    )
    world.events["delegation"] = event


def _build() -> Any:
    from silkbridge.directory.models import Concept
    from silkbridge.zones.models import Zone

    world = SimpleNamespace()
    world.users = {
        MEMBER_A: UserFactory(),
        MEMBER_B: UserFactory(),
        MEMBER_AB: UserFactory(),
        REVIEWER: UserFactory(role="reviewer"),
        STAFF: StaffFactory(),
    }
    world.organisations = {
        "a": OrganisationFactory(name_en="Alpha Matrix Ltd", country="CN"),
        "b": OrganisationFactory(name_en="Beta Matrix Ltd", country="PK"),
        "members": OrganisationFactory(name_en=f"{WORD} Members Organisation", visibility="members"),
        "private": OrganisationFactory(name_en=f"{WORD} Private Organisation", visibility="private"),
    }
    MembershipFactory(user=world.users[MEMBER_A], organisation=world.organisations["a"])
    MembershipFactory(user=world.users[MEMBER_B], organisation=world.organisations["b"])
    world.membership_ab_in_a = MembershipFactory(
        user=world.users[MEMBER_AB], organisation=world.organisations["a"], role="member"
    ).pk
    MembershipFactory(user=world.users[MEMBER_AB], organisation=world.organisations["b"], role="member")
    world.private_owner = MembershipFactory(organisation=world.organisations["private"]).user
    Contact.objects.create(
        organisation=world.organisations["a"], name="Hidden", email="zephyrine.hidden@alpha.example", is_public=False
    )
    world.claim = directory_services.organisation_claim(
        actor=world.users[MEMBER_B], organisation=world.organisations["a"], message=f"{WORD} claim message"
    )
    world.profiles = _profiles(world)
    world.interest = _interest_then_private(world)
    world.matches = _matches(world)
    _events(world)
    world.assessment = _assessment(world)
    world.mou = _mou(world)
    _deals_review(world)
    world.run = _run_of_member_a(world)
    world.import_run = _import_report()
    world.proposals, world.proposal_documents = _proposals(world)
    world.deal = _deal_of_a(world)
    world.deal_document = _deal_document(world)
    world.relocations = _relocations(world)
    _conversations(world)
    world.notification = Notification.objects.create(
        recipient=world.users[MEMBER_A], kind="answer", texts={"en": {"title": f"{WORD} notification of A", "body": ""}}
    )

    world.fact_change = _zone_fact_change(world)

    _delegation(world)
    world.tokens, world.token_ids = {}, {}
    for principal, user in world.users.items():
        token, secret = api_token_create(user=user, name="matrix")
        world.tokens[principal], world.token_ids[principal] = secret, token.pk
    world.zone_key = Zone.objects.order_by("key").values_list("key", flat=True).first()
    world.concept_code = Concept.objects.order_by("code").values_list("code", flat=True).first()
    return world


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """Built once, inside a transaction that is rolled back after the module's last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = _build()
        world.clients = _clients(world)
        yield world
        transaction.set_rollback(True)


def _clients(world: Any) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for principal, user in world.users.items():
        session = Client()
        session.force_login(user)
        clients[f"{principal}/session"] = session
        clients[f"{principal}/token"] = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[principal]}")
    return clients


# --- completeness: a route without a row fails --------------------------------------------------------


def _url_patterns() -> Iterator[tuple[str, URLPattern]]:
    def walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, URLPattern]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
                yield from walk(pattern.url_patterns, inner)
            else:
                yield f"{namespace}:{pattern.name}" if namespace else str(pattern.name), pattern

    yield from walk(get_resolver().url_patterns, "")


def _api_operations() -> set[str]:
    from silkbridge.site.api import api

    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, operations in schema["paths"].items() for method in operations}


def _is_api_operation(pattern: URLPattern) -> bool:
    return getattr(pattern.callback, "__module__", "").startswith("ninja.operation")


def test_every_route_has_a_row_and_every_row_a_route() -> None:
    pages = {name for name, pattern in _url_patterns() if not name.startswith("admin:")}
    pages -= {name for name, pattern in _url_patterns() if _is_api_operation(pattern)}
    assert sorted(pages - PAGES.keys()) == [], "pages without a row in PAGES: state who may use them"
    assert sorted(PAGES.keys() - pages) == [], "rows in PAGES whose route is gone"
    operations = _api_operations()
    assert sorted(operations - API.keys()) == [], "API operations without a row in API: state who may use them"
    assert sorted(API.keys() - operations) == [], "rows in API whose operation is gone"


# --- the cells ----------------------------------------------------------------------------------------

CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ics": "text/calendar",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}


def _channels(principal: str, api: bool) -> tuple[str, ...]:
    if principal == ANONYMOUS:
        return ("anonymous",)
    return (f"{principal}/token", f"{principal}/session") if api else (f"{principal}/session",)


def _cells(table: dict[str, Row], api: bool) -> list[tuple[str, str | None, str, str, Expect]]:
    """(route, object, principal, channel, expected) for every cell the matrix checks. A write's
    success is not a cell (each app's tests make them); its refusals are."""
    cells = []
    for route, row in table.items():
        method = route.split(" ", 1)[0] if api else row.method
        for obj in row.objects:
            for principal in PRINCIPALS:
                expected = row.rule(principal, obj)
                if method != "GET" and expected == "ok":
                    continue
                for channel in _channels(principal, api):
                    cells.append((route, obj, principal, channel, expected))
    return cells


PAGE_CELLS = _cells(PAGES, api=False)
API_CELLS = _cells(API, api=True)


def _text(response: Any) -> str:
    if response.get("Content-Type", "").startswith(CONTENT_TYPES["xlsx"]):
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "\n".join(archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml"))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def _shown(route: str, obj: str | None) -> str | None:
    """The secret an allowed principal must find (so that a 200 is the right page, not an empty one)."""
    if obj in PROFILE_SEEN_BY and route.endswith(("opportunity_detail", "/opportunities/{pk}")):
        return _title(obj)
    if route.endswith(("organisation_detail", "/organisations/{key}")) and obj in ("members", "private"):
        return f"{WORD} {obj.title()} Organisation"
    if route.endswith(("assessment_detail", "assessment_json", "/assessments/{reference}")):
        return f"{WORD} data centre"
    if route.endswith(("mou_detail", "/deals/mous/{reference}")):
        return f"{WORD} memorandum"
    if route.endswith(("proposal_detail", "/deals/proposals/{reference}")):
        return f"{WORD} {obj} proposal"
    if route.endswith(("review_detail", "review_proposal", "/deals/reviews/{pk}", "/{reference}/scores")):
        return f"{WORD} committee comment"
    if route.endswith(("claim_detail", "/claims/{pk}")):
        return f"{WORD} claim message"
    if route.endswith(("deal_detail", "/deals/{reference}", "deal_board_export")):
        return f"{WORD} deal of A"
    return None


def _check(world: Any, route: str, row: Row, obj: str | None, principal: str, channel: str, expected: Expect) -> str:
    """Request one cell; the problems found, as one line each (empty when the cell holds)."""
    kwargs = row.kwargs(world, obj)
    if route.startswith(("GET ", "POST ", "PUT ", "PATCH ", "DELETE ")):
        method, path = route.split(" ", 1)
        url, is_api = path.format(**kwargs), True
    else:
        method, url, is_api = row.method, reverse(route, kwargs=kwargs), route.startswith("api:")
    query = dict(row.query)
    if obj in ("csv", "xlsx") and route.startswith(("matching:", "deals:")):
        query["format"] = obj
    body = row.body(world) if callable(row.body) else row.body
    client = world.clients[channel]
    if method == "GET":
        response = client.get(url, query)
    elif is_api:
        response = client.generic(method, url, json.dumps(body or {}), content_type="application/json")
    else:
        response = client.post(url, body or {})
    problems = []
    where = f"{method} {url} as {channel}"
    if expected == "ok":
        if response.status_code != 200:
            problems.append(f"{where}: {response.status_code}, expected 200")
        content_type = CONTENT_TYPES.get(obj or "") or CONTENT_TYPES.get(row.channel)
        if content_type and not response.get("Content-Type", "").startswith(content_type):
            problems.append(f"{where}: {response.get('Content-Type')}, expected {content_type}")
    elif expected == "login":
        if route.startswith(("GET ", "POST ", "PUT ", "PATCH ", "DELETE ")):
            if response.status_code != 401:
                problems.append(f"{where}: {response.status_code}, expected 401")
        elif response.status_code != 302 or not response["Location"].startswith(reverse("accounts:login")):
            problems.append(f"{where}: {response.status_code} {response.get('Location', '')}, expected sign-in")
    elif response.status_code != expected:
        problems.append(f"{where}: {response.status_code}, expected {expected}")
    if row.channel != "pdf":  # PDF text is compressed; the PDF's page is checked as HTML
        text = _text(response)
        for secret, seen_by in SECRETS.items():
            if principal not in seen_by and secret in text:
                problems.append(f"{where}: shows {secret!r}")
        must_show = _shown(route, obj)
        if expected == "ok" and must_show and must_show not in text:
            problems.append(f"{where}: does not show {must_show!r}")
    return "\n".join(problems)


def _state() -> dict[str, int]:
    """Row counts of every table: a refused write must leave them all as they were."""
    return {model._meta.label: model.objects.count() for model in apps.get_models() if model._meta.managed}


def _run(world: Any, table: dict[str, Row], cells: list[Any], route: str) -> None:
    row = table[route]
    problems = []
    for cell_route, obj, principal, channel, expected in cells:
        if cell_route != route:
            continue
        before = _state() if (route.split(" ", 1)[0] if table is API else row.method) != "GET" else None
        with transaction.atomic():
            problem = _check(world, route, row, obj, principal, channel, expected)
            # 202 (accepted) queues a background run by design: its Run row is what the cell asks for.
            if before is not None and expected != 202 and _state() != before:
                problem += f"\n{row.method} {route} ({obj}) as {channel}: refused, but stored something"
            transaction.set_rollback(True)
        if problem:
            problems.append(problem)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("route", list(PAGES))
def test_page(world: Any, route: str) -> None:
    _run(world, PAGES, PAGE_CELLS, route)


@pytest.mark.django_db
@pytest.mark.parametrize("route", list(API))
def test_api(world: Any, route: str) -> None:
    _run(world, API, API_CELLS, route)


# --- the admin: one rule for all of its pages --------------------------------------------------------

ADMIN_URLS = sorted(
    reverse(name)
    for name, pattern in _url_patterns()
    if name.startswith("admin:")
    and name not in {"admin:login", "admin:logout"}  # the admin's own sign-in and sign-out: for anyone
    and not pattern.pattern.converters
    and "(?P<" not in str(pattern.pattern)
)
# Records made only by the platform (tokens, import and scheduler runs) have no "add" page, even for staff.
ADMIN_CLOSED_TO_ALL = ("/add/", "/autocomplete/")


@pytest.mark.django_db
def test_admin(world: Any) -> None:
    problems = []
    for url in ADMIN_URLS:
        for principal in PRINCIPALS:
            channel = "anonymous" if principal == ANONYMOUS else f"{principal}/session"
            expected = ADMIN_RULE(principal, None)
            response = world.clients[channel].get(url)
            if expected == "ok" and url.endswith(ADMIN_CLOSED_TO_ALL) and response.status_code in (200, 403):
                continue
            if expected == "ok" and response.status_code != 200:
                problems.append(f"GET {url} as {principal}: {response.status_code}, expected 200")
            elif expected != "ok" and (
                response.status_code != 302 or not response["Location"].startswith(reverse("admin:login"))
            ):
                problems.append(f"GET {url} as {principal}: {response.status_code}, expected the admin sign-in")
    assert not problems, "\n".join(problems)


# --- e-mail: what a message tells its recipient ---------------------------------------------------------


def _principal_of(world: Any, address: str) -> str:
    return next(principal for principal, user in world.users.items() if user.email == address)


def _mail_problems(world: Any) -> list[str]:
    problems = []
    for message in mail.outbox:
        (address,) = message.to
        if all(user.email != address for user in world.users.values()):
            continue
        principal = _principal_of(world, address)
        for secret, seen_by in SECRETS.items():
            if principal not in seen_by and secret in f"{message.subject}\n{message.body}":
                problems.append(f"e-mail {message.subject!r} to {principal}: shows {secret!r}")
    return problems


@pytest.mark.django_db
def test_email_digest_of_matches(world: Any) -> None:
    """The weekly digest names only profiles its reader may see (stored matches of private, expired and
    private-organisation profiles are still in the table)."""
    from silkbridge.matching import digest
    from silkbridge.notifications.services import weekly_digest_set

    mail.outbox.clear()
    for user in world.users.values():  # the digest is an opt-in
        weekly_digest_set(user=user, weekly=True)
    digest.digest_send()
    readers = {
        _principal_of(world, message.to[0]) for message in mail.outbox if "Matrix public profile" in message.body
    }
    assert readers == {MEMBER_B, MEMBER_AB}
    assert _mail_problems(world) == []


@pytest.mark.django_db
def test_email_answer_to_an_interest_in_a_profile_gone_private(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        marketplace.interest_answer(actor=world.users[MEMBER_A], interest=world.interest, accept=True)
    assert {_principal_of(world, message.to[0]) for message in mail.outbox} == {MEMBER_B, MEMBER_AB}
    assert _mail_problems(world) == []


@pytest.mark.django_db
def test_email_event_notifications(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    """Reminders and status e-mails of an event name no one's secrets to the other side."""
    from silkbridge.events import services as events

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        events.participant_set_status(actor=world.users[STAFF], participant=world.participants["b"], status="rejected")
    assert mail.outbox, "the rejected participant is told"
    assert _mail_problems(world) == []


@pytest.mark.django_db
def test_email_conversation_message(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    """A message in A's and B's meeting is e-mailed to the other side's members only, naming nothing else."""
    from silkbridge.conversations import selectors as conversations
    from silkbridge.conversations.services import message_post

    mail.outbox.clear()
    conversation = conversations.conversation_for_meeting(viewer=world.users[MEMBER_A], meeting_id=world.meeting.pk)
    with django_capture_on_commit_callbacks(execute=True):
        message_post(actor=world.users[MEMBER_A], conversation=conversation, body="See you at the table")
    assert {_principal_of(world, message.to[0]) for message in mail.outbox} == {MEMBER_B, MEMBER_AB}
    assert _mail_problems(world) == []


def test_the_matrix_size() -> None:
    """The figure docs/security.md quotes: cells = route x object x principal x channel (+ admin, e-mail)."""
    cells = len(PAGE_CELLS) + len(API_CELLS) + len(ADMIN_URLS) * len(PRINCIPALS)
    print(
        f"authorisation matrix: {len(PAGE_CELLS)} page cells, {len(API_CELLS)} API cells, "
        f"{len(ADMIN_URLS) * len(PRINCIPALS)} admin cells, {cells} in all"
    )
    assert cells > 1000
