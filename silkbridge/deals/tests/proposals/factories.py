"""Calls, proposals and files for the proposal tests, made through the services where they exist (calls
are the calls part's: here a published call is written directly, as its service would leave it)."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from silkbridge.accounts.tests.factories import MembershipFactory, UserFactory
from silkbridge.common.file_kinds import EXCEL_MAIN, WORD_MAIN
from silkbridge.deals.choices import CallStatus
from silkbridge.deals.models import Call, Proposal
from silkbridge.deals.services import proposals as services
from silkbridge.directory.tests.factories import OrganisationFactory

REPOSITORY = Path(__file__).resolve().parents[4]
DESIGNS = REPOSITORY / "silkbridge" / "datacenters" / "tests" / "designs"
EXAMPLES = REPOSITORY / "examples" / "datacenters"

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def member(**organisation_fields: Any) -> tuple[Any, Any]:
    """A user who belongs to a new organisation."""
    membership = MembershipFactory(user=UserFactory(), organisation=OrganisationFactory(**organisation_fields))
    return membership.user, membership.organisation


def published_call(issuer: Any = None, *, deadline: Any = None, **fields: Any) -> Call:
    if issuer is None:
        _user, issuer = member(kind="government")
    now = timezone.now()
    values: dict[str, Any] = {
        "slug": f"call-{Call.objects.count() + 1}-{issuer.pk}",
        "issuer": issuer,
        "title_en": "Tier-IV data center and big data platform for Islamabad",
        "scope_en": "Design, build and operate.",
        "deadline": deadline or now + timedelta(days=30),
        "contact_name": "Procurement cell",
        "contact_email": "procurement@example.org",
        "status": CallStatus.PUBLISHED,
        "published_at": now - timedelta(days=1),
        **fields,
    }
    return Call.objects.create(**values)


def docx_bytes(*, main: str = WORD_MAIN, part: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types><Override PartName="/{part}" ContentType="{main}"/></Types>',
        )
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def xlsx_bomb(expanded_bytes: int) -> bytes:
    """A real XLSX package with one part that expands to `expanded_bytes` of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types><Override PartName="/xl/workbook.xml" ContentType="{EXCEL_MAIN}"/></Types>',
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            chunk = b"0" * (1024 * 1024)
            for _ in range(expanded_bytes // len(chunk) + 1):
                part.write(chunk)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def draft(call: Call | None = None, *, user: Any = None, organisation: Any = None, **fields: Any) -> Proposal:
    if user is None:
        user, organisation = member()
    values = {"title": "Islamabad Tier-IV campus", "summary": "We build a Tier IV data center in Islamabad.", **fields}
    recipient = fields.pop("recipient", None)
    values.pop("recipient", None)
    return services.proposal_create(
        actor=user, organisation=organisation, call=call, recipient=recipient, fields=values
    )


def submitted(call: Call, *, user: Any = None, organisation: Any = None, **fields: Any) -> Proposal:
    if user is None:
        user, organisation = member()
    proposal = draft(call, user=user, organisation=organisation, **fields)
    services.proposal_document_add(actor=user, proposal=proposal, upload=upload("offer.pdf", PDF_BYTES))
    return services.proposal_submit(actor=user, proposal=proposal)


def past_deadline(call: Call) -> None:
    """The call's deadline has passed (what the clock would do)."""
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    call.refresh_from_db()
