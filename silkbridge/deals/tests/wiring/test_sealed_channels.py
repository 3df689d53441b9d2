"""A sealed proposal cannot be opened before its call's deadline through any channel, by anyone but the
submitter's members: not platform staff, not the calling body's staff, not a superuser, not another
bidder. One test walks every channel — the proposal's page, the proposals list, the API's detail, list,
versions, diff and document, the document download, the call's page and API (their counters), the chair's
pages, the deal start, the board and its exports, the `deals export` command (CSV, XLSX, JSON), the
Django admin (every deals model, searched), the directory, marketplace, calls and deals searches, the
dashboards, and the e-mail sent meanwhile — and finds neither the title, the summary nor the declared
price. After the deadline, the opening is recorded and its record lists every submission (submitter,
time, declared price) for every submitter."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from silkbridge.accounts.tests.factories import StaffFactory, UserFactory
from silkbridge.deals.models import Opening
from silkbridge.deals.services import calls as call_services
from silkbridge.deals.services import pipeline as pipeline_services
from silkbridge.deals.tests.proposals.factories import member, past_deadline, published_call, submitted
from silkbridge.matching import digest

pytestmark = pytest.mark.django_db

TITLE = "Quillwort sealed campus"
SUMMARY = "Quillwort sealed cooling plan"
PRICE = "7391846"  # the declared price, 7391846.00 USD
SECRETS = (TITLE, SUMMARY, PRICE)  # searches ask for "Quillwort": the word echoed back is no secret


def _text(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        return _xlsx_text(response.content)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml"))


def _session(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _leaks(where: str, text: str) -> list[str]:
    return [f"{where}: shows {secret!r}" for secret in SECRETS if secret in text]


def _channels(client: Client, world: dict[str, Any]) -> dict[str, Any]:
    """Every channel, as this client reads it: (status, text) per channel."""
    proposal, call, document = world["proposal"], world["call"], world["document"]
    reference, slug = proposal.reference, call.slug
    gets = {
        "page": f"/deals/proposals/{reference}/",
        "document page": f"/deals/proposals/{reference}/documents/{document.pk}/",
        "proposals list page": reverse("deals:proposal_list"),
        "api detail": f"/api/v1/deals/proposals/{reference}",
        "api list": "/api/v1/deals/proposals",
        "api versions": f"/api/v1/deals/proposals/{reference}/versions",
        "api diff": f"/api/v1/deals/proposals/{reference}/diff",
        "api document": f"/api/v1/deals/proposals/{reference}/documents/{document.pk}",
        "call page": reverse("deals:call_detail", kwargs={"slug": slug}),
        "call api": f"/api/v1/deals/calls/{slug}",
        "call openings api": f"/api/v1/deals/calls/{slug}/openings",
        "call report api": f"/api/v1/deals/calls/{slug}/report",
        "chair page": reverse("deals:review_chair", kwargs={"slug": slug}),
        "chair proposal page": reverse("deals:review_proposal", kwargs={"reference": reference}),
        "chair ranking api": f"/api/v1/deals/reviews/calls/{slug}/ranking",
        "chair scores api": f"/api/v1/deals/reviews/proposals/{reference}/scores",
        "review queue": reverse("deals:review_queue"),
        "review queue api": "/api/v1/deals/reviews",
        "deal start page": reverse("deals:deal_start") + f"?proposal={reference}",
        "deal list search": reverse("deals:deal_list") + "?q=Quillwort",
        "deal api search": "/api/v1/deals?q=Quillwort",
        "board search": reverse("deals:deal_board") + "?q=Quillwort",
        "board export csv": reverse("deals:deal_board_export") + "?format=csv",
        "board export xlsx": reverse("deals:deal_board_export") + "?format=xlsx",
        "mou list": reverse("deals:mou_list"),
        "calls search": reverse("deals:call_list") + "?q=Quillwort",
        "calls api search": "/api/v1/deals/calls?q=Quillwort",
        "directory search": reverse("directory:organisation_list") + "?q=Quillwort",
        "directory api search": "/api/v1/organisations?q=Quillwort",
        "marketplace search": reverse("marketplace:opportunity_list") + "?q=Quillwort",
        "marketplace api search": "/api/v1/opportunities?q=Quillwort",
        "home": reverse("core:home"),
        "dashboard": reverse("matching:dashboard"),
    }
    answers = {name: client.get(url) for name, url in gets.items()}
    return {name: (response.status_code, _text(response)) for name, response in answers.items()}


def _admin_texts(client: Client, world: dict[str, Any]) -> dict[str, tuple[int, str]]:
    """Every deals model's admin list, plain and searched, and the sealed proposal's change page."""
    texts = {}
    for model in admin.site._registry:
        if model._meta.app_label != "deals":
            continue
        url = reverse(f"admin:deals_{model._meta.model_name}_changelist")
        for query in ("", "?q=Quillwort", f"?q={world['proposal'].reference}"):
            response = client.get(url + query)
            texts[f"admin {model._meta.model_name}{query}"] = (response.status_code, _text(response))
    change = client.get(reverse("admin:deals_proposal_change", args=[world["proposal"].pk]))
    texts["admin proposal change"] = (change.status_code, _text(change))
    return texts


def _command_exports(tmp_path: Path) -> dict[str, str]:
    out = {}
    for fmt in ("csv", "json"):
        stdout = io.StringIO()
        call_command("deals", "export", "--format", fmt, stdout=stdout)
        out[f"deals export {fmt}"] = stdout.getvalue()
    target = tmp_path / "deals.xlsx"
    call_command("deals", "export", "--format", "xlsx", "--output", str(target), stdout=io.StringIO())
    out["deals export xlsx"] = _xlsx_text(target.read_bytes())
    return out


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    submitter, company = member(name_en="Quiet Bidder Test Ltd", country="CN")
    issuer_member, issuer = member(kind="government", name_en="Calling Body Test Authority", country="PK")
    call = published_call(issuer)
    rival, rival_company = member(name_en="Rival Bidder Test Ltd", country="CN")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = submitted(
            call,
            user=submitter,
            organisation=company,
            title=TITLE,
            summary=SUMMARY,
            declared_price=PRICE,
            price_currency="USD",
        )
        rival_proposal = submitted(
            call,
            user=rival,
            organisation=rival_company,
            title="Rival campus",
            declared_price="5000",
            price_currency="USD",
        )
    return {
        "proposal": proposal,
        "rival_proposal": rival_proposal,
        "call": call,
        "document": proposal.documents.get(),
        "submitter": submitter,
        "principals": {
            "platform staff": StaffFactory(),
            "calling body staff": issuer_member,
            "superuser": UserFactory(is_superuser=True),
            "another bidder": rival,
            "another member": member()[0],
        },
    }


def test_a_sealed_proposal_opens_through_no_channel_before_the_deadline_and_the_opening_lists_every_submission(
    world, tmp_path, django_capture_on_commit_callbacks
):
    problems: list[str] = []
    staff_like = {"platform staff", "superuser"}
    for who, user in world["principals"].items():
        client = _session(user)
        for channel, (status, text) in _channels(client, world).items():
            problems += _leaks(f"{channel} as {who}", text)
            if channel in ("page", "document page", "api detail", "api versions", "api document") and status != 404:
                problems.append(f"{channel} as {who}: {status}, expected 404")
        if who in staff_like:
            for channel, (status, text) in _admin_texts(client, world).items():
                problems += _leaks(f"{channel} as {who}", text)
                if channel == "admin proposal change" and status != 302:
                    problems.append(f"{channel} as {who}: {status}, expected the admin's 'does not exist'")
        # The counters tell no one how many proposals came in, nor who sent them.
        call_api = client.get(f"/api/v1/deals/calls/{world['call'].slug}").json()
        if call_api.get("submissions") is not None:
            problems.append(f"call api as {who}: submissions {call_api['submissions']}, expected none")
        # Starting a deal from it: refused as no approved proposal, naming nothing of it.
        if user.is_staff:
            try:
                pipeline_services.deal_start(
                    actor=user,
                    title="x",
                    subject="data_center",
                    organisations=[],
                    origin="proposal",
                    proposal=world["proposal"],
                )
            except pipeline_services.ValidationError as error:
                problems += _leaks(f"deal_start as {who}", str(error.messages))
            else:
                problems.append(f"deal_start as {who}: a deal started from a sealed proposal")
    for channel, text in _command_exports(tmp_path).items():
        problems += _leaks(channel, text)
    # E-mail sent meanwhile (submissions, a reminder run, the matches digest): nothing to anyone but the
    # submitter's members names the sealed proposal.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("deals", "remind", stdout=io.StringIO())
        digest.digest_send()
    for message in mail.outbox:
        if message.to != [world["submitter"].email]:
            problems += _leaks(f"e-mail {message.subject!r} to {message.to}", f"{message.subject}\n{message.body}")
    # Opening before the deadline is refused, whoever asks.
    for who in ("calling body staff", "platform staff"):
        with pytest.raises(call_services.ValidationError) as refused:
            call_services.call_open(actor=world["principals"][who], call=world["call"], attendees=["A. Khan"])
        assert list(refused.value.message_dict) == ["deadline"]
    assert not Opening.objects.exists()
    # Its own members read it, so the secrets above were really there to be found.
    own = _channels(_session(world["submitter"]), world)
    assert own["page"][0] == 200
    assert TITLE in own["page"][1]
    assert SUMMARY in own["api detail"][1]
    assert problems == [], "\n".join(problems)

    # After the deadline: the opening is recorded, and its record lists every submission for every submitter.
    past_deadline(world["call"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        opening = call_services.call_open(
            actor=world["principals"]["calling body staff"], call=world["call"], attendees=["A. Khan, CDA"]
        )
    proposal, rival_proposal = world["proposal"], world["rival_proposal"]
    proposal.refresh_from_db()
    rival_proposal.refresh_from_db()
    assert opening.record == [
        {
            "organisation": "Quiet Bidder Test Ltd",
            "submitted_at": proposal.submitted_at.isoformat(),
            "price": "7391846.00",
            "currency": "USD",
            "price_is": "price",
        },
        {
            "organisation": "Rival Bidder Test Ltd",
            "submitted_at": rival_proposal.submitted_at.isoformat(),
            "price": "5000.00",
            "currency": "USD",
            "price_is": "price",
        },
    ]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [world["submitter"].email, world["principals"]["another bidder"].email]
    )
    for submitter in (world["submitter"], world["principals"]["another bidder"]):
        client = _session(submitter)
        (published,) = client.get(f"/api/v1/deals/calls/{world['call'].slug}/openings").json()
        assert [(row["organisation"], row["price"]) for row in published["record"]] == [
            ("Quiet Bidder Test Ltd", "7391846.00"),
            ("Rival Bidder Test Ltd", "5000.00"),
        ]
        page = client.get(f"/deals/calls/{world['call'].slug}/").content.decode()
        assert "Quiet Bidder Test Ltd" in page
        assert "Rival Bidder Test Ltd" in page
        assert "7391846.00 USD" in page
    # The record tells the price, not the proposal: the rival still reads neither its title nor its summary.
    rival_view = _channels(_session(world["principals"]["another bidder"]), world)
    assert rival_view["page"][0] == 404
    assert not [text for _status, text in rival_view.values() if TITLE in text or SUMMARY in text]
