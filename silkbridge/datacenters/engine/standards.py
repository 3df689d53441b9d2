"""TIA-942 ratings and EN 50600 availability classes approximated from the Uptime topology analysis.

Neither standard is evaluated on its own terms: both are mapped from the same criteria, per
subsystem, because that is how both are organised (TIA-942 rates telecom, architectural,
electrical and mechanical separately and the overall rating is the lowest; EN 50600 gives an
availability class per infrastructure: power in EN 50600-2-2, environmental control in -2-3).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .topology import Criterion

TIA942_NOTE = (
    "Approximation. TIA-942 is a prescriptive standard rated per subsystem (telecom, architectural, electrical, "
    "mechanical) and audited by third parties; the overall rating is the lowest subsystem. Only the electrical and "
    "mechanical subsystems are derived here, from the Uptime topology criteria, so the overall rating is an upper "
    "bound. TIA-942's own checklists are not evaluated. It is not an Uptime Tier."
)
EN50600_NOTE = (
    "Approximation. EN 50600 (ISO/IEC 22237) gives an availability class per infrastructure, chosen from a "
    "business-risk analysis: 1 single path, 2 redundant components, 3 multiple paths, concurrently repairable and "
    "operable, 4 fault tolerant. Derived here from the capacity, redundancy, path, maintenance and fault criteria "
    "only (not fuel, generator rating, compartments or continuous cooling), with the utility treated as absent for "
    "classes 3 and 4, which EN 50600 does not require. There is no exclusive certifier. It is not an Uptime Tier."
)

# The criteria each EN 50600 class rests on (codes from topology.CRITERIA), by the class that needs them.
EN50600_CRITERIA = {
    "capacity_n": 1,
    "redundant_components": 2,
    "distribution_paths": 3,
    "concurrent_maintainability": 3,
    "active_paths": 4,
    "fault_tolerance": 4,
}


@dataclass(frozen=True)
class StandardEquivalent:
    """A rating under another standard: per subsystem (power/electrical, cooling/mechanical) and overall."""

    standard: str
    power: int  # 0 = not even the lowest rating/class
    cooling: int
    overall: int  # lowest of the two
    label: str  # e.g. "Rated-3" or "Availability Class 3"; "none" when overall is 0
    note: str


def system_level(criteria: Iterable[Criterion], system: str, levels: dict[str, int] | None = None) -> int:
    """Highest level whose criteria (and those below) have no failure affecting `system`."""
    failing_levels = [
        (levels[criterion.code] if levels is not None else criterion.tier_required)
        for criterion in criteria
        if (levels is None or criterion.code in levels) and any(reason.system == system for reason in criterion.reasons)
    ]
    return min([4, *(level - 1 for level in failing_levels)])


def tia942_equivalent(criteria: list[Criterion]) -> StandardEquivalent:
    power = system_level(criteria, "power")
    cooling = system_level(criteria, "cooling")
    overall = min(power, cooling)
    return StandardEquivalent(
        standard="TIA-942-C",
        power=power,
        cooling=cooling,
        overall=overall,
        label=f"Rated-{overall}" if overall else "none",
        note=TIA942_NOTE,
    )


def en50600_equivalent(criteria: list[Criterion]) -> StandardEquivalent:
    power = system_level(criteria, "power", EN50600_CRITERIA)
    cooling = system_level(criteria, "cooling", EN50600_CRITERIA)
    overall = min(power, cooling)
    return StandardEquivalent(
        standard="EN 50600-1 / ISO/IEC 22237",
        power=power,
        cooling=cooling,
        overall=overall,
        label=f"Availability Class {overall}" if overall else "none",
        note=EN50600_NOTE,
    )
