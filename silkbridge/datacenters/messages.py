"""The engines' message codes in the reader's language.

Every code an engine can emit (parse issues, Tier criteria and reasons, availability and energy
notes) has an entry here, written with gettext so that `make messages` extracts it and the
translation test fails when a translation is missing. Parameters are filled with %-formatting.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Any] = {
    # Errors in a design document (engine/parse.py). The place in the document is shown beside them.
    "too_large": _("the document is larger than %(limit_bytes)s bytes"),
    "syntax": _("the document cannot be read at line %(line)s, column %(column)s: %(problem)s"),
    "too_complex": _("the document is nested too deeply or expands too far (limit %(limit)s)"),
    "unsupported_yaml": _(
        "the document uses YAML anchors, aliases, tags or directives, "
        "which a design does not allow (found: %(feature)s)"
    ),
    "duplicate_key": _("the key “%(key)s” appears twice"),
    "not_a_mapping": _("must be a mapping of keys to values, not %(found)s"),
    "required": _("“%(key)s” is required"),
    "wrong_type": _("must be %(expected)s"),
    "not_finite": _("must be a finite number"),
    "below_minimum": _("must be at least %(limit)s"),
    "not_above": _("must be greater than %(limit)s"),
    "above_maximum": _("must be at most %(limit)s"),
    "not_allowed": _("must be one of: %(allowed)s"),
    "unknown_key": _("unknown key “%(key)s” (a typing mistake?)"),
    "too_short": _("is too short (at least %(limit)s)"),
    "too_long": _("is too long (at most %(limit)s)"),
    "too_many": _("has too many items (at most %(limit)s)"),
    "bad_format": _("may contain only letters, digits and the characters in %(pattern)s"),
    "not_unique": _("has repeated entries"),
    "invalid": _("is not valid: %(detail)s"),
    "duplicate_id": _("the id “%(id)s” is already used at %(first)s"),
    "unknown_component": _("no component has the id “%(id)s”"),
    "cross_system_path": _("a path cannot join a power component (%(from)s) and a cooling component (%(to)s)"),
    "path_loop": _("path %(id)s leads from a component to itself"),
    "fuel_line_target": _("fuel line %(id)s must end at a generator, not at %(to)s"),
    "fuel_line_source": _("path %(id)s leads into a fuel tank; fuel lines run from tanks to generators"),
    "powered_by_not_power": _("“%(id)s” is a %(kind)s, not a power component"),
    "no_source": _("the %(system)s system has no source (utility feed or generator; chiller or CRAC)"),
    "sink_unreachable": _("no chain of paths leads from a source to %(sink)s in the %(system)s system"),
    "internal_error": _("the design could not be read because of a fault in Silkbridge (%(detail)s); please report it"),
    "file_too_large": _("the file is too large"),
    "not_utf8": _("the file is not UTF-8 text"),
    "years_out_of_range": _("the number of simulated years must be between %(low)d and %(high)d"),
    "epw_invalid": _("the weather file is not a valid EPW file: %(reason)s"),
    # Tier criteria (engine/topology.py), by `criterion.<code>`.
    "criterion.dedicated_infrastructure": _("Dedicated site infrastructure: UPS, engine generator, cooling"),
    "criterion.capacity_n": _("Capacity: N reaches the IT load and the heat load"),
    "criterion.fuel_storage": _("Fuel storage: at least 12 h at N"),
    "criterion.redundant_components": _("Redundant capacity components (N+R)"),
    "criterion.distribution_paths": _("Distribution paths: one active and one alternate"),
    "criterion.concurrent_maintainability": _("Concurrent maintainability of every component and path"),
    "criterion.generators_primary": _("Engine generators as the primary power source"),
    "criterion.fuel_storage_maintainable": _("Fuel storage: 12 h at N counting only maintainable storage"),
    "criterion.active_paths": _("Distribution paths: two simultaneously active"),
    "criterion.fault_tolerance": _("Fault tolerance: any single failure leaves N"),
    "criterion.compartmentalisation": _("Compartmentalisation of complementary systems"),
    "criterion.continuous_cooling": _("Continuous cooling"),
    # Why a criterion fails, naming the elements responsible.
    "ups_missing": _("no UPS system feeds the IT load"),
    "generator_missing": _("no engine generator feeds the IT load"),
    "cooling_missing": _("no dedicated cooling (chiller or CRAC) serves the heat load"),
    "generators_cannot_carry_load": _(
        "the engine generators alone deliver only %(delivered_kw)s of %(demand_kw)s kW to %(sink)s"
    ),
    "load_not_met": _("only %(delivered_kw)s of %(demand_kw)s kW of %(system)s reach %(sink)s"),
    "fuel_maintainable_below_minimum": _(
        "with tank %(element)s (%(largest_hours)s h) out for maintenance, the others deliver %(hours)s h at N; "
        "at least %(minimum_hours)s h is required"
    ),
    "no_redundancy": _(
        "%(group)s: %(installed_units)s unit(s) installed, %(units_needed)s needed for N (%(scheme)s): "
        "no redundant unit"
    ),
    "too_few_paths": _(
        "%(system)s: %(total)s independent distribution path(s) to %(sink)s; %(required)s are required "
        "(one may be an alternate)"
    ),
    "too_few_active_paths": _(
        "%(system)s: %(active)s independent active distribution path(s) to %(sink)s; %(required)s active are required"
    ),
    "maintenance_drops_load": _(
        "%(element)s (%(element_kind)s): taking it out for maintenance leaves %(delivered_kw)s of %(demand_kw)s kW "
        "of %(system)s at %(sink)s — fails concurrent maintainability"
    ),
    "fault_drops_load": _(
        "%(element)s (%(element_kind)s): a fault there drops the %(system)s of %(sink)s to %(delivered_kw)s of "
        "%(demand_kw)s kW — fails fault tolerance"
    ),
    "compartment_drops_load": _(
        "a fire in compartment %(compartment)s (holding %(elements)s) leaves %(delivered_kw)s of %(demand_kw)s kW "
        "of %(system)s at %(sink)s — fails compartmentalisation"
    ),
    "compartment_missing": _(
        "%(count)s component(s) state no compartment, so their separation cannot be shown: %(elements)s"
    ),
    "standby_generator": _(
        "%(element)s is standby-rated (limited running hours); Tier III and IV need generators rated without a "
        "runtime limit at the design load"
    ),
    "no_continuous_cooling": _(
        "while the engine generators start (UPS power and thermal storage only), %(delivered_kw)s of "
        "%(demand_kw)s kW of cooling reach %(sink)s; stopped: %(elements)s"
    ),
    "thermal_storage_too_short": _(
        "%(element)s rides through %(minutes)s min, below the %(minimum_minutes)s min assumed for generator start "
        "and chiller restart"
    ),
    "capacity_limited_by": _("what limits the %(system)s reaching %(sink)s, at full capacity: %(units)s"),
    # Report-only: reasons of the same effect grouped, each culprit named once (report.py).
    "maintenance_drops_load_group": _(
        "taking any one of these out for maintenance leaves %(delivered_kw)s of %(demand_kw)s kW of %(system)s at "
        "%(sink)s — fails concurrent maintainability: %(elements)s"
    ),
    "fault_drops_load_group": _(
        "a fault in any one of these drops the %(system)s of %(sink)s to %(delivered_kw)s of %(demand_kw)s kW — "
        "fails fault tolerance: %(elements)s"
    ),
    "ups_ride_through_too_short": _(
        "%(element)s (UPS feeding cooling) rides through %(minutes)s min, below the %(minimum_minutes)s min "
        "assumed for generator start and chiller restart; the cooling it feeds is counted as stopped"
    ),
    "prime_generator_accepted": _(
        "%(element)s is prime-rated: accepted on the condition that the manufacturer allows unlimited hours at "
        "the design load"
    ),
    "compartment_with_load_exempt": _(
        "compartment %(compartment)s holds %(sink)s; a fire there is tested on everything in it except the load "
        "and what must stand beside it (%(elements)s)"
    ),
    # Warnings: valid but physically odd designs.
    "ups_capacity_below_load": _("the UPS capacity (%(ups_kw)s kW) is below the IT load (%(it_load_kw)s kW)"),
    "generator_capacity_below_load": _(
        "the generator capacity (%(generator_kw)s kW) is below the IT load (%(it_load_kw)s kW)"
    ),
    "cooling_capacity_below_load": _(
        "the cooling capacity (%(cooling_kw)s kW) is below the heat load (%(heat_load_kw)s kW)"
    ),
    "no_fuel_storage": _("the design stores no fuel for its generators"),
    "fuel_below_minimum": _("fuel for %(hours)s hours is below the %(minimum_hours)s hours every Tier requires"),
    "tank_not_connected": _("fuel tank %(id)s feeds no generator"),
    "generator_rating_missing": _("generator %(id)s has no ISO 8528 rating (standby, prime, continuous)"),
    "standby_generator_at_claimed_tier": _(
        "generator %(id)s is standby-rated, which Tier %(claimed_tier)s does not accept"
    ),
    "prime_generator_at_claimed_tier": _(
        "generator %(id)s is prime-rated: at Tier %(claimed_tier)s it must run at design load without a time limit"
    ),
    "efficiency_out_of_range": _("the efficiency of %(id)s (%(efficiency)s) is implausible"),
    "rack_density_without_continuous_cooling": _(
        "%(rack_density_kw)s kW per rack is above %(limit_kw)s kW, where continuous cooling is advised"
    ),
    "no_compartments_at_claimed_tier": _("Tier %(claimed_tier)s is claimed, but no component names a compartment"),
    "unconnected_component": _("%(id)s is connected to nothing"),
    "energy.ups_assumed": _("no UPS with a capacity in the design: the estimate assumes N+1 (3+1 modules)"),
    "energy.transformer_assumed": _(
        "no transformer with a capacity in the design: the estimate assumes 2 kW per kW of IT"
    ),
    "energy.ups_undersized": _("UPS capacity %(ups_kw)s kW is below the IT load %(it_load_kw)s kW"),
    "energy.climate_low_quality": _(
        "the climate normals for this city come from a low-quality source: treat the PUE as rough"
    ),
    "ups_backed_contradicted": _(
        "marked ups_backed, but nothing they are powered by (%(feeders)s) is fed from a UPS, so they are "
        "counted as stopping while the generators start: %(ids)s"
    ),
    "ups_backed_without_feeder": _(
        "%(id)s is marked ups_backed but names no powered_by: the flag is believed only while a UPS of the design "
        "rides through the generator start; name the board that feeds it"
    ),
    "heat_load_below_it_load": _("the heat load (%(heat_load_kw)s kW) is below the IT load (%(it_load_kw)s kW)"),
}


# Words the engines pass as parameter values; translated before they are put into a message.
WORDS: dict[str, Any] = {
    "power": _("power"),
    "cooling": _("cooling"),
    "generators": _("generators"),
    "ups_modules": _("UPS modules"),
    "cooling_units": _("cooling units"),
    "crah": _("CRAH units"),
    "pumps": _("pumps"),
    "heat_rejection": _("heat rejection"),
    "below N": _("below N"),
    "utility": _("utility feed"),
    "generator": _("engine generator"),
    "fuel_tank": _("fuel tank"),
    "transformer": _("transformer"),
    "ats": _("automatic transfer switch"),
    "switchgear": _("switchgear"),
    "ups": _("UPS"),
    "sts": _("static transfer switch"),
    "pdu": _("PDU"),
    "busway": _("busway"),
    "it_load": _("IT load"),
    "chiller": _("chiller"),
    "cooling_tower": _("cooling tower"),
    "dry_cooler": _("dry cooler"),
    "pump": _("pump"),
    "heat_exchanger": _("heat exchanger"),
    "thermal_storage": _("thermal storage"),
    "crac": _("CRAC unit"),
    "heat_load": _("heat load"),
    "ups module": _("UPS module"),
    "path": _("path"),
    "fuel line": _("fuel line"),
}
TRANSLATED_PARAMS = frozenset({"system", "group", "element_kind", "kind", "scheme"})


def message_text(code: Any, params: dict[str, Any], fallback: str) -> str:
    """The message for `code` in the active language, or the engine's English text."""
    template = MESSAGES.get(str(code or ""))
    if template is None:
        return fallback
    values = {
        key: str(WORDS[value]) if key in TRANSLATED_PARAMS and isinstance(value, str) and value in WORDS else value
        for key, value in params.items()
    }
    # Parse warnings name a component as `id`, topology reasons as `element`; the same code may be both.
    if "element" in values:
        values.setdefault("id", values["element"])
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return fallback
