"""Signing: only an MoU cleared by its route, with at least two signatories; the final PDF is sealed
with the platform's key (PAdES, pyHanko), stored, and the MoU frozen."""

from __future__ import annotations

import io
import stat
from datetime import date, timedelta

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from silkbridge.deals import seal
from silkbridge.deals.models import MouEvent, Signatory
from silkbridge.deals.services.routing import (
    mou_send,
    mou_sign,
    route_step_approve,
    route_step_return,
    signatory_add,
)
from silkbridge.deals.tests.routing.factories import mou_for_routing, mou_ready

pytestmark = pytest.mark.django_db


def _stored_files(settings):  # type: ignore[no-untyped-def]
    return (
        sorted(path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file())
        if settings.MEDIA_ROOT.exists()
        else []
    )


def test_signing_needs_the_route_cleared_and_two_signatories(settings):
    case = mou_for_routing()
    mou_send(actor=case["officer"], mou=case["mou"])

    with pytest.raises(ValidationError) as early:
        mou_sign(actor=case["officer"], mou=case["mou"])
    assert early.value.messages == ["Only an MoU cleared by its route can be signed (it is: Routing and vetting)."]
    with pytest.raises(ValidationError) as no_signatories_yet:
        signatory_add(
            actor=case["officer"],
            mou=case["mou"],
            name="Muhammad Ali",
            title="Chairman",
            organisation_name="CDA",
            signed_on=date(2025, 3, 14),
            place="Islamabad",
        )
    assert "Signatories are recorded once the route clears the MoU" in no_signatories_yet.value.messages[0]

    other = mou_for_routing()
    mou = mou_ready(other, signatories=1)
    events = MouEvent.objects.filter(mou=mou).count()
    with pytest.raises(ValidationError) as one_signatory:
        mou_sign(actor=other["officer"], mou=mou)

    assert one_signatory.value.messages == ["Record at least 2 signatories before signing."]
    mou.refresh_from_db()
    assert (mou.status, mou.sealed_sha256, mou.sealed_at, bool(mou.sealed_pdf)) == ("ready", "", None, False)
    assert MouEvent.objects.filter(mou=mou).count() == events
    assert _stored_files(settings) == []


def test_a_signatory_dated_in_the_future_is_refused():
    case = mou_for_routing()
    mou = mou_ready(case, signatories=0)

    with pytest.raises(ValidationError) as error:
        signatory_add(
            actor=case["officer"],
            mou=mou,
            name="Wang Fang",
            title="CEO",
            organisation_name="Guiyang Cloud Data Co.",
            signed_on=timezone.localdate() + timedelta(days=1),
            place="Guiyang",
        )

    assert error.value.message_dict == {"signed_on": ["The date of signature cannot be in the future."]}
    assert not Signatory.objects.filter(mou=mou).exists()


def test_the_signed_mou_is_sealed_with_the_platform_key_and_frozen(settings):
    case = mou_for_routing()
    mou = mou_ready(case)

    mou = mou_sign(actor=case["staff"], mou=mou)

    assert mou.status == "signed"
    content = mou.sealed_pdf.read()
    assert mou.sealed_sha256 == seal.sha256_of(content)
    assert mou.sealed_at is not None
    # pyHanko's own validation, trusting the installation's certificate.
    key = seal.seal_key()
    assert key.is_embedded
    anchor = asn1_x509.Certificate.load(key.certificate.public_bytes(serialization.Encoding.DER))
    signature = PdfFileReader(io.BytesIO(content)).embedded_signatures[0]
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[anchor]))
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    # The route and who acted when, and the signatories, are in the sealed PDF.
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Law and Justice Division (vetting)" in text
    assert "Ministry of Foreign Affairs" in text
    assert "Wang Fang" in text
    signed = MouEvent.objects.get(mou=mou, kind="signed")
    assert signed.changes["sha256"] == mou.sealed_sha256
    assert signed.changes["self_signed_embedded_key"] is True
    assert signed.actor == case["staff"]

    # Frozen: nothing changes any more, and nothing is stored by the attempts.
    files, events, people = _stored_files(settings), MouEvent.objects.count(), Signatory.objects.count()
    attempts = [
        lambda: mou_sign(actor=case["staff"], mou=mou),
        lambda: mou_send(actor=case["staff"], mou=mou),
        lambda: route_step_approve(actor=case["staff"], mou=mou),
        lambda: route_step_return(actor=case["staff"], mou=mou, note="Too late."),
        lambda: signatory_add(
            actor=case["staff"],
            mou=mou,
            name="Someone Else",
            title="Witness",
            organisation_name="CDA",
            signed_on=date(2025, 3, 14),
            place="Islamabad",
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.messages == ["This MoU is signed and sealed; it can no longer be changed."]
    mou.refresh_from_db()
    assert (mou.status, mou.sealed_sha256) == ("signed", seal.sha256_of(content))
    assert (_stored_files(settings), MouEvent.objects.count(), Signatory.objects.count()) == (files, events, people)


def test_production_without_a_key_refuses_to_sign_and_the_check_warns(settings):
    case = mou_for_routing()
    mou = mou_ready(case)
    settings.IS_PRODUCTION = True

    with pytest.raises(ValidationError) as error:
        mou_sign(actor=case["staff"], mou=mou)

    assert "This installation has no sealing key" in error.value.messages[0]
    mou.refresh_from_db()
    assert (mou.status, mou.sealed_sha256) == ("ready", "")
    assert not seal.embedded_key_path().exists()
    assert _stored_files(settings) == []
    assert [message.id for message in seal.seal_key_check()] == ["deals.W001"]


def test_the_embedded_key_is_made_once_and_reused(settings):
    path = seal.embedded_key_path()
    assert not path.exists()

    first = seal.seal_key()
    modified = path.stat().st_mtime_ns
    seal._embedded_read.cache_clear()
    second = seal.seal_key()

    assert first.is_embedded
    assert second.is_embedded
    assert first.fingerprint == second.fingerprint
    assert path.stat().st_mtime_ns == modified
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [path.name for path in path.parent.iterdir()] == ["seal.pem"]
    assert "self-signed" in first.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert seal.seal_key_check() == []


def test_a_configured_key_is_used_instead_of_the_embedded_one(settings, tmp_path):
    private_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Silkbridge Foundation document signing")])
    now = timezone.now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(7)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(private_key, hashes.SHA256())
    )
    key_file, cert_file = tmp_path / "key.pem", tmp_path / "cert.pem"
    key_file.write_bytes(
        private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"open sesame"),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    settings.SEAL_KEY_FILE, settings.SEAL_CERT_FILE = str(key_file), str(cert_file)
    settings.SEAL_KEY_PASSPHRASE = "open sesame"
    settings.IS_PRODUCTION = True

    key = seal.seal_key()

    assert not key.is_embedded
    assert key.fingerprint == certificate.fingerprint(hashes.SHA256()).hex()
    assert not seal.embedded_key_path().exists()
    assert seal.seal_key_check() == []
    settings.SEAL_KEY_PASSPHRASE = "wrong"
    assert [message.id for message in seal.seal_key_check()] == ["deals.E002"]
