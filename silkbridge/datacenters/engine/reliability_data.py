"""Default failure/repair figures and grid outage figures, merged with a design's own overrides.

The shipped tables live in `silkbridge/datacenters/data/reliability.yaml` (per component kind and path
kind) and `grids.yaml` (per country and city). Every figure carries its source and whether it was
verified, so the assessment can say which numbers it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path as FilePath
from typing import Any

import yaml

from silkbridge.datacenters.engine.model import Component, Design, Grid, Kind, Path, Reliability, System

HOURS_PER_YEAR = 8760.0
DATA_DIR = FilePath(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class ElementData:
    """The figures used for one element (a component, one module of it, or a path)."""

    element_id: str
    kind: str  # a Kind value, or a path kind: cable, busway, pipe, fuel_line
    failure_rate_per_hour: float  # while in service (for generators: while standing by)
    mttr_hours: float
    fail_to_start: float | None = None
    fail_to_run_per_hour: float | None = None
    maintenance_hours_per_year: float = 0.0
    source: str = ""
    verified: bool = False
    overridden: bool = False

    @property
    def unavailability(self) -> float:
        """Steady-state unavailability of an alternating exponential up/down process."""
        product = self.failure_rate_per_hour * self.mttr_hours
        return product / (1.0 + product)

    def to_dict(self) -> dict[str, Any]:
        return {
            "element": self.element_id,
            "kind": self.kind,
            "failures_per_year": self.failure_rate_per_hour * HOURS_PER_YEAR,
            "mttr_hours": self.mttr_hours,
            "fail_to_start": self.fail_to_start,
            "fail_to_run_per_hour": self.fail_to_run_per_hour,
            "maintenance_hours_per_year": self.maintenance_hours_per_year,
            "source": self.source,
            "verified": self.verified,
            "overridden": self.overridden,
        }


@dataclass(frozen=True)
class GridData:
    outages_per_year: float
    mean_outage_hours: float
    source: str
    verified: bool
    origin: str  # "design", "city:<name>", "country:<code>" or "default"

    @property
    def unavailability(self) -> float:
        return min(self.outages_per_year * self.mean_outage_hours / HOURS_PER_YEAR, 0.999)

    @property
    def mean_up_hours(self) -> float:
        """Mean time between outages, from the end of one to the start of the next."""
        if self.outages_per_year <= 0:
            return float("inf")
        return HOURS_PER_YEAR / self.outages_per_year - self.mean_outage_hours

    def to_dict(self) -> dict[str, Any]:
        return {
            "outages_per_year": self.outages_per_year,
            "mean_outage_hours": self.mean_outage_hours,
            "unavailability": self.unavailability,
            "source": self.source,
            "verified": self.verified,
            "origin": self.origin,
        }


@cache
def reliability_table() -> dict[str, Any]:
    """The parsed reliability.yaml (cached; treat as read-only)."""
    with open(DATA_DIR / "reliability.yaml", encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle))


@cache
def grid_table() -> dict[str, Any]:
    """The parsed grids.yaml (cached; treat as read-only)."""
    with open(DATA_DIR / "grids.yaml", encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle))


@dataclass(frozen=True)
class FuelSupplyData:
    """The refuelling figures used, and which of them are the shipped assumption."""

    interval_hours: float
    lead_time_hours: float
    failure_probability: float
    assumed: tuple[str, ...]  # the fields taken from reliability.yaml `fuel`
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "interval_hours": self.interval_hours,
            "lead_time_hours": self.lead_time_hours,
            "failure_probability": self.failure_probability,
            "assumed": list(self.assumed),
            "source": self.source,
        }


def fuel_supply_data(design: Design, autonomy_hours: float, grid: GridData) -> FuelSupplyData:
    """The site's refuelling, each figure from site.fuel_supply or else the stated default.

    The default interval keeps the tanks above `refill_at_fraction` at the average burn: the site burns
    fuel for the share of the time the grid is down (all the time without a utility).
    """
    table = reliability_table()["fuel"]
    given = design.site.fuel_supply
    assumed = []
    interval = given.interval_hours if given else None
    if interval is None:
        assumed.append("interval_hours")
        burn = grid.unavailability if any(c.kind is Kind.UTILITY for c in design.components) else 1.0
        low, high = float(table["min_interval_hours"]), float(table["max_interval_hours"])
        wanted = autonomy_hours * float(table["refill_at_fraction"]) / burn if burn > 0 else high
        interval = min(max(wanted, low), high)
    lead = given.lead_time_hours if given else None
    if lead is None:
        assumed.append("lead_time_hours")
        lead = float(table["lead_time_hours"])
    failure = given.failure_probability if given else None
    if failure is None:
        assumed.append("failure_probability")
        failure = float(table["failure_probability"])
    source = " ".join(str(table["source"]).split()) if assumed else ""
    if given and given.source:
        source = f"{given.source} {source}".strip()
    return FuelSupplyData(float(interval), float(lead), float(failure), tuple(assumed), source or "Designer's figure.")


def path_kind(design: Design, path: Path) -> str:
    """Cooling paths are pipes; a path out of a fuel tank is a fuel line; a path touching a busway is busway."""
    if path.system is System.COOLING:
        return "pipe"
    kinds = {_kind_of(design, path.source), _kind_of(design, path.target)}
    if Kind.FUEL_TANK in kinds:
        return "fuel_line"
    if Kind.BUSWAY in kinds:
        return "busway"
    return "cable"


def _kind_of(design: Design, component_id: str) -> Kind | None:
    try:
        return design.component(component_id).kind
    except KeyError:
        return None


def _merge(element_id: str, kind: str, row: dict[str, Any], override: Reliability) -> ElementData:
    """Default row plus the designer's override; an override of any field marks the figures as the designer's."""
    failure_rate = float(row.get("failures_per_year", 0.0)) / HOURS_PER_YEAR
    mttr = float(row.get("mttr_hours", 0.0))
    fail_to_start = row.get("fail_to_start")
    fail_to_run = row.get("fail_to_run_per_hour")
    overridden = False
    if override.mtbf_hours is not None:
        failure_rate = 0.0 if override.mtbf_hours <= 0 else 1.0 / override.mtbf_hours
        overridden = True
    if override.mttr_hours is not None:
        mttr = override.mttr_hours
        overridden = True
    if override.fail_to_start is not None:
        fail_to_start = override.fail_to_start
        overridden = True
    if override.fail_to_run_per_hour is not None:
        fail_to_run = override.fail_to_run_per_hour
        overridden = True
    source = " ".join(str(row.get("source", "")).split())
    if overridden:
        source = f"Designer's figure: {override.source or 'no source given'}. Default: {source}"
    return ElementData(
        element_id=element_id,
        kind=kind,
        failure_rate_per_hour=failure_rate,
        mttr_hours=mttr,
        fail_to_start=None if fail_to_start is None else float(fail_to_start),
        fail_to_run_per_hour=None if fail_to_run is None else float(fail_to_run),
        maintenance_hours_per_year=float(row.get("maintenance_hours_per_year", 0.0) or 0.0),
        source=source,
        verified=bool(row.get("verified", False)) and not overridden,
        overridden=overridden,
    )


def component_data(component: Component) -> ElementData:
    """Figures for one component (per module when it has several)."""
    row = reliability_table()["kinds"].get(component.kind.value, {})
    return _merge(component.id, component.kind.value, row, component.reliability)


def path_data(design: Design, path: Path) -> ElementData:
    kind = path_kind(design, path)
    row = reliability_table()["paths"].get(kind, {})
    return _merge(path.id, kind, row, path.reliability)


def element_data(design: Design) -> dict[str, ElementData]:
    """Figures for every component and path of the design, keyed by element id."""
    result = {component.id: component_data(component) for component in design.components}
    result.update({path.id: path_data(design, path) for path in design.paths})
    return result


def grid_data(design: Design) -> GridData:
    """The design's own grid figures, else the city's, else the country's, else the stated default."""
    site = design.site
    if site.grid is not None:
        return _grid_from_model(site.grid)
    table = grid_table()
    city = (site.city or "").strip().lower()
    if city and city in table.get("cities", {}):
        return _grid_from_row(table["cities"][city], f"city:{city}")
    country = (site.country or "").strip().upper()
    if country and country in table.get("countries", {}):
        return _grid_from_row(table["countries"][country], f"country:{country}")
    return _grid_from_row(table["default"], "default")


def _grid_from_model(grid: Grid) -> GridData:
    return GridData(
        outages_per_year=grid.outages_per_year,
        mean_outage_hours=grid.mean_outage_hours,
        source=grid.source or "Designer's figure (no source given).",
        verified=False,
        origin="design",
    )


def _grid_from_row(row: dict[str, Any], origin: str) -> GridData:
    return GridData(
        outages_per_year=float(row["outages_per_year"]),
        mean_outage_hours=float(row["mean_outage_hours"]),
        source=" ".join(str(row.get("source", "")).split()),
        verified=bool(row.get("verified", False)),
        origin=origin,
    )
