"""Writes and advice for relocation requests. Each takes the actor and checks it here, for page and API.

Bad input (an unknown zone, city, sector or must-have, a Tier outside 1-4) raises a ValidationError
whose keys name the fields, before anything is written: the request stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from silkbridge.directory.models import Organisation, Sector
from silkbridge.directory.selectors import is_member
from silkbridge.zones import hooks
from silkbridge.zones.choices import MustHave, SpaceKind, ZoneKind, ZoneStatus
from silkbridge.zones.engine.advisor import Advice, Advisor, Point, RequestNeeds, ZoneFacts
from silkbridge.zones.models import RelocationRequest, Zone
from silkbridge.zones.relocation_selectors import can_manage, zones_for_advice
from silkbridge.zones.services import cities_known, city_key

REGIME_OF_KIND = {ZoneKind.STZ: "stz", ZoneKind.SEZ: "sez", ZoneKind.IT_PARK: "none"}


@dataclass(frozen=True)
class RelocationRequestData:
    """What a company files; every list names things by their codes or English names."""

    title: str
    language: str = "en"
    activities: str = ""
    sectors: list[str] = field(default_factory=list)
    space_kind: str = SpaceKind.OFFICE
    space_amount: int | None = None
    power_kw: int | None = None
    data_center_tier: int | None = None
    staff_to_hire: int | None = None
    staff_to_bring: int | None = None
    move_by: date | None = None
    budget_usd: int | None = None
    preferred_cities: list[str] = field(default_factory=list)
    must_haves: list[str] = field(default_factory=list)
    # Zone keys; None on a change: leave whom it is shared with as it is (an API client that sends the
    # request back without the list must not un-share it).
    shared_with: list[str] | None = None


# Upper bounds that no real request reaches (a number past them is a typing error), the same for the page
# and the API, and within every database's integer column.
LIMITS = {
    "space_amount": 10_000_000,
    "power_kw": 10_000_000,
    "staff_to_hire": 1_000_000,
    "staff_to_bring": 1_000_000,
    "budget_usd": 1_000_000_000_000,
}


def _resolve(data: RelocationRequestData) -> tuple[list[Sector], list[Zone]]:
    """The sectors and zones named, or a ValidationError naming every unknown one by its field."""
    errors: dict[str, list[str]] = {}
    sectors = list(Sector.objects.filter(code__in=data.sectors))
    unknown_sectors = sorted(set(data.sectors) - {sector.code for sector in sectors})
    if unknown_sectors:
        errors["sectors"] = [_("Unknown sector: %(codes)s.") % {"codes": ", ".join(unknown_sectors)}]
    shared_with = data.shared_with or []
    zones = list(Zone.objects.filter(key__in=shared_with))
    unknown_zones = sorted(set(shared_with) - {zone.key for zone in zones})
    if unknown_zones:
        errors["shared_with"] = [_("Unknown zone: %(keys)s.") % {"keys": ", ".join(unknown_zones)}]
    unknown_cities = sorted(set(data.preferred_cities) - set(cities_known()))
    if unknown_cities:
        errors["preferred_cities"] = [
            _("Unknown city: %(cities)s. Choose among the cities that have zones.")
            % {"cities": ", ".join(unknown_cities)}
        ]
    unknown_must_haves = sorted(set(data.must_haves) - set(MustHave.values))
    if unknown_must_haves:
        errors["must_haves"] = [_("Unknown must-have: %(names)s.") % {"names": ", ".join(unknown_must_haves)}]
    for name, limit in LIMITS.items():
        value = getattr(data, name)
        if value is not None and value > limit:
            errors[name] = [_("At most %(limit)s.") % {"limit": f"{limit:,}"}]
    if not data.title.strip():
        errors["title"] = [_("Give the request a title.")]
    latest = date.today() + timedelta(days=366 * 30)
    if data.move_by is not None and not date(2000, 1, 1) <= data.move_by <= latest:
        errors["move_by"] = [_("Give a date from 2000 to thirty years from now.")]
    if errors:
        raise ValidationError(errors)
    return sectors, zones


# The request's fields that are copied as they are, from the form or the API to the row and back.
SCALAR_FIELDS = (
    "title",
    "language",
    "activities",
    "space_kind",
    "space_amount",
    "power_kw",
    "data_center_tier",
    "staff_to_hire",
    "staff_to_bring",
    "move_by",
    "budget_usd",
)


def _apply(relocation_request: RelocationRequest, data: RelocationRequestData) -> None:
    for name in SCALAR_FIELDS:
        setattr(relocation_request, name, getattr(data, name))
    relocation_request.title = data.title.strip()
    relocation_request.preferred_cities = sorted(set(data.preferred_cities))
    relocation_request.must_haves = sorted(set(data.must_haves))


@transaction.atomic
def relocation_request_create(
    *, actor: Any, organisation: Organisation, data: RelocationRequestData
) -> RelocationRequest:
    """File a request for the actor's company (its members, or staff)."""
    if not (getattr(actor, "is_staff", False) or is_member(actor, organisation)):
        raise PermissionDenied(_("Only the company's members can file a relocation request for it."))
    sectors, zones = _resolve(data)
    relocation_request = RelocationRequest(organisation=organisation, created_by=actor)
    _apply(relocation_request, data)
    relocation_request.full_clean()
    relocation_request.save()
    relocation_request.sectors.set(sectors)
    relocation_request.shared_with.set(zones)
    return relocation_request


@transaction.atomic
def relocation_request_update(
    *, actor: Any, relocation_request: RelocationRequest, data: RelocationRequestData
) -> RelocationRequest:
    """Change a request, and whom it is shared with (the company's members, or staff)."""
    if not can_manage(viewer=actor, relocation_request=relocation_request):
        raise PermissionDenied(_("Only the company's members can change its relocation request."))
    sectors, zones = _resolve(data)
    locked = RelocationRequest.objects.select_for_update().get(pk=relocation_request.pk)
    _apply(locked, data)
    locked.full_clean()
    locked.save()
    locked.sectors.set(sectors)
    if data.shared_with is not None:
        locked.shared_with.set(zones)
    return locked


# --- advice ----------------------------------------------------------------------------------------


def zone_facts(zone: Zone) -> ZoneFacts:
    """A zone as the advisor reads it: None wherever a fact is not known."""
    location = None
    if zone.latitude is not None and zone.longitude is not None:
        location = Point(float(zone.latitude), float(zone.longitude))
    return ZoneFacts(
        key=zone.key,
        regime=REGIME_OF_KIND.get(ZoneKind(zone.kind), "none"),
        status="withdrawn" if zone.status == ZoneStatus.WITHDRAWN else zone.status,
        city=zone.city,
        sectors=frozenset(sector.code for sector in zone.sectors.all()),
        location=location,
        power_available_kw=zone.power_available_kw,
        office_space_m2=zone.office_space_m2,
        plots_available=zone.plots_available,
        racks_available=zone.racks_available,
        has_fibre=zone.has_fibre,
        has_housing=zone.has_housing,
        has_bonded_warehouse=zone.has_bonded_warehouse,
        data_center_tier=zone.data_center_tier,
        airport_km=float(zone.airport_km) if zone.airport_km is not None else None,
    )


def request_needs(relocation_request: RelocationRequest) -> RequestNeeds:
    """The request as the advisor reads it: its stated sectors plus those its activities speak of
    (the matching glossary, through zones.hooks), its partners' cities as points (one per partner
    organisation, met in the marketplace or at events)."""
    sectors = {sector.code for sector in relocation_request.sectors.all()}
    if relocation_request.activities:
        terms = hooks.relocation_terms.ask(
            {"sectors": [], "concepts": []}, text=relocation_request.activities, language=relocation_request.language
        )
        sectors |= set(terms["sectors"])
    # A partner's city as its address writes it ("lahore ", "LAHORE"): compared without case and spaces.
    cities = {city_key(name): city for name, city in cities_known().items()}
    organisation_id = relocation_request.organisation_id
    partner_cities = {
        **hooks.partner_cities.ask({}, organisation_id=organisation_id),
        **hooks.event_partner_cities.ask({}, organisation_id=organisation_id),
    }
    partners = tuple(
        Point(float(cities[city_key(city)]["latitude"]), float(cities[city_key(city)]["longitude"]))
        for _partner, city in sorted(partner_cities.items())
        if city and city_key(city) in cities
    )
    return RequestNeeds(
        sectors=frozenset(sectors),
        space_kind=relocation_request.space_kind,
        space_amount=relocation_request.space_amount,
        power_kw=relocation_request.power_kw,
        data_center_tier=relocation_request.data_center_tier,
        must_haves=frozenset(relocation_request.must_haves),
        preferred_cities=frozenset(relocation_request.preferred_cities),
        partners=partners,
    )


@dataclass(frozen=True)
class ZoneAdvice:
    zone: Zone
    advice: Advice


def relocation_advice(*, actor: Any, relocation_request: RelocationRequest) -> list[ZoneAdvice]:
    """Every zone ranked for the request (its company's members and staff only). A hundred zones rank in
    a few milliseconds (docs/benchmarks.md), so this runs in the request, not as a task."""
    if not can_manage(viewer=actor, relocation_request=relocation_request):
        raise PermissionDenied(_("Only the company's members can see how zones rank for its request."))
    zones = {zone.key: zone for zone in zones_for_advice()}
    ranked = Advisor(zone_facts(zone) for zone in zones.values()).rank(request_needs(relocation_request))
    return [ZoneAdvice(zones[advice.zone_key], advice) for advice in ranked]
