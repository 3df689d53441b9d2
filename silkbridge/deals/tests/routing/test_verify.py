"""Verification of a sealed MoU through the public page, the API and `silkbridge mou verify`: only an
unaltered copy sealed by this platform's key, of a signed MoU, is valid."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from weasyprint import HTML

from silkbridge.deals import seal
from silkbridge.deals.services.routing import mou_sign
from silkbridge.deals.tests.routing.factories import mou_for_routing, mou_ready

pytestmark = pytest.mark.django_db

VERIFY_API = "/api/v1/deals/verify"


@pytest.fixture
def sealed():  # type: ignore[no-untyped-def]
    case = mou_for_routing()
    mou = mou_sign(actor=case["officer"], mou=mou_ready(case))
    return {**case, "mou": mou, "content": mou.sealed_pdf.read()}


def _flip_inside_signed_range(content: bytes) -> bytes:
    """One bit changed inside the first page's content stream (well inside the signature's byte range)."""
    position = content.index(b"stream", 200) + 40
    changed = bytearray(content)
    changed[position] ^= 0x01
    return bytes(changed)


def _post(client, content: bytes, name: str = "mou.pdf"):  # type: ignore[no-untyped-def]
    return client.post(VERIFY_API, {"file": SimpleUploadedFile(name, content, content_type="application/pdf")})


def test_the_api_accepts_the_sealed_copy_and_names_the_mou(client, sealed):
    answer = _post(client, sealed["content"])

    assert answer.status_code == 200
    body = answer.json()
    assert body["valid"] is True
    assert body["status"] == "sealed"
    assert body["message"] == "An unaltered copy sealed by this platform."
    assert (body["mou_reference"], body["mou_title"], body["version"]) == (
        sealed["mou"].reference,
        "MoU on a Tier-IV data center",
        2,
    )
    assert body["sealed_at"].startswith(sealed["mou"].sealed_at.isoformat()[:19])
    assert body["sealed_with_embedded_key"] is True
    assert body["sha256"] == sealed["mou"].sealed_sha256


def test_one_byte_changed_or_bytes_appended_are_rejected_as_altered(client, sealed):
    for altered in (_flip_inside_signed_range(sealed["content"]), sealed["content"] + b"\n% appended\n"):
        body = _post(client, altered).json()

        assert body["valid"] is False
        assert body["status"] == "altered"
        assert body["mou_reference"] is None
        assert body["mou_title"] is None


def test_a_pdf_the_platform_did_not_seal_is_not_valid(client, sealed):
    other = HTML(string="<h1>Memorandum of understanding</h1><p>Looks official.</p>").write_pdf()

    body = _post(client, other).json()

    assert (body["valid"], body["status"]) == (False, "not_sealed")
    assert body["message"] == "Not a PDF we sealed: it carries no seal of this platform."


def test_a_pdf_sealed_with_another_key_is_not_valid(client, settings, sealed):
    # Another installation (or a key replaced since): its seal is not this platform's.
    seal.embedded_key_path().unlink()
    seal._embedded_read.cache_clear()

    body = _post(client, sealed["content"]).json()

    assert (body["valid"], body["status"]) == (False, "not_sealed")


def test_an_intact_seal_over_a_file_no_mou_has_is_not_valid(client, sealed):
    stray = seal.seal_pdf(HTML(string="<p>Sealed outside any MoU</p>").write_pdf(), reason="test")

    body = _post(client, stray).json()

    assert (body["valid"], body["status"]) == (False, "unknown_copy")


def test_a_file_that_is_not_a_pdf_is_refused_with_a_clear_message(client, settings):
    answer = _post(client, b"PK\x03\x04 a zip file, not a PDF", name="mou.pdf")

    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "body.file", "message": "This file is not a PDF (its content does not start with “%PDF”)."}
    ]
    settings.MOU_VERIFY_MAX_BYTES = 100
    too_big = _post(client, b"%PDF-1.7\n" + b"0" * 200)
    assert too_big.status_code == 422
    assert too_big.json()["errors"][0]["message"] == "The file is larger than 1 MB, the most this page verifies."

    page = client.post("/deals/verify/", {"file": SimpleUploadedFile("notes.pdf", b"hello", "application/pdf")})
    assert page.status_code == 422
    assert "This file is not a PDF (its content does not start with “%PDF”)." in page.content.decode()


def test_a_garbled_pdf_is_not_a_pdf_we_sealed(client):
    body = _post(client, b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage\n%%EOF").json()

    assert (body["valid"], body["status"]) == (False, "not_sealed")


def test_the_public_page_says_valid_and_that_the_key_is_self_signed(client, sealed):
    page = client.post("/deals/verify/", {"file": SimpleUploadedFile("mou.pdf", sealed["content"])})

    html = page.content.decode()
    assert page.status_code == 200
    assert "Valid: an unaltered sealed copy" in html
    assert "MoU on a Tier-IV data center" in html
    assert sealed["mou"].reference in html
    assert "Sealed with a self-signed key of this installation (embedded mode)" in html

    altered = client.post(
        "/deals/verify/", {"file": SimpleUploadedFile("mou.pdf", _flip_inside_signed_range(sealed["content"]))}
    )
    assert "Not valid" in altered.content.decode()
    assert "MoU on a Tier-IV data center" not in altered.content.decode()


def test_the_command_prints_json_and_exits_0_only_for_a_valid_copy(sealed, tmp_path, capsys):
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(sealed["content"])
    bad.write_bytes(_flip_inside_signed_range(sealed["content"]))

    call_command("mou", "verify", str(good))
    answer = json.loads(capsys.readouterr().out)
    assert (answer["valid"], answer["mou_reference"], answer["version"]) == (True, sealed["mou"].reference, 2)

    with pytest.raises(SystemExit) as exit_code:
        call_command("mou", "verify", str(bad))
    assert exit_code.value.code == 1
    assert json.loads(capsys.readouterr().out)["status"] == "altered"

    with pytest.raises(SystemExit):
        call_command("mou", "verify", str(tmp_path / "missing.pdf"))
    assert json.loads(capsys.readouterr().out)["status"] == "unreadable"


def test_the_sealed_pdf_is_downloaded_by_the_parties_and_staff_only(client, sealed):
    for user in (sealed["partner"], sealed["officer"], sealed["staff"]):
        client.force_login(user)
        for url in (
            f"/deals/mous/{sealed['mou'].reference}/sealed.pdf",
            f"/api/v1/deals/mous/{sealed['mou'].reference}/sealed.pdf",
        ):
            answer = client.get(url)
            assert answer.status_code == 200, url
            assert b"".join(answer.streaming_content) == sealed["content"]
    client.force_login(sealed["outsider"])
    assert client.get(f"/deals/mous/{sealed['mou'].reference}/sealed.pdf").status_code == 404
    assert client.get(f"/api/v1/deals/mous/{sealed['mou'].reference}/sealed.pdf").status_code == 404
    client.logout()
    assert client.get(f"/api/v1/deals/mous/{sealed['mou'].reference}/sealed.pdf").status_code == 401
