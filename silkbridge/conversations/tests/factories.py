"""Threads for tests: an accepted interest and a meeting made as the marketplace and events leave them,
real files (a PDF, a PNG drawn byte by byte, a DOCX package) to attach, and a second member per side."""

from __future__ import annotations

import struct
import zlib
from datetime import time
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from silkbridge.accounts.tests.factories import MembershipFactory, UserFactory
from silkbridge.deals.tests.pipeline.factories import accepted_interest
from silkbridge.deals.tests.proposals.factories import PDF_BYTES, docx_bytes
from silkbridge.events.models import Booking, Meeting, MeetingRequest
from silkbridge.events.tests.factories import EventFactory, in_days, register

__all__ = ["PDF_BYTES", "accepted_interest", "docx_bytes"]


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real PNG image (white pixels), made with the format's own chunks."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _row in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def second_member(organisation: Any, **user_fields: Any) -> Any:
    return MembershipFactory(user=UserFactory(**user_fields), organisation=organisation).user


def meeting_between(*, requester_user: Any = None, recipient_user: Any = None) -> tuple[Meeting, Any, Any]:
    """A meeting tomorrow between a Chinese and a Pakistani organisation: (meeting, the requester's
    representative, the recipient's representative)."""
    event = EventFactory(slot_days=[in_days(1)], slot_start=time(10, 0), slot_end=time(10, 30))
    requester_user, recipient_user = requester_user or UserFactory(), recipient_user or UserFactory()
    requester = register(event, user=requester_user, country="CN")
    recipient = register(event, user=recipient_user, country="PK")
    request = MeetingRequest.objects.create(
        event=event, requester=requester, recipient=recipient, created_by=requester_user, status="accepted"
    )
    slot = event.slots.order_by("starts_at").first()
    meeting = Meeting.objects.create(event=event, request=request, slot=slot)
    Booking.objects.bulk_create(
        [Booking(meeting=meeting, participant=side, slot=slot) for side in (requester, recipient)]
    )
    return meeting, requester_user, recipient_user
