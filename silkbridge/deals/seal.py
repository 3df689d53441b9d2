"""The platform's seal on signed MoUs: a PAdES signature made with pyHanko, and its verification.

The key and certificate come from settings (SILKBRIDGE_SEAL_KEY_FILE and SILKBRIDGE_SEAL_CERT_FILE,
PEM, with SILKBRIDGE_SEAL_KEY_PASSPHRASE when the key is encrypted). In the embedded mode, without
them, a self-signed key and certificate are made on first use under VAR_DIR/seal/ and reused from then
on; every page that shows a seal says so, because a self-signed key proves only that this installation
sealed the file, not who runs it. Production without a configured key refuses to seal (and
`silkbridge check` warns), rather than sealing with a key nobody vouches for.

Verification answers one question for a PDF someone already holds: is this byte for byte the copy this
platform sealed? The signature must be intact, cover the whole file, be made by the platform's
certificate, and the file's SHA-256 must be that of a sealed MoU.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import os
import socket
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EMBEDDED_FOLDER = "seal"
EMBEDDED_FILE = "seal.pem"  # the key and its certificate, in one file made atomically
EMBEDDED_VALIDITY = datetime.timedelta(days=20 * 365)
SIGNATURE_FIELD = "SilkbridgeSeal"


class SealUnavailable(Exception):
    """This installation cannot seal: production without a configured key, or a key that cannot be read."""


@dataclass(frozen=True)
class SealKey:
    """The platform's signing key and certificate (cryptography objects), and where they came from."""

    private_key: Any
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    is_embedded: bool

    @property
    def fingerprint(self) -> str:
        return self.certificate.fingerprint(hashes.SHA256()).hex()


# --- the key -----------------------------------------------------------------------------------------


def _configured_paths() -> tuple[str, str]:
    return (getattr(settings, "SEAL_KEY_FILE", "") or "", getattr(settings, "SEAL_CERT_FILE", "") or "")


def embedded_key_path() -> Path:
    return Path(settings.VAR_DIR) / EMBEDDED_FOLDER / EMBEDDED_FILE


def seal_key() -> SealKey:
    """The platform's key: the configured one, or in the embedded mode the installation's self-signed one
    (made on first use). Raises SealUnavailable with a message for the user when there is none."""
    key_file, cert_file = _configured_paths()
    if key_file or cert_file:
        return _configured_key(key_file, cert_file, getattr(settings, "SEAL_KEY_PASSPHRASE", "") or "")
    if settings.IS_PRODUCTION:
        raise SealUnavailable(
            _(
                "This installation has no sealing key, so signed MoUs cannot be sealed yet. The administrator "
                "sets SILKBRIDGE_SEAL_KEY_FILE and SILKBRIDGE_SEAL_CERT_FILE (see docs/deployment.md)."
            )
        )
    path = embedded_key_path()
    if not path.exists():
        _embedded_create(path)
    return _embedded_read(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _configured_key(key_file: str, cert_file: str, passphrase: str) -> SealKey:
    if not key_file or not cert_file:
        raise SealUnavailable(_("Set both SILKBRIDGE_SEAL_KEY_FILE and SILKBRIDGE_SEAL_CERT_FILE, or neither."))
    try:
        key_data = Path(key_file).read_bytes()
        cert_data = Path(cert_file).read_bytes()
        private_key = serialization.load_pem_private_key(key_data, password=passphrase.encode() or None)
        certificates = x509.load_pem_x509_certificates(cert_data)
    except (OSError, ValueError, TypeError) as error:
        raise SealUnavailable(
            _("The sealing key or certificate cannot be read (%(error)s).") % {"error": type(error).__name__}
        ) from error
    certificate = certificates[0]
    if _public_der(certificate.public_key()) != _public_der(private_key.public_key()):
        raise SealUnavailable(_("The sealing certificate does not belong to the sealing key."))
    return SealKey(private_key, certificate, tuple(certificates[1:]), is_embedded=False)


def _public_der(public_key: Any) -> bytes:
    der: bytes = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return der


def _embedded_create(path: Path) -> None:
    """A new P-256 key and a self-signed certificate, published atomically (two processes sealing their
    first MoU together both end up with the winner's key: see core/secret_key.py)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    private_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"Silkbridge seal (self-signed, {socket.gethostname()[:40]})"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Silkbridge installation (embedded mode)"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + EMBEDDED_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(private_key, hashes.SHA256())
    )
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ) + certificate.public_bytes(serialization.Encoding.PEM)
    descriptor, temporary_name = tempfile.mkstemp(prefix=".seal.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary_name, path)
    finally:
        os.unlink(temporary_name)


@lru_cache(maxsize=4)
def _embedded_read(path: str, _modified: int) -> SealKey:
    data = Path(path).read_bytes()
    try:
        private_key = serialization.load_pem_private_key(data, password=None)
        certificate = x509.load_pem_x509_certificates(data)[0]
    except ValueError as error:
        raise SealUnavailable(
            _("The embedded sealing key in %(path)s cannot be read; restore it from a backup.") % {"path": path}
        ) from error
    return SealKey(private_key, certificate, (), is_embedded=True)


# --- sealing -----------------------------------------------------------------------------------------


def _pyhanko_signer(key: SealKey) -> Any:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    def certificate(cert: x509.Certificate) -> Any:
        return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))

    private_der = key.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return signers.SimpleSigner(
        signing_cert=certificate(key.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(private_der),
        cert_registry=SimpleCertificateStore.from_certs([certificate(cert) for cert in key.chain]),
    )


def seal_pdf(pdf: bytes, *, reason: str, location: str = "", key: SealKey | None = None) -> bytes:
    """The PDF with the platform's PAdES signature appended (an incremental update: the pages are
    untouched). Raises SealUnavailable when there is no key."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    key = key or seal_key()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location or None,
        name="Silkbridge",
    )
    output = signers.sign_pdf(writer, metadata, signer=_pyhanko_signer(key))
    sealed: bytes = output.getvalue()
    return sealed


# --- verification ------------------------------------------------------------------------------------

SEALED = "sealed"
ALTERED = "altered"
NOT_SEALED = "not_sealed"
UNKNOWN_COPY = "unknown_copy"

VERDICTS = {
    SEALED: gettext_lazy("An unaltered copy sealed by this platform."),
    ALTERED: gettext_lazy(
        "Altered: this file carries the platform's seal, but it was changed after sealing. Do not rely on it."
    ),
    NOT_SEALED: gettext_lazy("Not a PDF we sealed: it carries no seal of this platform."),
    UNKNOWN_COPY: gettext_lazy(
        "The seal is this platform's and intact, but no signed MoU here has this file; ask the platform's staff."
    ),
}


@dataclass(frozen=True)
class SealCheck:
    """What the file's signatures say, before looking for the MoU (plain data)."""

    status: str
    sha256: str
    is_embedded_key: bool = False


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def seal_check(data: bytes) -> SealCheck:
    """Whether `data` (already known to start with %PDF and to be within the size limit) carries an
    intact seal of this platform over the whole file. Any parsing error means "not a PDF we sealed"."""
    digest = sha256_of(data)
    try:
        platform = seal_key()
    except SealUnavailable:
        return SealCheck(NOT_SEALED, digest)
    try:
        return _check_signatures(data, digest, platform)
    except Exception:  # a malformed or hostile PDF: pyHanko raises many kinds of error
        return SealCheck(NOT_SEALED, digest)


def _check_signatures(data: bytes, digest: str, platform: SealKey) -> SealCheck:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    platform_der = platform.certificate.public_bytes(serialization.Encoding.DER)
    ours = [sig for sig in reader.embedded_signatures if sig.signer_cert.dump() == platform_der]
    if not ours:
        return SealCheck(NOT_SEALED, digest)
    signature = ours[-1]
    status = validate_pdf_signature(signature, signer_validation_context=_validation_context(platform))
    covers_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not (status.intact and status.valid and covers_file):
        return SealCheck(ALTERED, digest)
    return SealCheck(SEALED, digest, is_embedded_key=platform.is_embedded)


def _validation_context(platform: SealKey) -> Any:
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator import ValidationContext

    anchor = asn1_x509.Certificate.load(platform.certificate.public_bytes(serialization.Encoding.DER))
    return ValidationContext(trust_roots=[anchor], allow_fetching=False)


# --- the system check --------------------------------------------------------------------------------


def seal_key_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """`silkbridge check`: production needs a configured sealing key; a configured one must be readable."""
    key_file, cert_file = _configured_paths()
    if not key_file and not cert_file:
        if settings.IS_PRODUCTION:
            return [
                checks.Warning(
                    "No sealing key is configured: signing an MoU will be refused.",
                    hint="Set SILKBRIDGE_SEAL_KEY_FILE and SILKBRIDGE_SEAL_CERT_FILE (PEM); see docs/deployment.md.",
                    id="deals.W001",
                )
            ]
        return []
    try:
        _configured_key(key_file, cert_file, getattr(settings, "SEAL_KEY_PASSPHRASE", "") or "")
    except SealUnavailable as error:
        return [checks.Error(f"The sealing key cannot be used: {error}", id="deals.E002")]
    return []


# --- what a visitor uploads --------------------------------------------------------------------------


def upload_content(upload: Any) -> bytes:
    """The bytes of an uploaded file to verify, refused (ValidationError on "file") when it is over the
    size limit or is not a PDF at all. Read in chunks: an oversized upload is never held in memory."""
    from django.core.exceptions import ValidationError

    limit = settings.MOU_VERIFY_MAX_BYTES
    if upload is None:
        raise ValidationError({"file": _("Choose the PDF file to verify.")})
    if upload.size is not None and upload.size > limit:
        raise ValidationError({"file": too_large_message(limit)})
    chunks, size = [], 0
    for chunk in upload.chunks():
        size += len(chunk)
        if size > limit:
            raise ValidationError({"file": too_large_message(limit)})
        chunks.append(chunk)
    content = b"".join(chunks)
    if not content.startswith(b"%PDF"):
        raise ValidationError({"file": _("This file is not a PDF (its content does not start with “%PDF”).")})
    return content


def too_large_message(limit: int) -> str:
    return _("The file is larger than %(megabytes)d MB, the most this page verifies.") % {
        "megabytes": max(1, limit // (1024 * 1024))
    }
