"""The calculator with the rates stored in the database: seeded rates, staff edits with history, the
command line, and refusals that name the field and store nothing."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from silkbridge.accounts.tests.factories import StaffFactory, UserFactory
from silkbridge.zones.engine.incentives import IncentiveError
from silkbridge.zones.incentives_messages import incentive_error_text
from silkbridge.zones.incentives_models import IncentiveRate, IncentiveRateChange
from silkbridge.zones.incentives_services import (
    incentive_rate_delete,
    incentive_rate_save,
    incentive_rates_load,
    incentives_run,
)

pytestmark = pytest.mark.django_db

ONE_YEAR: dict[str, Any] = {
    "first_year": 2027,
    "stz_licence_year": 2027,
    "sez_production_start": "2026-09-01",
    "discount_rate_percent": 10,
    "years": [
        {
            "revenue": 10_000_000,
            "profit": 1_000_000,
            "capital_goods_imported": 2_000_000,
            "local_purchases": 1_000_000,
            "payroll": 3_000_000,
            "property_value": 4_000_000,
        }
    ],
}


def test_seeded_rates_give_the_hand_worked_ordinary_year():
    """Seeded rates for tax year 2027 (from 1 July 2026): income tax 29 %, sales tax 18 %, customs 3 %,
    property 0.5 %, 280 PKR and 7.10 CNY per USD. 1,000,000 x 29 % = 290,000; 1,000,000 x 18 % =
    180,000; 2,000,000 x 3 % = 60,000; 4,000,000 x 0.5 % = 20,000; total 550,000 PKR; 550,000/280 =
    1,964.2857 -> 1,964.29 USD; 550,000 x 7.10/280 = 13,946.4286 -> 13,946.43 CNY. In the Islamabad
    Technopolis (an STZ) licensed in 2027 all four are 0; in a SEZ with production from Sep 2026 (tax
    year 2027) income tax and customs are 0: 180,000 + 20,000 = 200,000."""
    result = incentives_run(document={**ONE_YEAR, "zone": "islamabad-technopolis"})
    ordinary = result["regimes"]["ordinary"]["years"][0]
    assert [ordinary[line] for line in ("income_tax", "sales_tax", "customs_duty", "property_tax")] == [
        "290000",
        "180000",
        "60000",
        "20000",
    ]
    assert (ordinary["total_pkr"], ordinary["total_usd"], ordinary["total_cny"]) == ("550000", "1964.29", "13946.43")
    assert result["regimes"]["stz"]["totals"]["PKR"] == "0"
    assert result["regimes"]["sez"]["totals"]["PKR"] == "200000"
    assert result["zone_regime"] == "stz"


def test_unknown_zone_is_named():
    with pytest.raises(IncentiveError) as caught:
        incentives_run(document={**ONE_YEAR, "zone": "atlantis"})
    assert incentive_error_text(caught.value) == "Zone: no zone has the key “atlantis”"


def test_missing_rate_for_a_year_is_named_not_defaulted():
    """The exchange rates are dated 15 Jan 2026: tax year 2026 starts on 1 July 2025, before them."""
    with pytest.raises(IncentiveError) as caught:
        incentives_run(document={**ONE_YEAR, "first_year": 2026})
    assert incentive_error_text(caught.value) == (
        "Rates: no rate “pkr_per_usd” is dated on or before 2025-07-01 (the start of tax year 2026)"
    )


def test_negative_revenue_named_in_the_readers_language():
    from django.utils import translation

    document = {**ONE_YEAR, "years": [{**ONE_YEAR["years"][0], "revenue": -5}]}
    with pytest.raises(IncentiveError) as caught:
        incentives_run(document=document)
    assert incentive_error_text(caught.value) == "Year 1: Revenue: must not be negative"
    with translation.override("zh-hans"):
        assert "收入" in incentive_error_text(caught.value)


def test_staff_edit_keeps_history_and_loading_again_keeps_the_edit():
    staff = StaffFactory()
    rate = IncentiveRate.objects.get(kind="corporate_income_tax", valid_from=date(2018, 7, 1))
    rate.value = Decimal("30")
    incentive_rate_save(actor=staff, rate=rate)
    change = IncentiveRateChange.objects.exclude(action="seeded").get(rate=rate)
    assert (change.action, change.actor, change.changes) == ("updated", staff, {"value": ["29.0000", "30"]})
    report = incentive_rates_load()
    assert (report.created, report.unchanged) == (0, 7)
    rate.refresh_from_db()
    assert rate.value == Decimal("30")
    incentive_rate_delete(actor=staff, rate=rate)
    assert not IncentiveRate.objects.filter(kind="corporate_income_tax").exists()
    assert IncentiveRateChange.objects.filter(action="deleted", kind="corporate_income_tax").count() == 1


def test_non_staff_cannot_change_a_rate_and_nothing_is_stored():
    rate = IncentiveRate.objects.get(kind="sales_tax", valid_from=date(2023, 2, 14))
    rate.value = Decimal("0")
    with pytest.raises(PermissionDenied):
        incentive_rate_save(actor=UserFactory(), rate=rate)
    rate.refresh_from_db()
    assert rate.value == Decimal("18")
    assert not IncentiveRateChange.objects.exclude(action="seeded").exists()


def test_rate_outside_its_range_is_refused():
    rate = IncentiveRate(kind="sales_tax", value=Decimal("120"), valid_from=date(2030, 7, 1), basis="statute")
    rate.legal_source = "test"
    with pytest.raises(Exception, match="percentage from 0 to 100"):
        incentive_rate_save(actor=StaffFactory(), rate=rate)
    assert not IncentiveRate.objects.filter(valid_from=date(2030, 7, 1)).exists()


def test_command_prints_the_table_and_json(tmp_path, capsys):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(ONE_YEAR), encoding="utf-8")
    call_command("incentives", "calc", str(path))
    out = capsys.readouterr().out
    assert "Indicative figures, not tax advice." in out
    assert "total: 550000 PKR = 13946.43 CNY = 1964.29 USD" in out
    assert json.loads(out[out.index("\n{") :])["regimes"]["sez"]["totals"]["PKR"] == "200000"


def test_command_refuses_deep_input_before_parsing(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")
    with pytest.raises(CommandError, match="larger than 64000 bytes"):
        call_command("incentives", "calc", str(path))
    path.write_text('{"years": [[[[[[[1]]]]]]]}', encoding="utf-8")
    with pytest.raises(CommandError, match="nested deeper than 6 levels; nothing calculated"):
        call_command("incentives", "calc", str(path))


def test_staff_change_a_rate_in_the_admin_and_the_history_shows_it(client):
    from django.urls import reverse

    from silkbridge.accounts.tests.factories import PASSWORD

    staff = StaffFactory(is_superuser=True)
    client.login(email=staff.email, password=PASSWORD)
    rate = IncentiveRate.objects.get(kind="property_tax", valid_from=date(2019, 7, 1))
    form = {
        "kind": rate.kind,
        "value": "0.75",
        "valid_from": "2019-07-01",
        "basis": rate.basis,
        "legal_source": rate.legal_source,
        "source_url": rate.source_url,
        "note": rate.note,
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:zones_incentiverate_change", args=[rate.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    change = IncentiveRateChange.objects.exclude(action="seeded").get(rate=rate)
    assert (change.actor, change.changes) == (staff, {"value": ["0.5000", "0.75"]})


def test_load_reference_keeps_a_rate_staff_deleted_deleted_and_one_they_re_dated_re_dated():
    """Review finding: `load_reference` re-added every seeded (kind, date) that was missing, so a rate
    staff had deleted or moved to another date came back, with no history row."""
    staff = StaffFactory()
    incentive_rate_delete(actor=staff, rate=IncentiveRate.objects.get(kind="corporate_income_tax"))
    moved = IncentiveRate.objects.get(kind="sales_tax", valid_from=date(2023, 2, 14))
    moved.valid_from = date(2023, 3, 1)
    incentive_rate_save(actor=staff, rate=moved)
    history = IncentiveRateChange.objects.count()
    call_command("load_reference", stdout=io.StringIO())
    assert not IncentiveRate.objects.filter(kind="corporate_income_tax").exists()
    assert sorted(IncentiveRate.objects.filter(kind="sales_tax").values_list("valid_from", "value")) == [
        (date(2013, 7, 1), Decimal("17")),
        (date(2023, 3, 1), Decimal("18")),
    ]
    assert IncentiveRateChange.objects.count() == history  # loading wrote nothing


def test_a_fresh_database_gets_every_seeded_rate_with_its_history_row():
    IncentiveRateChange.objects.all().delete()
    IncentiveRate.objects.all().delete()
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    assert "incentive calculator rates: 7 created, 0 updated, 0 unchanged" in out.getvalue()
    seeded = IncentiveRateChange.objects.order_by("kind", "valid_from")
    assert [(change.kind, change.valid_from, change.action, change.actor) for change in seeded] == [
        (rate.kind, rate.valid_from, "seeded", None) for rate in IncentiveRate.objects.order_by("kind", "valid_from")
    ]
    corporate = seeded.get(kind="corporate_income_tax")
    assert corporate.rate == IncentiveRate.objects.get(kind="corporate_income_tax")
    assert corporate.changes["source"] == [None, "seeded from incentive_rates.yaml"]
    assert corporate.changes["value"] == [None, "29"]
    assert len(seeded) == 7
