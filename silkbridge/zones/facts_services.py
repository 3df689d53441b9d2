"""Writes of zone facts: a developer proposes, staff approve or reject; each approval is history.

Bad input (an unknown fact, a value of the wrong kind or out of range, no source, no date or a date
to come) is refused with a message naming the field before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.zones.facts_models import ZoneFactChange, ZoneFactField, ZoneFactStatus
from silkbridge.zones.facts_selectors import can_propose_zone_facts, can_review_zone_facts
from silkbridge.zones.models import Zone

COUNT_FIELDS = ("power_available_kw", "office_space_m2", "plots_available", "racks_available")
YES_NO_FIELDS = ("has_fibre", "has_housing", "has_bonded_warehouse")
DISTANCE_FIELDS = ("airport_km", "seaport_km")
TEXT_LIMITS = {
    "power_redundancy": 100,
    "fibre_carriers": 300,
    "airport_name": 200,
    "seaport_name": 200,
    "contacts": 2000,
}
LARGEST_COUNT = 2_000_000_000
FARTHEST_KM = Decimal("99999.9")
LONGEST_NOTE = 2000  # a note for staff, a rejection's reason (the page's forms take as much)
# What a yes/no fact accepts as text, in the three languages of the site.
YES = {"yes", "true", "1", "y", "是", "有", "ہاں", "جی ہاں"}
NO = {"no", "false", "0", "n", "否", "无", "沒有", "没有", "نہیں"}


@dataclass(frozen=True)
class ZoneFactProposal:
    field: str
    value: Any
    source: str
    source_date: date | str | None
    note: str = ""


def zone_fact_value_parse(field: str, raw: Any) -> Any:
    """The value as stored (JSON: int, bool, str; distances as a decimal string), or ValidationError
    on "value" saying what the fact takes."""
    if field not in ZoneFactField.values:
        raise ValidationError({"field": _("Unknown fact: %(field)s.") % {"field": field}})
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValidationError({"value": _("Enter a value.")})
    text = raw.strip() if isinstance(raw, str) else raw
    if field in YES_NO_FIELDS:
        if isinstance(text, bool):
            return text
        word = str(text).casefold()
        if word in YES or word in NO:
            return word in YES
        raise ValidationError({"value": _("This fact is yes or no.")})
    if field in COUNT_FIELDS or field == "data_center_tier":
        if isinstance(text, bool):
            raise ValidationError({"value": _("Enter a whole number.")})
        try:
            number = int(str(text))
        except ValueError as error:
            raise ValidationError({"value": _("Enter a whole number.")}) from error
        if field == "data_center_tier":
            if not 0 <= number <= 4:
                raise ValidationError({"value": _("A data center Tier is 1 to 4 (0 for none on site).")})
            return number
        if number < 0:
            raise ValidationError({"value": _("This figure cannot be negative.")})
        if number > LARGEST_COUNT:
            raise ValidationError({"value": _("This figure is too large.")})
        return number
    if field in DISTANCE_FIELDS:
        if isinstance(text, bool):
            raise ValidationError({"value": _("Enter a distance in kilometres.")})
        try:
            distance = Decimal(str(text))
        except InvalidOperation as error:
            raise ValidationError({"value": _("Enter a distance in kilometres.")}) from error
        if not distance.is_finite():  # "NaN", "Infinity": no distance at all
            raise ValidationError({"value": _("Enter a distance in kilometres.")})
        if distance < 0:
            raise ValidationError({"value": _("A distance cannot be negative.")})
        if distance > FARTHEST_KM:
            raise ValidationError({"value": _("This figure is too large.")})
        return str(distance.quantize(Decimal("0.1")))
    value = str(text)
    if len(value) > TEXT_LIMITS[field]:
        raise ValidationError(
            {"value": _("At most %(limit)d characters for this fact.") % {"limit": TEXT_LIMITS[field]}}
        )
    return value


def zone_fact_value_to_field(field: str, value: Any) -> Any:
    """The stored value as the Zone field takes it."""
    if field in DISTANCE_FIELDS and value is not None:
        return Decimal(str(value))
    return value


def zone_fact_value_of(zone: Zone, field: str) -> Any:
    """The zone's current value of a fact, as a proposal stores it (null for "not known")."""
    value = getattr(zone, field)
    if value == "" and field in TEXT_LIMITS:
        return None
    if isinstance(value, Decimal):
        return str(value)
    return value


def _source_date(raw: date | str | None) -> date:
    if raw in (None, ""):
        raise ValidationError({"source_date": _("Give the date of the source.")})
    if isinstance(raw, date):
        day = raw
    else:
        try:
            day = date.fromisoformat(str(raw))
        except ValueError as error:
            raise ValidationError({"source_date": _("Enter a date as YYYY-MM-DD.")}) from error
    if day > timezone.localdate():
        raise ValidationError({"source_date": _("The source's date cannot be in the future.")})
    return day


@transaction.atomic
def zone_fact_propose(*, actor: Any, zone: Zone, proposal: ZoneFactProposal) -> ZoneFactChange:
    """A member of the zone's organisation (or staff) proposes a value; the public sees nothing yet."""
    if not can_propose_zone_facts(actor=actor, zone=zone):
        raise PermissionDenied(_("Only the zone developer's members and staff propose changes to its facts."))
    errors: dict[str, list[str]] = {}
    value: Any = None
    day: date | None = None
    try:
        value = zone_fact_value_parse(proposal.field, proposal.value)
    except ValidationError as error:
        errors.update(error.message_dict)
    source = (proposal.source or "").strip()
    if not source:
        errors["source"] = [_("Say where this figure comes from (a document, a page address).")]
    elif len(source) > 500:
        errors["source"] = [_("At most %(limit)d characters for this fact.") % {"limit": 500}]
    try:
        day = _source_date(proposal.source_date)
    except ValidationError as error:
        errors.update(error.message_dict)
    note = (proposal.note or "").strip()
    if len(note) > LONGEST_NOTE:
        errors["note"] = [_("At most %(limit)d characters for this fact.") % {"limit": LONGEST_NOTE}]
    if errors:
        raise ValidationError(errors)
    assert day is not None
    change = ZoneFactChange(
        zone=zone,
        field=proposal.field,
        value=value,
        source=source,
        source_date=day,
        note=note,
        proposed_by=actor,
    )
    change.full_clean()
    change.save()
    return change


def _pending_for_review(actor: Any, change: ZoneFactChange) -> ZoneFactChange:
    if not can_review_zone_facts(actor=actor):
        raise PermissionDenied(_("Only staff approve or reject changes to a zone's facts."))
    locked = ZoneFactChange.objects.select_for_update().get(pk=change.pk)
    if locked.status != ZoneFactStatus.PROPOSED:
        raise ValidationError(
            {"status": _("This change was already decided (%(status)s).") % {"status": locked.get_status_display()}}
        )
    return locked


@transaction.atomic
def zone_fact_approve(*, actor: Any, change: ZoneFactChange) -> ZoneFactChange:
    """Staff approve: the zone takes the value; the row keeps the value it replaced (history)."""
    locked = _pending_for_review(actor, change)
    zone = Zone.objects.select_for_update().get(pk=locked.zone_id)
    locked.old_value = zone_fact_value_of(zone, locked.field)
    new = zone_fact_value_to_field(locked.field, locked.value)
    setattr(zone, locked.field, new)
    zone.full_clean()
    zone.save(update_fields=[locked.field])
    locked.status = ZoneFactStatus.APPROVED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at", "old_value"])
    return locked


@transaction.atomic
def zone_fact_reject(*, actor: Any, change: ZoneFactChange, reason: str) -> ZoneFactChange:
    """Staff reject with a reason the developer reads; the zone is unchanged."""
    reason = (reason or "").strip()
    if not reason and can_review_zone_facts(actor=actor):
        raise ValidationError({"reason": _("Give the developer a reason for the rejection.")})
    if len(reason) > LONGEST_NOTE and can_review_zone_facts(actor=actor):
        raise ValidationError({"reason": _("At most %(limit)d characters for this fact.") % {"limit": LONGEST_NOTE}})
    locked = _pending_for_review(actor, change)
    locked.status = ZoneFactStatus.REJECTED
    locked.reason = reason
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    return locked
