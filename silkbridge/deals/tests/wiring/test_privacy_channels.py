"""Privacy of the deals app on every channel at once (issue 11, item 8): drafts, proposals under review,
reviews, conflict declarations and unsigned MoUs reach only their owners, the assigned reviewers after
a clear declaration, and staff of the calling body — in pages, API, exports, search, e-mail and the
dashboard figures alike.

The world: organisation A submits to B's call (deadline passed) and keeps a draft; a platform reviewer
declares no conflict and submits a review, another declares a conflict; C and E have a deal with an
unsigned MoU (commented); D, a third organisation, has a draft and an MoU of its own. MEMBER_TWO belongs
to A and C: they see what each of the two may see, and nothing of D's. Each secret has the set of
principals who may read it; every response of every channel is searched for the others' secrets.

What each part's own tests already prove channel by channel (proposals/test_privacy.py,
reviews/test_conflict.py, reviews/test_blind.py, mou/test_privacy.py, pipeline/test_privacy.py) is
not repeated here; this is the cross-check over all of them together."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.deals.models import Deal, DealParty
from silkbridge.deals.services import mou as mou_services
from silkbridge.deals.services import reviews as review_services
from silkbridge.deals.tests.proposals.factories import draft
from silkbridge.deals.tests.reviews.factories import make_call, make_proposal
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.matching import digest

pytestmark = pytest.mark.django_db

MEMBER_A, MEMBER_B, MEMBER_C, MEMBER_TWO, MEMBER_D = "member_a", "member_b", "member_c", "member_two", "member_d"
CLEARED, CONFLICTED, STAFF = "reviewer_cleared", "reviewer_conflicted", "staff"
OF_A = frozenset({MEMBER_A, MEMBER_TWO})
OF_C = frozenset({MEMBER_C, MEMBER_TWO})
COMMITTEE = frozenset({MEMBER_B, STAFF})  # staff of the calling body: B's members and platform staff

SECRETS: dict[str, frozenset[str]] = {
    "Alder draft of A": OF_A,
    "Alder draft summary of A": OF_A,
    "Alder proposal under review": OF_A | COMMITTEE | {CLEARED},
    "Alder summary under review": OF_A | COMMITTEE | {CLEARED},
    "Alder review comment": COMMITTEE | {CLEARED},  # no decision has taken effect: not even A reads it
    "Alder conflict note": COMMITTEE,
    "Alder memorandum of C": OF_C | {STAFF},
    "Alder clause comment of C": OF_C | {STAFF},
    "Alder draft of D": frozenset({MEMBER_D}),
    "Alder memorandum of D": frozenset({MEMBER_D, STAFF}),
}
SEARCH = "Alder"  # searches ask for it; the word echoed back is no secret


def _member(*organisations: Any, **fields: Any) -> Any:
    user = UserFactory(**fields)
    for organisation in organisations:
        MembershipFactory(user=user, organisation=organisation, role="member")
    return user


def _mou(*, staff: Any, organisations: list[Any], title: str) -> Any:
    deal = Deal.objects.create(title="Privacy deal", subject="data_center")
    for organisation, role in zip(organisations, ("authority", "partner"), strict=True):
        DealParty.objects.create(deal=deal, organisation=organisation, role=role)
    return mou_services.mou_draft(
        actor=staff,
        deal=deal,
        second_language="zh",
        counterpart="foreign_private",
        title=title,
        clause_keys=["parties", "termination"],
    )


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    a, b, c, d, e = (OrganisationFactory(name_en=f"Privacy {name} Ltd") for name in "ABCDE")
    users = {
        MEMBER_A: _member(a),
        MEMBER_B: _member(b),
        MEMBER_C: _member(c),
        MEMBER_TWO: _member(a, c),
        MEMBER_D: _member(d),
        CLEARED: UserFactory(role="reviewer"),
        CONFLICTED: UserFactory(role="reviewer"),
        STAFF: StaffFactory(),
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call = make_call(issuer=b)
        a_draft = draft(
            make_call(issuer=b, deadline_in=timedelta(days=5)),
            user=users[MEMBER_A],
            organisation=a,
            title="Alder draft of A",
            summary="Alder draft summary of A",
        )
        reviewed = make_proposal(
            call=call, organisation=a, title="Alder proposal under review", summary="Alder summary under review"
        )
        chair = users[MEMBER_B]
        cleared = review_services.reviewer_appoint(actor=chair, proposal=reviewed, reviewer=users[CLEARED])
        review_services.conflict_declare(actor=users[CLEARED], assignment=cleared, has_conflict=False)
        scores = {criterion.pk: (4, "Alder review comment") for criterion in call.criteria.all()}
        review_services.review_save(actor=users[CLEARED], assignment=cleared, scores=scores)
        review_services.review_submit(actor=users[CLEARED], assignment=cleared)
        conflicted = review_services.reviewer_appoint(actor=chair, proposal=reviewed, reviewer=users[CONFLICTED])
        review_services.conflict_declare(
            actor=users[CONFLICTED], assignment=conflicted, has_conflict=True, note="Alder conflict note"
        )
        d_draft = draft(
            make_call(issuer=b, deadline_in=timedelta(days=5)),
            user=users[MEMBER_D],
            organisation=d,
            title="Alder draft of D",
        )
        mou_c = _mou(staff=users[STAFF], organisations=[c, e], title="Alder memorandum of C")
        mou_services.clause_comment(
            actor=users[MEMBER_C], mou=mou_c, clause_key="parties", text="Alder clause comment of C"
        )
        mou_d = _mou(staff=users[STAFF], organisations=[d, e], title="Alder memorandum of D")
        call_command("deals", "remind", stdout=io.StringIO())
        digest.digest_send()
    return {
        "users": users,
        "call": call,
        "proposals": {"a_draft": a_draft, "reviewed": reviewed, "d_draft": d_draft},
        "assignments": {"cleared": cleared, "conflicted": conflicted},
        "mous": {"c": mou_c, "d": mou_d},
        "mails": list(mail.outbox),
    }


def _text(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "\n".join(archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml"))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def _urls(world: dict[str, Any]) -> list[str]:
    proposals, assignments, mous = world["proposals"], world["assignments"], world["mous"]
    slug = world["call"].slug
    urls = [
        "/deals/proposals/",
        "/api/v1/deals/proposals",
        "/deals/reviews/",
        "/api/v1/deals/reviews",
        f"/deals/reviews/calls/{slug}/",
        f"/api/v1/deals/reviews/calls/{slug}/ranking",
        f"/deals/calls/{slug}/",
        f"/api/v1/deals/calls/{slug}",
        "/deals/mous/",
        "/api/v1/deals/mous",
        f"/deals/?q={SEARCH}",
        f"/api/v1/deals?q={SEARCH}",
        f"/deals/board/?q={SEARCH}",
        "/deals/board/export/?format=csv",
        "/deals/board/export/?format=xlsx",
        f"/deals/calls/?q={SEARCH}",
        f"/api/v1/deals/calls?q={SEARCH}",
        f"/directory/?q={SEARCH}",
        f"/api/v1/organisations?q={SEARCH}",
        f"/marketplace/?q={SEARCH}",
        "/",
        "/matches/",
    ]
    for proposal in proposals.values():
        reference = proposal.reference
        urls += [
            f"/deals/proposals/{reference}/",
            f"/api/v1/deals/proposals/{reference}",
            f"/api/v1/deals/proposals/{reference}/versions",
            f"/deals/reviews/proposals/{reference}/",
            f"/api/v1/deals/reviews/proposals/{reference}/scores",
            f"/api/v1/deals/reviews/proposals/{reference}/feedback",
        ]
    for assignment in assignments.values():
        urls += [f"/deals/reviews/{assignment.pk}/", f"/api/v1/deals/reviews/{assignment.pk}"]
    for mou in mous.values():
        reference = mou.reference
        urls += [
            f"/deals/mous/{reference}/",
            f"/deals/mous/{reference}/route/",
            f"/api/v1/deals/mous/{reference}",
            f"/api/v1/deals/mous/{reference}/versions/1",
            f"/api/v1/deals/mous/{reference}/comments",
            f"/api/v1/deals/mous/{reference}/route",
        ]
    return urls


def _leaks(principal: str, where: str, text: str) -> list[str]:
    return [
        f"{where} as {principal}: shows {secret!r}"
        for secret, seen_by in SECRETS.items()
        if principal not in seen_by and secret in text
    ]


def test_every_channel_shows_each_secret_to_its_readers_only(world):
    problems: list[str] = []
    seen: dict[str, set[str]] = {}
    for principal, user in world["users"].items():
        client = Client()
        client.force_login(user)
        seen[principal] = set()
        for url in _urls(world):
            text = _text(client.get(url))
            problems += _leaks(principal, f"GET {url}", text)
            seen[principal] |= {secret for secret in SECRETS if secret in text}
    assert problems == [], "\n".join(problems)
    # Every reader does find what they may read (so the searches above looked at the right pages).
    assert {principal: sorted(found) for principal, found in seen.items()} == {
        principal: sorted(secret for secret, seen_by in SECRETS.items() if principal in seen_by)
        for principal in world["users"]
    }


def test_the_export_command_and_the_email_carry_no_one_elses_secret(world):
    problems: list[str] = []
    for fmt in ("csv", "json"):
        stdout = io.StringIO()
        call_command("deals", "export", "--format", fmt, stdout=stdout)
        problems += _leaks(STAFF, f"deals export {fmt}", stdout.getvalue())
    by_address = {user.email: principal for principal, user in world["users"].items()}
    assert world["mails"], "the appointments were mailed"
    for message in world["mails"]:
        principal = by_address.get(message.to[0])
        if principal is None:
            continue
        text = f"{message.subject}\n{message.body}"
        if principal == CONFLICTED and message.subject.startswith("You are appointed to review"):
            # Sent on appointment, before declaring: the title and submitter are what one declares on.
            text = text.replace("Alder proposal under review", "")
        problems += _leaks(principal, f"e-mail {message.subject!r}", text)
    assert problems == [], "\n".join(problems)


def test_a_member_of_two_organisations_reads_both_and_nothing_of_a_third(world):
    client = Client()
    client.force_login(world["users"][MEMBER_TWO])
    listing = client.get("/api/v1/deals/proposals").json()["items"]
    assert sorted(item["reference"] for item in listing) == sorted(
        [world["proposals"]["a_draft"].reference, world["proposals"]["reviewed"].reference]
    )
    assert client.get(f"/deals/mous/{world['mous']['c'].reference}/").status_code == 200
    assert client.get(f"/deals/mous/{world['mous']['d'].reference}/").status_code == 404
    assert client.get(f"/api/v1/deals/proposals/{world['proposals']['d_draft'].reference}").status_code == 404
    mous = [item["reference"] for item in client.get("/api/v1/deals/mous").json()["items"]]
    assert mous == [world["mous"]["c"].reference]
    # A's membership gives the committee's side of A's own proposal nothing: no scores, no conflict note.
    reference = world["proposals"]["reviewed"].reference
    assert client.get(f"/api/v1/deals/reviews/proposals/{reference}/scores").status_code == 404
    assert client.get(f"/deals/reviews/proposals/{reference}/").status_code == 404


def test_a_reviewer_with_a_declared_conflict_reads_nothing_of_the_proposal(world):
    client = Client()
    client.force_login(world["users"][CONFLICTED])
    pk, reference = world["assignments"]["conflicted"].pk, world["proposals"]["reviewed"].reference
    assert client.get(f"/deals/reviews/{pk}/").status_code == 404
    assert client.get(f"/api/v1/deals/reviews/{pk}").status_code == 404
    assert client.get(f"/deals/proposals/{reference}/").status_code == 404
    assert client.get(f"/api/v1/deals/proposals/{reference}").status_code == 404
    (entry,) = client.get("/api/v1/deals/reviews").json()
    assert (entry["conflict"], entry["proposal"]) == ("declared", None)
