"""The deals demo that `silkbridge load_demo` replays: what its people see on first run, and that a second
run changes nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from silkbridge.accounts.models import User
from silkbridge.deals import seal
from silkbridge.deals.demo import demo_deals_ensure
from silkbridge.deals.models import Call, Mou, Proposal

pytestmark = [pytest.mark.django_db, pytest.mark.long]
PASSWORD = "demo-test-Password-1"


@pytest.fixture(autouse=True)
def _own_var_and_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEAL_KEY_FILE = ""
    settings.SEAL_CERT_FILE = ""
    seal._embedded_read.cache_clear()


def _client(email: str) -> Client:
    client = Client()
    assert client.login(username=email, password=PASSWORD)  # the demo's people sign in with the demo password
    return client


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models() if model._meta.managed}


def test_the_demo_tells_the_cda_story_as_its_people_see_it_and_is_replayed_once():
    assert not Call.objects.exists()

    demo = demo_deals_ensure(password=PASSWORD)

    call = demo["call"]
    call.refresh_from_db()
    assert call.title_en == "Tier-IV data center and big data platform for Islamabad"
    assert (call.issuer.key, call.issuer.is_demo, call.status, call.minimum_tier) == ("ref-cda", False, "decided", 3)
    assert call.title_zh == "伊斯兰堡四级数据中心和大数据平台"
    assert call.title_ur == "اسلام آباد کے لیے ٹیئر فور ڈیٹا سینٹر اور بگ ڈیٹا پلیٹ فارم"
    assert "FICTIONAL DEMO CALL" in call.scope_en
    proposals = {proposal.organisation.key: proposal for proposal in Proposal.objects.filter(call=call)}
    assert all(proposal.summary.startswith("（虚构的演示方案") for proposal in proposals.values())
    assert all(proposal.organisation.is_demo for proposal in proposals.values())
    assert all(proposal.submitted_at < call.deadline < call.openings.get().opened_at for proposal in proposals.values())
    # The engine really assessed each design.
    assessed = {key: (p.claimed_tier, p.assessment.tier) for key, p in proposals.items() if p.assessment}
    assert assessed == {"cn-qianyun-infra": (4, 4), "cn-qianshu-bigdata": (4, 3), "cn-jinguan-smartcity": (3, 3)}

    chair = _client("chair.cda@silkbridge.example")
    # The chair's page of the call lists the three proposals, with their weighted scores.
    chair_page = chair.get(f"/deals/reviews/calls/{call.slug}/").content.decode()
    shown = sorted(set(re.findall(r"/deals/reviews/proposals/([^/]+)/", chair_page)))
    assert shown == sorted(proposal.reference for proposal in proposals.values())
    # The proposal that claims Tier IV carries the warning that it meets Tier III.
    claims_iv = chair.get(f"/deals/proposals/{proposals['cn-qianshu-bigdata'].reference}/").content.decode()
    assert "The design claims Tier 4 but meets Tier 3." in claims_iv
    tier4 = chair.get(f"/deals/proposals/{proposals['cn-qianyun-infra'].reference}/").content.decode()
    assert "The design claims Tier" not in tier4
    # The budget in yuan is shown converted into the call's currency at the dated rates.
    cny = chair.get(f"/deals/proposals/{proposals['cn-jinguan-smartcity'].reference}/").content.decode()
    assert re.search(r"180,000,000\.00 CNY</bdi>\s*<br><span class=\"meta\">about [\d,]+ PKR at the rates of", cny)

    # Two reviewers declared no conflict and scored each proposal with comments.
    for proposal in proposals.values():
        reviews = proposal.assignments.order_by("reviewer__email")
        assert [(a.conflict, a.submitted_at is not None) for a in reviews] == [("none", True), ("none", True)]
        assert all(score.comment for assignment in reviews for score in assignment.scores.all())
    assert [proposals[key].status for key in ("cn-qianyun-infra", "cn-qianshu-bigdata", "cn-jinguan-smartcity")] == [
        "approved",
        "revise",
        "approved",
    ]

    # The MoU in vetting: English and Chinese side by side, held by its second office.
    vetting: Mou = demo["vetting"]
    vetting.refresh_from_db()
    assert (vetting.status, vetting.deal.stage) == ("vetting", "vetting")
    assert list(vetting.route_steps.values_list("status", flat=True)) == ["approved", "current", "waiting", "waiting"]
    company = _client("li.na@jinguan-demo.example")
    page = company.get(f"/deals/mous/{vetting.reference}/").content.decode()
    purpose = vetting.clauses.get(key="purpose")
    assert purpose.text_en.split("\n")[0][:60] in page
    assert purpose.text_other.split("\n")[0][:30] in page
    assert "内政部" in page  # the office that holds it now (the Ministry of Interior), in the reader's language

    # The signed MoU: sealed under the installation's self-signed key; the verification service agrees.
    signed: Mou = demo["signed"]
    signed.refresh_from_db()
    assert (signed.status, signed.deal.stage, signed.signatories.count()) == ("signed", "signed", 2)
    content = signed.sealed_pdf.read()
    verified = Client().post("/api/v1/deals/verify", {"file": _upload(content)}).json()
    assert (verified["status"], verified["valid"], verified["mou_reference"]) == ("sealed", True, signed.reference)
    assert verified["sealed_with_embedded_key"] is True
    assert list(signed.deal.events.order_by("created_at", "pk").values_list("to_stage", flat=True)) == [
        "approved",
        "mou_drafting",
        "vetting",
        "signed",
    ]

    # Replayed again: nothing changes.
    before = _counts()
    again = demo_deals_ensure(password=PASSWORD)
    assert (again["created"], again["call"].pk) == (False, call.pk)
    assert _counts() == before
    assert User.objects.filter(email__endswith=".example").count() == before["accounts.User"]


def _upload(content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("signed.pdf", content, content_type="application/pdf")


def test_without_a_sealing_key_the_demo_is_skipped_whole_rather_than_left_half_told(settings):
    settings.IS_PRODUCTION = True  # production without SILKBRIDGE_SEAL_KEY_FILE: no seal for the signed MoU
    before = _counts()

    demo = demo_deals_ensure(password=PASSWORD)

    assert demo["call"] is None
    assert "This installation has no sealing key" in demo["skipped"]
    assert _counts() == before
