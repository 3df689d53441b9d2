"""The advisor's reason codes in the reader's language (the engine builds no sentence)."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from silkbridge.directory.models import Sector
from silkbridge.zones.choices import MustHave, SpaceKind
from silkbridge.zones.engine.advisor import Reason

REASONS: dict[str, Any] = {
    "zone_withdrawn": _("The zone has been withdrawn."),
    "sector_match": _("Sector fit %(fit)s: the zone focuses on %(sectors)s."),
    "sector_none": _("The zone's sector focus does not include yours."),
    "sector_not_stated": _("Your request names no sector, so sector fit counts half."),
    "sector_zone_unknown": _("The zone's sector focus is not known."),
    "space_enough": _("%(kind)s: %(available)s available, %(asked)s asked."),
    "space_short": _("%(kind)s: only %(available)s available, %(asked)s asked."),
    "space_unknown": _("%(kind)s available is not known (%(asked)s asked)."),
    "power_enough": _("Power: %(available)s kW available, %(asked)s kW asked."),
    "power_short": _("Power: only %(available)s kW available, %(asked)s kW asked."),
    "power_unknown": _("Power available is not known (%(asked)s kW asked)."),
    "incentives_stz": _(
        "STZ incentives apply: income tax, sales tax, customs and property tax exemptions for 10 years (STZA Act 2021)."
    ),
    "incentives_sez": _(
        "SEZ incentives apply: one-time customs exemption on capital goods and an income-tax holiday (SEZ Act 2012)."
    ),
    "incentives_none": _("No zone incentive regime applies."),
    "must_have_met": _("Must-have met: %(must_have)s."),
    "must_have_missed": _("Must-have missing: %(must_have)s."),
    "must_have_unknown": _("Must-have not known: %(must_have)s."),
    "city_preferred": _("In %(city)s, one of your preferred cities."),
    "city_not_preferred": _("In %(city)s, not one of your preferred cities."),
    "partners_none": _("No matched Pakistani partners to measure distances to yet."),
    "location_unknown": _("The zone's location is not known, so distances to partners are not known."),
    "partners_near": _("Nearest matched partner %(nearest_km)s km away; %(close)s of %(partners)s within 100 km."),
    "partners_far": _("Nearest matched partner %(nearest_km)s km away: far from all of them."),
    "airport_distance": _("%(km)s km to the nearest international airport."),
    "airport_unknown": _("Distance to an international airport is not known."),
}

DATA_CENTER_TIER = _("data center of Tier %(tier)s or better")


def _number(value: object) -> str:
    assert isinstance(value, int | float)
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def _must_have(params: dict[str, object]) -> str:
    if params["must_have"] == MustHave.DATA_CENTER:
        return str(DATA_CENTER_TIER % {"tier": params["tier"]})
    return str(MustHave(str(params["must_have"])).label)


def reason_text(reason: Reason, sector_names: dict[str, str]) -> str:
    """One reason as a sentence in the active language."""
    params = dict(reason.params)
    values: dict[str, object] = {}
    for name, value in params.items():
        if name in {"asked", "available", "nearest_km", "km"}:
            values[name] = _number(value)
        else:
            values[name] = value
    if "kind" in params:
        values["kind"] = str(SpaceKind(str(params["kind"])).label)
    if "must_have" in params:
        values["must_have"] = _must_have(params)
    if "sectors" in params:
        codes = params["sectors"]
        assert isinstance(codes, tuple)
        values["sectors"] = ", ".join(sector_names.get(str(code), str(code)) for code in codes)
    return str(REASONS[reason.code] % values) if values else str(REASONS[reason.code])


def sector_names() -> dict[str, str]:
    """Every sector's name in the reader's language, by code."""
    return {sector.code: sector.name for sector in Sector.objects.all()}
