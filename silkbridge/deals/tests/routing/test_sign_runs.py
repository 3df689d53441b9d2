"""Signing runs in the background: the page and the API start a run (the final PDF is rendered and sealed
by a worker, never in the request) and show its progress; the MoU is signed only when the seal succeeded,
and a failed run leaves it unsigned, with the reason on its page, ready to be signed again."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from silkbridge.core.models import Run
from silkbridge.deals import seal
from silkbridge.deals.models import MouEvent
from silkbridge.deals.services.routing import signatory_remove
from silkbridge.deals.tests.routing.factories import mou_for_routing, mou_ready

pytestmark = pytest.mark.django_db


def _result(run: Run | None) -> dict[str, Any]:
    assert run is not None
    assert isinstance(run.result, dict)
    return run.result


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_sign_button_starts_a_run_whose_page_links_to_the_signed_mou(django_capture_on_commit_callbacks):
    case = mou_for_routing()
    mou = mou_ready(case)
    client = _client(case["officer"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/deals/mous/{mou.reference}/sign/")

    run = Run.objects.get(kind="deals.mou_sign")
    assert (response.status_code, response["Location"]) == (302, f"/runs/{run.pk}/")
    mou.refresh_from_db()
    assert (mou.status, run.status, run.progress) == ("signed", "succeeded", 1.0)
    assert _result(run)["sealed_sha256"] == mou.sealed_sha256 == seal.sha256_of(mou.sealed_pdf.read())
    assert _result(run)["sealed_with_embedded_key"] is True
    progress_page = client.get(response["Location"]).content.decode()
    assert "Signing and sealing of an MoU" in progress_page
    assert f'href="/deals/mous/{mou.reference}/"' in progress_page  # "See the result"
    page = client.get(f"/deals/mous/{mou.reference}/").content.decode()
    assert "Download the sealed PDF" in page
    assert "The last attempt to sign failed" not in page
    assert MouEvent.objects.filter(mou=mou, kind="signed", actor=case["officer"]).count() == 1


def test_a_failed_signing_run_leaves_the_mou_unsigned_says_why_and_can_be_retried(
    settings, django_capture_on_commit_callbacks
):
    case = mou_for_routing()
    mou = mou_ready(case)
    client = _client(case["officer"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        started = client.post(f"/deals/mous/{mou.reference}/sign/")
    assert started.status_code == 302
    # While the run waits for a worker, the MoU is "being signed": the button is off, a second start refused.
    waiting = client.get(f"/deals/mous/{mou.reference}/").content.decode()
    assert "Signing is under way" in waiting
    again = client.post(f"/api/v1/deals/mous/{mou.reference}/sign")
    assert again.status_code == 422
    assert again.json()["errors"][0]["message"] == "This MoU is being signed already; follow that run."
    # A signatory is taken back before the worker gets to it: the run must refuse to seal.
    signatory_remove(actor=case["officer"], mou=mou, signatory_id=mou.signatories.order_by("pk").last().pk)
    for callback in queued:
        callback()

    run = Run.objects.get(kind="deals.mou_sign")
    assert (run.status, run.error) == ("failed", "Record at least 2 signatories before signing.")
    mou.refresh_from_db()
    assert (mou.status, mou.sealed_sha256, mou.sealed_at, bool(mou.sealed_pdf)) == ("ready", "", None, False)
    assert not MouEvent.objects.filter(mou=mou, kind="signed").exists()
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]  # nothing stored
    page = client.get(f"/deals/mous/{mou.reference}/").content.decode()
    assert "The last attempt to sign failed; the MoU is not signed. You can sign again." in page
    assert "Record at least 2 signatories before signing." in page

    # Retried through the API once a second signatory is recorded again: 202, then the run succeeds.
    added = client.post(
        f"/api/v1/deals/mous/{mou.reference}/signatories",
        {
            "name": "Li Wei",
            "title": "CEO",
            "organisation_name": "Guiyang Cloud Data Co.",
            "signed_on": "2025-03-14",
            "place": "Guiyang",
        },
        content_type="application/json",
    )
    assert added.status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(f"/api/v1/deals/mous/{mou.reference}/sign")
    assert (retried.status_code, retried.json()["kind"], retried.json()["status"]) == (202, "deals.mou_sign", "queued")
    polled = client.get(f"/api/v1/runs/{retried.json()['id']}").json()
    mou.refresh_from_db()
    assert (polled["status"], polled["result"]["sealed_sha256"], mou.status) == (
        "succeeded",
        mou.sealed_sha256,
        "signed",
    )
    assert client.get(f"/api/v1/deals/mous/{mou.reference}/sealed.pdf").status_code == 200


def test_a_refusal_known_at_once_queues_nothing_and_the_progress_page_is_the_starters_own(settings):
    case = mou_for_routing()
    mou = mou_ready(case)
    settings.IS_PRODUCTION = True  # no sealing key configured: refused in the request, nothing queued

    refused = _client(case["officer"]).post(f"/api/v1/deals/mous/{mou.reference}/sign")

    assert refused.status_code == 422
    assert "This installation has no sealing key" in refused.json()["errors"][0]["message"]
    assert not Run.objects.exists()
    settings.IS_PRODUCTION = False
    started = _client(case["officer"]).post(f"/api/v1/deals/mous/{mou.reference}/sign").json()
    # The other side's member sees the MoU but not the officer's run page; an outsider sees neither.
    assert _client(case["partner"]).get(f"/runs/{started['id']}/").status_code == 404
    assert _client(case["outsider"]).post(f"/deals/mous/{mou.reference}/sign/").status_code == 404
    assert Run.objects.count() == 1
