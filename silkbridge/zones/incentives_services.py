"""Writes and runs for the incentive calculator: loading the rates file, staff edits with history,
and the calculation itself (input checked, zone known, rates from the database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from silkbridge.core.budgets import Budget, Charge, usage_charge, usage_refund
from silkbridge.directory.loaders import LoadReport, read_yaml
from silkbridge.zones.engine.incentives import (
    IncentiveError,
    calculation_to_dict,
    incentive_document_read,
    incentives_calculate,
    projection_from_document,
)
from silkbridge.zones.incentives_models import IncentiveRate, IncentiveRateChange
from silkbridge.zones.incentives_selectors import incentive_rate_book
from silkbridge.zones.models import Zone

RATES_FILE = Path(__file__).resolve().parent / "data" / "incentive_rates.yaml"
RATE_FIELDS = ("value", "basis", "legal_source", "source_url", "note")


def _rate_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "value": Decimal(str(data["value"])),
        "basis": data["basis"],
        "legal_source": data["legal_source"],
        "source_url": data.get("source_url") or "",
        "note": data.get("note") or "",
    }


SEEDED = "seeded"  # the action of a history row written by loading the rates file (no actor)


def incentive_rates_load_into(rate_model: Any, change_model: Any, path: Path = RATES_FILE) -> LoadReport:
    """Add the file's rates to `rate_model`, with a history row each in `change_model` (the real models
    or a migration's historical ones).

    The rule: a kind of rate is loaded from the file only while no person has ever changed that kind,
    that is while its history holds nothing but rows this loader wrote (action "seeded", no actor).
    Once staff create, change or delete any rate of a kind, staff own that kind: loading the file again
    leaves it as they made it, and never brings back a rate they deleted or re-dated. Until then a rate
    the file adds later is added. Rates left alone count as "unchanged"."""
    report = LoadReport()
    owned_by_staff = set(change_model.objects.exclude(action=SEEDED).values_list("kind", flat=True))
    for data in read_yaml(path):
        valid_from = data["valid_from"]
        valid_from = valid_from if isinstance(valid_from, date) else date.fromisoformat(valid_from)
        if data["kind"] in owned_by_staff:
            report.count("unchanged")
            continue
        values = _rate_values(data)
        rate, created = rate_model.objects.get_or_create(kind=data["kind"], valid_from=valid_from, defaults=values)
        if created:
            after = {
                "kind": rate.kind,
                "valid_from": str(valid_from),
                **{name: str(values[name]) for name in RATE_FIELDS},
            }
            change_model.objects.create(
                rate=rate,
                kind=rate.kind,
                valid_from=valid_from,
                action=SEEDED,
                changes={
                    "source": [None, f"seeded from {path.name}"],
                    **{name: [None, value] for name, value in after.items()},
                },
                actor=None,
            )
        report.count("created" if created else "unchanged")
    return report


@transaction.atomic
def incentive_rates_load(path: Path = RATES_FILE) -> LoadReport:
    return incentive_rates_load_into(IncentiveRate, IncentiveRateChange, path)


def _staff_check(actor: Any) -> None:
    if not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("Only staff may do this."))


def _snapshot(rate: IncentiveRate) -> dict[str, str]:
    return {name: str(getattr(rate, name)) for name in ("kind", "valid_from", *RATE_FIELDS)}


@transaction.atomic
def incentive_rate_save(*, actor: Any, rate: IncentiveRate) -> IncentiveRate:
    """Staff create or change a rate; the values before and after are kept in the same transaction."""
    _staff_check(actor)
    before = _snapshot(IncentiveRate.objects.get(pk=rate.pk)) if rate.pk else {}
    rate.full_clean()
    rate.save()
    after = _snapshot(rate)
    changes = {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}
    if changes:
        IncentiveRateChange.objects.create(
            rate=rate,
            kind=rate.kind,
            valid_from=rate.valid_from,
            action="updated" if before else "created",
            changes=changes,
            actor=actor,
        )
    return rate


@transaction.atomic
def incentive_rate_delete(*, actor: Any, rate: IncentiveRate) -> None:
    _staff_check(actor)
    IncentiveRateChange.objects.create(
        rate=None,
        kind=rate.kind,
        valid_from=rate.valid_from,
        action="deleted",
        changes={name: [value, None] for name, value in _snapshot(rate).items()},
        actor=actor,
    )
    rate.delete()


def incentives_run(*, document: dict[str, Any]) -> dict[str, Any]:
    """The calculation for a parsed input document, as JSON-ready data; IncentiveError names the field.

    Reads only (nothing is stored). A named zone must exist; its kind says which regime applies to it."""
    projection = projection_from_document(document)
    zone_regime = ""
    if projection.zone:
        zone = Zone.objects.filter(key=projection.zone).only("kind").first()
        if zone is None:
            raise IncentiveError("zone", "unknown_zone", key=projection.zone)
        zone_regime = {"stz": "stz", "sez": "sez"}.get(zone.kind, "ordinary")
    result = calculation_to_dict(incentives_calculate(projection, incentive_rate_book()))
    result["zone_regime"] = zone_regime
    return result


def incentives_run_text(*, text: str) -> dict[str, Any]:
    """The same from untrusted JSON text: size and depth are checked before it is parsed."""
    return incentives_run(document=incentive_document_read(text))


def incentive_pdf_budget() -> Budget:
    """Each user's hourly allowance of calculator PDFs (WeasyPrint renders them in the request), counted
    in PDFs and in the tax years they cover, as the data-center assessments are counted."""
    pdfs = settings.INCENTIVE_PDFS_PER_HOUR
    return Budget(
        resource="zones.incentive_pdf",
        max_runs=pdfs,
        max_units=pdfs * 10,
        runs_label=_("PDF reports"),
        units_label=_("tax years"),
    )


def incentive_pdf_charge(*, actor: Any, years: int) -> Charge:
    """Charge one PDF of `years` tax years to the signed-in actor's hourly budget (BudgetExceeded when
    spent); the caller gives it back with `incentive_pdf_refund` if the PDF cannot be rendered."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to download the PDF."))
    return usage_charge(user=actor, budget=incentive_pdf_budget(), units=max(1, years))


def incentive_pdf_refund(*, charge: Charge) -> None:
    usage_refund(charge=charge)
