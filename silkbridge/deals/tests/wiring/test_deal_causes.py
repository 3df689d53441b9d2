"""The deal's page says why a deal moved by itself: "Moved automatically: MoU … v1 returned by <the
office>", in the reader's language, for every move another part's action made (an approval, an MoU
drafted, sent, returned, signed); a move made on the board carries none."""

from __future__ import annotations

import html

import pytest
from django.utils import translation

from silkbridge.accounts.tests.factories import StaffFactory
from silkbridge.deals.choices import DealStage
from silkbridge.deals.selectors.pipeline import stage_cause
from silkbridge.deals.services import mou as mou_services
from silkbridge.deals.services import pipeline as pipeline_services
from silkbridge.deals.services import routing as routing_services
from silkbridge.deals.tests.wiring.test_mou_path import _approved_deal

pytestmark = pytest.mark.django_db


def test_the_deal_page_shows_the_cause_of_each_automatic_move_in_the_readers_language(client):
    deal, _chair, officer = _approved_deal()
    proposal = deal.proposal
    mou = mou_services.mou_draft(
        actor=officer, deal=deal, second_language="zh", counterpart="foreign_private", title="MoU on a data center"
    )
    routing_services.mou_send(actor=officer, mou=mou)
    routing_services.route_step_approve(actor=officer, mou=mou)
    returned = routing_services.route_step_return(actor=officer, mou=mou, note="Clarify the financing clause.")
    assert returned.name_en
    assert returned.name_zh
    staff = StaffFactory()
    pipeline_services.deal_stage_set(actor=staff, deal=deal, stage=DealStage.STALLED, note="Waiting for the budget.")

    client.force_login(officer)
    page = html.unescape(client.get(f"/deals/{deal.reference}/").content.decode())
    ref = mou.reference
    for text in (
        f"Started automatically: proposal {proposal.reference} approved",
        f"Moved automatically: MoU {ref} v1 drafted",
        f"Moved automatically: MoU {ref} v1 sent on its route",
        f"Moved automatically: MoU {ref} v1 returned by {returned.name_en}",
    ):
        assert page.count(text) == 1, text
    assert page.count("Moved automatically") == 3  # the board's move to "stalled" has no cause
    chinese = html.unescape(client.get(f"/deals/{deal.reference}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    with translation.override("zh-hans"):
        returned_text = stage_cause(
            {"cause": "mou_returned", "mou": ref, "version": "1", "office_en": "x", "office_zh": returned.name_zh}
        )
    assert returned.name_zh in returned_text
    assert "Moved automatically" not in returned_text
    assert returned_text in chinese


def test_a_signed_mous_move_and_rows_written_before_versions_were_recorded_read_sensibly():
    assert stage_cause({"cause": "mou_signed", "mou": "MOU-1", "version": "3"}) == (
        "Moved automatically: MoU MOU-1 v3 signed and sealed"
    )
    assert stage_cause({"cause": "mou_returned", "mou": "MOU-1"}) == "Moved automatically: MoU MOU-1 returned"
    assert stage_cause({"cause": "mou_sent", "mou": "MOU-1"}) == "Moved automatically: MoU MOU-1 sent on its route"
    assert stage_cause({"stage": ["lead", "proposal"]}) == ""
