"""The MoU API: draft, read, save versions, compare, comment, download; the same rules as the pages."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from silkbridge.deals.models import Mou, MouVersion
from silkbridge.deals.tests.mou.factories import deal_with_parties

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, body: dict) -> object:
    return client.post(url, body, content_type="application/json")


def test_draft_save_compare_comment_and_download_through_the_api(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    deal, people = deal_with_parties()
    client = Client()
    client.force_login(people["authority_member"])

    created = _post(
        client,
        "/api/v1/deals/mous",
        {
            "deal": deal.reference,
            "title": "MoU via the API",
            "second_language": "zh",
            "clause_keys": ["parties", "termination"],
            "duration_years": 7,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["version"], body["status"], [c["key"] for c in body["clauses"]]) == (
        1,
        "drafting",
        ["parties", "termination"],
    )
    reference = body["reference"]

    clauses = body["clauses"]
    clauses[1]["text_en"] = clauses[1]["text_en"].replace("ninety (90)", "thirty (30)")
    saved = _post(
        client,
        f"/api/v1/deals/mous/{reference}/versions",
        {"clauses": clauses, "note": "Shorter notice", "base_version": 1},
    )
    assert saved.status_code == 201, saved.content
    assert (saved.json()["number"], saved.json()["note"]) == (2, "Shorter notice")

    versions = client.get(f"/api/v1/deals/mous/{reference}/versions").json()
    assert [version["number"] for version in versions] == [2, 1]
    diff = client.get(f"/api/v1/deals/mous/{reference}/diff", {"from_number": 1, "to_number": 2}).json()
    assert [(clause["key"], clause["status"]) for clause in diff["clauses"]] == [
        ("parties", "same"),
        ("termination", "changed"),
    ]
    pieces = [
        (p["operation"], p["text"]) for p in diff["clauses"][1]["fields"][0]["pieces"] if p["operation"] != "same"
    ]
    assert pieces == [("removed", "ninety"), ("added", "thirty"), ("removed", "90"), ("added", "30")]

    company = Client()
    company.force_login(people["company_member"])
    comment = _post(
        company, f"/api/v1/deals/mous/{reference}/comments", {"clause_key": "termination", "text": "Agreed."}
    )
    assert comment.status_code == 201
    assert [
        (c["clause_key"], c["version"], c["text"])
        for c in company.get(f"/api/v1/deals/mous/{reference}/comments").json()
    ] == [("termination", 2, "Agreed.")]

    import docx

    document = client.get(f"/api/v1/deals/mous/{reference}/versions/2/docx")
    assert document.status_code == 200
    assert document["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    table = docx.Document(io.BytesIO(document.content)).tables[0]
    assert "thirty (30)" in table.rows[1].cells[0].text
    # The PDF takes seconds: a background run makes it (the immediate backend runs it at the commit).
    pdf_url = f"/api/v1/deals/mous/{reference}/versions/1/pdf"
    assert client.get(pdf_url).status_code == 404  # none made yet
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(pdf_url)
    assert (started.status_code, started.json()["kind"], started.json()["page_url"]) == (
        202,
        "deals.mou_pdf",
        f"/runs/{started.json()['id']}/",
    )
    run = client.get(f"/api/v1/runs/{started.json()['id']}").json()
    file_page = f"/deals/mous/{reference}/versions/1/pdf/{run['id']}.pdf"
    assert (run["status"], run["progress"], run["result"]["url"]) == ("succeeded", 1.0, file_page)
    pdf = client.get(pdf_url)
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    # Another party's member reads the same PDF (the MoU's readers, not only the run's starter).
    assert company.get(file_page).status_code == 200


def test_the_api_refuses_with_the_field_named_and_stores_nothing():
    deal, people = deal_with_parties()
    client = Client()
    client.force_login(people["company_member"])
    forbidden = _post(client, "/api/v1/deals/mous", {"deal": deal.reference, "title": "x", "second_language": "zh"})
    assert forbidden.status_code == 403
    client.force_login(people["authority_member"])
    wrong_language = _post(
        client, "/api/v1/deals/mous", {"deal": deal.reference, "title": "x", "second_language": "fr"}
    )
    assert wrong_language.status_code == 422
    assert "body.second_language" in [error["field"] for error in wrong_language.json()["errors"]]
    assert not Mou.objects.exists()

    mou = _post(
        client,
        "/api/v1/deals/mous",
        {"deal": deal.reference, "title": "x", "second_language": "ur", "clause_keys": ["parties"]},
    ).json()
    Mou.objects.filter(reference=mou["reference"]).update(status="vetting")
    late = _post(
        client,
        f"/api/v1/deals/mous/{mou['reference']}/versions",
        {"clauses": [{**mou["clauses"][0], "text_en": "Changed in vetting"}]},
    )
    assert late.status_code == 422
    assert late.json()["errors"] == [
        {
            "field": "body.status",
            "message": "This MoU is no longer being drafted (Routing and vetting); its text cannot be changed.",
        }
    ]
    assert MouVersion.objects.filter(mou__reference=mou["reference"]).count() == 1
