"""The FICTIONAL demo of the deals app (`silkbridge load_demo`): the Capital Development Authority's call
"Tier-IV data center and big data platform for Islamabad", three Chinese demo companies' proposals, two
reviewers, the chair's decisions, and the two deals that follow: one MoU in vetting, one signed and sealed.

The story is replayed through the services, so every history row, e-mail, design assessment and seal is
the real thing. It happened over six weeks: the services read the time from `timezone.now()`, so the
replay runs on a demo clock that starts 45 days ago and moves forward a phase at a time (the call is
published, proposals come in before the deadline, the opening, reviews, the decision, the MoUs), and ends
today, when the signed MoU is sealed. Background runs (the design assessments, the seal) run in this
process, at once, whatever the task backend (a worker may not be running yet, as under `make run`), also
inside an outer transaction.
The demo's e-mails to its fictional people (.example addresses) are not sent.

Running it again changes nothing: it stops when the demo call exists.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.test.utils import override_settings
from django.utils import timezone

from silkbridge.accounts.choices import PlatformRole
from silkbridge.accounts.models import User
from silkbridge.accounts.services import user_create
from silkbridge.deals import seal
from silkbridge.deals.choices import CounterpartKind
from silkbridge.deals.models import Call, Deal, Mou, Proposal, ReviewAssignment
from silkbridge.deals.services import calls, mou, proposals, reviews, routing
from silkbridge.directory.models import Membership, Organisation

DATA = Path(__file__).resolve().parent / "data" / "demo_deals.yaml"
CDA_KEY = "ref-cda"
# The CDA works under the Ministry of Interior: the parent ministry on its approval routes.
CDA_MINISTRY = ("Ministry of Interior", "内政部", "وزارتِ داخلہ")
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Days before today at which each phase of the story happens (the clock only moves forward).
PUBLISHED, DEADLINE, OPENED, REVIEWED, DECIDED, REPORTED, IN_EFFECT, DRAFTED, ROUTED, CLEARED = (
    45,
    21,
    20,
    17,
    15,
    14,
    7,
    6,
    4,
    2,
)
SUBMITTED = (30, 27, 24)


class DemoClock:
    """`timezone.now()` for the replay: `days_ago` before the real time, moved forward with `at`."""

    def __init__(self) -> None:
        self.real_now = timezone.now
        self.offset = timedelta(days=PUBLISHED)

    def __call__(self) -> datetime:
        return self.real_now() - self.offset

    def at(self, days_ago: int) -> None:
        if timedelta(days=days_ago) > self.offset:
            raise ValueError("the demo clock only moves forward")
        self.offset = timedelta(days=days_ago)


@contextlib.contextmanager
def _replay() -> Iterator[DemoClock]:
    clock = DemoClock()
    with (
        mock.patch.object(timezone, "now", clock),
        override_settings(TASKS=IMMEDIATE_TASKS, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
    ):
        yield clock


def _runs_now() -> Any:
    """Run the background runs the block queues before going on. They are queued once the transaction
    commits; in a command (autocommit) that is at once, and inside an outer transaction (a test) Django's
    capture runs them when the block ends, so the story's next step sees their result either way."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def demo_deals_ensure(*, password: str) -> dict[str, Any]:
    """Replay the deals demo once (see the module's docstring); what exists afterwards. The demo's people
    sign in with `password`, the demo staff account's."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    cda = Organisation.objects.get(key=CDA_KEY)
    existing = Call.objects.filter(issuer=cda, title_en=data["call"]["title_en"]).first()
    if existing is not None:
        return {"created": False, "call": existing, "people": _emails(data)}
    try:
        seal.seal_key()  # checked first: without a key the story would stop before its signed MoU
    except seal.SealUnavailable as error:
        return {"created": False, "call": None, "people": [], "skipped": str(error)}
    with _replay() as clock:
        people = _people(data, cda=cda, password=password)
        call = _call(data, cda=cda, chair=people["chair"], clock=clock)
        submitted = _proposals(data, call=call, people=people, clock=clock)
        _review(data, call=call, submitted=submitted, people=people, clock=clock)
        signed, vetting = _mous(data, call=call, submitted=submitted, chair=people["chair"], clock=clock)
        clock.at(0)
        with _runs_now():  # the seal
            run = routing.mou_sign_start(actor=people["chair"], mou=signed)
    signed.refresh_from_db()
    if signed.status != "signed":
        run.refresh_from_db()
        raise RuntimeError(f"The demo MoU could not be sealed: {run.error}")
    return {"created": True, "call": call, "people": _emails(data), "signed": signed, "vetting": vetting}


def _emails(data: dict[str, Any]) -> list[str]:
    people = data["people"]
    return [
        people["chair"]["email"],
        *(person["email"] for person in people["reviewers"]),
        *(person["email"] for person in people["companies"].values()),
    ]


def _user(person: dict[str, str], *, password: str, role: str = PlatformRole.MEMBER) -> User:
    found = User.objects.filter(email=person["email"]).first()
    if found is not None:
        return found
    return user_create(
        email=person["email"],
        password=password,
        full_name=person["full_name"],
        role=role,
        language=person["language"],
        time_zone=person["time_zone"],
        is_email_verified=True,
    )


def _people(data: dict[str, Any], *, cda: Organisation, password: str) -> dict[str, Any]:
    """The chair (a member of the CDA), two platform reviewers and one member of each company."""
    people = data["people"]
    chair = _user(people["chair"], password=password)
    Membership.objects.get_or_create(user=chair, organisation=cda, defaults={"role": "member"})
    companies = {}
    for key, person in people["companies"].items():
        member = _user(person, password=password)
        Membership.objects.get_or_create(
            user=member, organisation=Organisation.objects.get(key=key), defaults={"role": "owner"}
        )
        companies[key] = member
    reviewers = [_user(person, password=password, role=PlatformRole.REVIEWER) for person in people["reviewers"]]
    return {"chair": chair, "reviewers": reviewers, "companies": companies}


def _call(data: dict[str, Any], *, cda: Organisation, chair: User, clock: DemoClock) -> Call:
    """The call, published 45 days ago; its deadline 21 days ago at 17:00 in Islamabad."""
    deadline_day = (clock() + timedelta(days=PUBLISHED - DEADLINE)).astimezone(ZoneInfo("Asia/Karachi")).date()
    fields = {**data["call"], "deadline": datetime.combine(deadline_day, time(17, 0))}
    call = calls.call_create(actor=chair, issuer=cda, fields=fields, criteria=data["criteria"])
    return calls.call_publish(actor=chair, call=call)


def _proposals(data: dict[str, Any], *, call: Call, people: dict[str, Any], clock: DemoClock) -> list[Proposal]:
    """Each company drafts, adds its document and submits; its design is assessed at once."""
    submitted = []
    for record, days_ago in zip(data["proposals"], SUBMITTED, strict=True):
        clock.at(days_ago)
        member = people["companies"][record["organisation"]]
        organisation = Organisation.objects.get(key=record["organisation"])
        start = timezone.localdate()
        fields = {
            "title": record["title"],
            "summary": record["summary"].strip(),
            "language": record["language"],
            "budget_amount": Decimal(record["budget_amount"]),
            "budget_currency": record["budget_currency"],
            "timeline": [
                {"milestone": row["milestone"], "due_on": (start + timedelta(days=row["due_offset_days"])).isoformat()}
                for row in record["timeline"]
            ],
            "team": record["team"],
            "design_name": record["design_name"],
            "design_text": (settings.BASE_DIR / record["design"]).read_text(encoding="utf-8"),
        }
        proposal = proposals.proposal_create(actor=member, organisation=organisation, call=call, fields=fields)
        proposals.proposal_document_add(
            actor=member,
            proposal=proposal,
            upload=SimpleUploadedFile(
                f"{record['key']}-company-profile.pdf", _profile_pdf(organisation.name_en), "application/pdf"
            ),
        )
        with _runs_now():  # the design's assessment
            submitted.append(proposals.proposal_submit(actor=member, proposal=proposal))
    return submitted


def _review(
    data: dict[str, Any], *, call: Call, submitted: list[Proposal], people: dict[str, Any], clock: DemoClock
) -> None:
    """After the deadline: the opening, two reviewers per proposal (no conflict, scores with comments), the
    chair's decisions, the evaluation report and, once its grievance window closed, the call's decision."""
    chair = people["chair"]
    clock.at(OPENED)
    calls.call_open(actor=chair, call=call, attendees=["Ayesha Siddiqui (CDA, demo)", "Imran Khan (demo)"])
    for proposal in submitted:
        for reviewer in people["reviewers"]:
            reviews.reviewer_appoint(actor=chair, proposal=proposal, reviewer=reviewer)
    clock.at(REVIEWED)
    criteria = list(call.criteria.order_by("position"))
    for record, proposal in zip(data["proposals"], submitted, strict=True):
        for reviewer, scores in zip(people["reviewers"], record["scores"], strict=True):
            assignment = ReviewAssignment.objects.get(proposal=proposal, reviewer=reviewer)
            reviews.conflict_declare(actor=reviewer, assignment=assignment, has_conflict=False)
            marks = {
                criterion.pk: (score, comment) for criterion, (score, comment) in zip(criteria, scores, strict=True)
            }
            reviews.review_save(actor=reviewer, assignment=assignment, scores=marks)
            reviews.review_submit(actor=reviewer, assignment=assignment)
    clock.at(DECIDED)
    for record, proposal in zip(data["proposals"], submitted, strict=True):
        reviews.decision_record(actor=chair, proposal=proposal, decision=record["decision"], reasons=record["reasons"])
    clock.at(REPORTED)
    calls.report_publish(actor=chair, call=call, grievance_days=5)
    clock.at(IN_EFFECT)
    calls.call_decide(actor=chair, call=call)


def _mous(
    data: dict[str, Any], *, call: Call, submitted: list[Proposal], chair: User, clock: DemoClock
) -> tuple[Mou, Mou]:
    """The approved proposals' deals get their MoUs (English + Chinese): the Tier IV one goes through the
    whole route and is signed; the other waits at its second office (the parent ministry)."""
    routing.routes_seed_for(call.issuer, ministry=CDA_MINISTRY)
    tier4, _claims_iv, cny = submitted
    clock.at(DRAFTED)
    drafted = []
    for proposal in (tier4, cny):
        deal = Deal.objects.get(proposal=proposal)
        drafted.append(
            mou.mou_draft(
                actor=chair,
                deal=deal,
                second_language="zh",
                counterpart=CounterpartKind.FOREIGN_PRIVATE,
                title=f"Memorandum of Understanding: {proposal.title} (fictional demo)",
            )
        )
    signed, vetting = drafted
    clock.at(ROUTED)
    for draft in drafted:
        routing.mou_send(actor=chair, mou=draft)
        routing.route_step_approve(actor=chair, mou=draft, note="Cleared by the legal section (demo).")
    while signed.route_steps.filter(status="current").exists():
        routing.route_step_approve(actor=chair, mou=signed, note="Approved (demo).")
    clock.at(CLEARED)
    for person in data["signatories"]:
        routing.signatory_add(actor=chair, mou=signed, signed_on=timezone.localdate(), **person)
    return signed, vetting


def _profile_pdf(name: str) -> bytes:
    """A one-page PDF saying that the company profile is fictional demo material."""
    return demo_pdf(f"{name}: company profile (fictional demo document)")


def demo_pdf(line: str) -> bytes:
    """A one-page PDF of one line of text (written by hand: a few hundred bytes, no renderer needed)."""
    text = line.encode("latin-1", "replace")
    text = text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 14 Tf 56 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
