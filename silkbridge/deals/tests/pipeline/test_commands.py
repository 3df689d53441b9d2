"""`silkbridge deals remind` (once a day per deal, in the recipient's language) and `silkbridge deals
export` (CSV, XLSX and JSON that parse back to the same rows)."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from silkbridge.accounts.tests.factories import StaffFactory
from silkbridge.deals.models import Deal, DealEvent
from silkbridge.deals.selectors.pipeline import EXPORT_FIELDS
from silkbridge.deals.services import pipeline as services
from silkbridge.directory.tests.factories import OrganisationFactory

from .factories import manual_deal

pytestmark = pytest.mark.django_db


def _remind(capture) -> dict:
    out = StringIO()
    with capture(execute=True):
        call_command("deals", "remind", stdout=out)
    return json.loads(out.getvalue())


def _due(deal: Deal, days_ago: int) -> Deal:
    services.deal_next_step_set(
        actor=deal.owner, deal=deal, next_step="Send the draft MoU", due_on=timezone.localdate()
    )
    Deal.objects.filter(pk=deal.pk).update(next_step_on=timezone.localdate() - timedelta(days=days_ago))
    deal.refresh_from_db()
    return deal


def test_remind_sends_exactly_one_email_in_the_owners_language_and_none_on_a_second_run(
    django_capture_on_commit_callbacks,
):
    owner = StaffFactory(language="zh-hans")
    overdue = _due(manual_deal(staff=owner, title="Tier-IV data center"), days_ago=3)
    later = manual_deal(staff=owner, title="Later")
    services.deal_next_step_set(
        actor=owner, deal=later, next_step="Call", due_on=timezone.localdate() + timedelta(days=5)
    )
    mail.outbox.clear()

    summary = _remind(django_capture_on_commit_callbacks)
    assert summary == {
        "date": timezone.localdate().isoformat(),
        "reminded": 1,
        "deals": [overdue.reference],
        "emails": 1,
    }
    (message,) = mail.outbox
    assert message.to == [owner.email]
    assert "Tier-IV data center" in message.subject
    assert "逾期" in message.subject  # "overdue", in the owner's Chinese
    assert f"/deals/{overdue.reference}/" in message.body
    overdue.refresh_from_db()
    assert overdue.reminded_on == timezone.localdate()
    assert DealEvent.objects.filter(deal=overdue, kind="reminded").get().changes == {"sent_to": "owner"}

    again = _remind(django_capture_on_commit_callbacks)
    assert (again["reminded"], again["emails"]) == (0, 0)
    assert len(mail.outbox) == 1
    assert DealEvent.objects.filter(kind="reminded").count() == 1


def test_a_deal_without_an_owner_reminds_staff_and_closed_deals_are_left_alone(django_capture_on_commit_callbacks):
    first, second = StaffFactory(), StaffFactory()
    ownerless = _due(manual_deal(staff=first, title="Ownerless"), days_ago=0)
    services.deal_update(actor=first, deal=ownerless, fields={"owner": None})
    withdrawn = _due(manual_deal(staff=first, title="Withdrawn"), days_ago=1)
    services.deal_stage_set(actor=first, deal=withdrawn, stage="withdrawn", note="Company left")
    mail.outbox.clear()

    summary = _remind(django_capture_on_commit_callbacks)
    assert summary["deals"] == [ownerless.reference]
    recipients = {address for message in mail.outbox for address in message.to}
    assert {first.email, second.email} <= recipients
    assert all("Ownerless" in message.subject for message in mail.outbox)
    assert DealEvent.objects.get(kind="reminded").changes == {"sent_to": "staff"}


def _export(fmt: str, tmp_path) -> list[dict[str, str]]:
    path = tmp_path / f"deals.{fmt}"
    call_command("deals", "export", "--format", fmt, "--output", str(path), stderr=StringIO())
    if fmt == "json":
        return [
            {name: _text(value) for name, value in record.items()} for record in json.loads(path.read_text())["deals"]
        ]
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    return [{name: _text(value) for name, value in zip(rows[0], row, strict=True)} for row in rows[1:]]


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def test_export_formats_parse_back_to_the_same_rows(tmp_path):
    staff = StaffFactory()
    china, pakistan = OrganisationFactory(country="CN", name_en="Harbin Cloud"), OrganisationFactory(country="PK")
    deal = manual_deal(china, pakistan, staff=staff, title="=cmd|' /C calc'!A0", amount="1500000.50", currency="CNY")
    services.deal_next_step_set(
        actor=staff, deal=deal, next_step="Technical visit", due_on=timezone.localdate() + timedelta(days=10)
    )
    manual_deal(title="大数据平台", staff=staff)

    from_json = _export("json", tmp_path)
    assert [row["title"] for row in from_json] == ["=cmd|' /C calc'!A0", "大数据平台"]
    assert list(from_json[0]) == list(EXPORT_FIELDS)
    first = from_json[0]
    assert (first["stage"], first["amount"], first["currency"], first["next_step"]) == (
        "lead",
        "1500000.50",
        "CNY",
        "Technical visit",
    )
    assert first["parties"].startswith(f"{china.key}: Harbin Cloud (partner); ")
    assert first["countries"] == "CN, PK"
    assert first["owner"] == staff.email
    assert first["next_step_overdue"] == "false"

    from_csv = _export("csv", tmp_path)
    assert from_csv[0]["title"] == "'=cmd|' /C calc'!A0"  # spreadsheet-safe: shown as text, never run
    from_csv[0]["title"] = from_json[0]["title"]
    assert from_csv == from_json
    assert _export("xlsx", tmp_path) == from_json


def test_export_to_standard_output_and_xlsx_needs_a_file():
    manual_deal(title="One")
    out = StringIO()
    call_command("deals", "export", "--format", "json", stdout=out)
    assert [record["title"] for record in json.loads(out.getvalue())["deals"]] == ["One"]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("deals", "export", "--format", "xlsx")
