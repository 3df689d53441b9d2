"""An MoU's PDF is made by a background run (seconds of rendering, never in a request): the version's
PDF page starts it and shows the PDF made last; whoever may read the MoU downloads it, nobody else."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from silkbridge.core.models import Run
from silkbridge.deals.tests.mou.factories import drafted, outsider

pytestmark = pytest.mark.django_db


def _result(run: Run | None) -> dict[str, Any]:
    assert run is not None
    assert isinstance(run.result, dict)
    return run.result


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_pdf_page_makes_the_pdf_in_a_run_and_every_reader_of_the_mou_downloads_it(
    settings, django_capture_on_commit_callbacks
):
    mou, people = drafted(second_language="zh", clause_keys=["parties", "termination"])
    drafter = _client(people["authority_member"])
    page_url = f"/deals/mous/{mou.reference}/versions/1/pdf/"
    before = drafter.get(page_url).content.decode()
    assert "No PDF of this version has been made yet." in before
    assert "Make the PDF" in before
    assert f'href="{page_url}"' in drafter.get(f"/deals/mous/{mou.reference}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        started = drafter.post(page_url)

    run = Run.objects.get(kind="deals.mou_pdf")
    file_url = f"{page_url}{run.pk}.pdf"
    assert (started.status_code, started["Location"]) == (302, f"/runs/{run.pk}/")
    assert (run.status, run.created_by, _result(run)["url"]) == ("succeeded", people["authority_member"], file_url)
    progress = drafter.get(f"/runs/{run.pk}/").content.decode()
    assert "PDF of an MoU" in progress
    assert f'href="{file_url}"' in progress
    assert f'href="{file_url}"' in drafter.get(page_url).content.decode()
    # The other party's member reads it too; the PDF has both texts.
    download = _client(people["company_member"]).get(file_url)
    assert (download.status_code, download["Content-Type"]) == (200, "application/pdf")
    text = PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages[0].extract_text()
    assert "Memorandum of Understanding" in text or "谅解备忘录" in text
    # Made again: the new one replaces the old, whose address is gone.
    with django_capture_on_commit_callbacks(execute=True):
        drafter.post(f"/api/v1/deals/mous/{mou.reference}/versions/1/pdf")
    newer = Run.objects.filter(kind="deals.mou_pdf").order_by("-pk").first()
    assert drafter.get(file_url).status_code == 404
    assert drafter.get(_result(newer)["url"]).status_code == 200
    stored = [path.name for path in settings.MEDIA_ROOT.rglob("*.pdf")]
    assert len(stored) == 1


def test_someone_who_may_not_read_the_mou_can_neither_make_nor_download_its_pdf(django_capture_on_commit_callbacks):
    mou, people = drafted(second_language="ur", clause_keys=["parties"])
    with django_capture_on_commit_callbacks(execute=True):
        _client(people["authority_member"]).post(f"/deals/mous/{mou.reference}/versions/1/pdf/")
    made = Run.objects.get(kind="deals.mou_pdf")
    stranger = _client(outsider())

    answers = [
        stranger.get(_result(made)["url"]).status_code,
        stranger.get(f"/deals/mous/{mou.reference}/versions/1/pdf/").status_code,
        stranger.post(f"/deals/mous/{mou.reference}/versions/1/pdf/").status_code,
        stranger.get(f"/api/v1/deals/mous/{mou.reference}/versions/1/pdf").status_code,
        stranger.post(f"/api/v1/deals/mous/{mou.reference}/versions/1/pdf").status_code,
        stranger.get(f"/runs/{made.pk}/").status_code,
    ]

    assert answers == [404, 404, 404, 404, 404, 404]
    assert Run.objects.count() == 1
