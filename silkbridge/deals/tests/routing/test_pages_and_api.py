"""The route panel page and the route API: what each person sees and may do, in three languages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from silkbridge.deals.models import MouEvent
from silkbridge.deals.tests.routing.factories import mou_for_routing

pytestmark = pytest.mark.django_db


def _route_url(mou, suffix: str = "") -> str:  # type: ignore[no-untyped-def]
    return f"/deals/mous/{mou.reference}/route/{suffix}"


def test_the_panel_walks_the_route_with_a_return_and_the_note_in_its_history(client):
    case = mou_for_routing()
    mou = case["mou"]
    client.force_login(case["officer"])

    assert client.post(_route_url(mou, "send/")).status_code == 302
    assert client.post(_route_url(mou, "approve/"), {"note": ""}).status_code == 302
    refused = client.post(_route_url(mou, "return/"), {"note": ""})
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode()
    assert client.post(_route_url(mou, "return/"), {"note": "Add the dispute clause."}).status_code == 302

    page = client.get(_route_url(mou)).content.decode()
    assert "Returns" in page
    assert "Add the dispute clause." in page
    assert "Send again on its route" in page
    mou.refresh_from_db()
    assert mou.status == "drafting"


def test_a_partner_sees_the_route_but_cannot_act_and_an_outsider_gets_404(client):
    case = mou_for_routing()
    mou = case["mou"]
    client.force_login(case["officer"])
    client.post(_route_url(mou, "send/"))

    client.force_login(case["partner"])
    page = client.get(_route_url(mou))
    assert page.status_code == 200
    assert "Legal section, Capital Development Authority" in page.content.decode()
    assert "Approve" not in page.content.decode()
    events = MouEvent.objects.count()
    client.post(_route_url(mou, "approve/"), {"note": ""})
    api = client.post(
        f"/api/v1/deals/mous/{mou.reference}/route/approve", {"note": ""}, content_type="application/json"
    )
    assert api.status_code == 403
    assert MouEvent.objects.count() == events
    assert mou.route_steps.get(position=1).status == "current"

    client.force_login(case["outsider"])
    assert client.get(_route_url(mou)).status_code == 404
    assert client.get(f"/api/v1/deals/mous/{mou.reference}/route").status_code == 404


def test_the_api_routes_returns_and_records_signatories(client):
    case = mou_for_routing(counterpart="foreign_government")
    mou = case["mou"]
    client.force_login(case["staff"])
    base = f"/api/v1/deals/mous/{mou.reference}"

    sent = client.post(f"{base}/route/send").json()
    assert sent["status"] == "vetting"
    assert sent["current_office"] == "Legal section, Capital Development Authority"
    assert len(sent["steps"]) == 5
    assert sent["steps"][-1]["office_en"] == "Federal Cabinet (approval before signature)"
    no_note = client.post(f"{base}/route/return", {"note": ""}, content_type="application/json")
    assert no_note.status_code == 422
    assert no_note.json()["errors"] == [{"field": "body.note", "message": "Say why the draft is returned."}]
    returned = client.post(f"{base}/route/return", {"note": "Fix clause 3."}, content_type="application/json").json()
    assert returned["status"] == "drafting"
    assert [(event["kind"], event["note"]) for event in returned["history"]] == [
        ("sent", ""),
        ("step_returned", "Fix clause 3."),
    ]
    client.post(f"{base}/route/send")
    for _office in range(5):
        answer = client.post(f"{base}/route/approve", {"note": ""}, content_type="application/json")
    assert answer.json()["status"] == "ready"
    signatory = {
        "name": "Wang Fang",
        "title": "Chief Executive",
        "organisation_name": "Guiyang Cloud Data Co.",
        "signed_on": "2025-03-14",
        "place": "Islamabad",
    }
    created = client.post(f"{base}/signatories", signatory, content_type="application/json")
    assert created.status_code == 201
    assert client.get(f"{base}/signatories").json() == [{"id": created.json()["id"], **signatory}]
    one_only = client.post(f"{base}/sign")
    assert one_only.status_code == 422
    assert one_only.json()["errors"][0]["message"] == "Record at least 2 signatories before signing."


@pytest.mark.parametrize(
    ("language", "direction", "heading"),
    [("en", "ltr", "Approval route"), ("zh-hans", "ltr", "审批路线"), ("ur", "rtl", "منظوری کا راستہ")],
)
def test_the_panel_and_the_verification_page_in_three_languages(client, language, direction, heading):
    case = mou_for_routing()
    client.force_login(case["officer"])
    client.post("/i18n/language/", {"language": language, "next": "/"})

    page = client.get(_route_url(case["mou"])).content.decode()
    verify = client.post("/deals/verify/", {"file": SimpleUploadedFile("x.pdf", b"not a pdf")})

    assert f'dir="{direction}"' in page
    assert heading in page
    assert verify.status_code == 422


def test_staff_edit_routes_in_the_admin(client):
    case = mou_for_routing(counterpart="foreign_government")
    route = (
        case["mou"]
        .deal.parties.get(role="authority")
        .organisation.approval_routes.get(counterpart="foreign_government")
    )
    client.force_login(case["staff"])

    assert client.get("/admin/deals/approvalroute/").status_code == 200
    change = client.get(f"/admin/deals/approvalroute/{route.pk}/change/")
    assert change.status_code == 200
    assert "Federal Cabinet (approval before signature)" in change.content.decode()
    assert client.get("/admin/deals/approvalroute/add/").status_code == 200
