"""The in-memory model of a data-center design that every engine reads (no Django import).

A design is two networks: the power chain (utility feeds and engine generators down to the IT
load) and the cooling chain (chillers or DX units down to the heat load of the white space).
Each network is a directed graph of components joined by distribution paths; a path is an
element in its own right (a cable, a busway, a pipe) that can fail or be taken out for
maintenance. `parse.design_load` builds this model from YAML or JSON and validates it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class System(StrEnum):
    POWER = "power"
    COOLING = "cooling"


class Kind(StrEnum):
    """Component kinds. The YAML groups components by these kinds (plural keys, see parse)."""

    # power
    UTILITY = "utility"
    GENERATOR = "generator"
    FUEL_TANK = "fuel_tank"
    TRANSFORMER = "transformer"
    ATS = "ats"  # automatic transfer switch
    SWITCHGEAR = "switchgear"  # switchboards, main/emergency switchgear, paralleling gear
    UPS = "ups"  # a UPS system of one or more modules
    STS = "sts"  # static transfer switch
    PDU = "pdu"
    BUSWAY = "busway"
    IT_LOAD = "it_load"  # the sink of the power network
    # cooling
    CHILLER = "chiller"
    COOLING_TOWER = "cooling_tower"
    DRY_COOLER = "dry_cooler"
    PUMP = "pump"
    HEAT_EXCHANGER = "heat_exchanger"
    THERMAL_STORAGE = "thermal_storage"
    CRAH = "crah"
    CRAC = "crac"  # DX unit with its own compressor
    HEAT_LOAD = "heat_load"  # the sink of the cooling network


POWER_KINDS = frozenset(
    {
        Kind.UTILITY,
        Kind.GENERATOR,
        Kind.FUEL_TANK,
        Kind.TRANSFORMER,
        Kind.ATS,
        Kind.SWITCHGEAR,
        Kind.UPS,
        Kind.STS,
        Kind.PDU,
        Kind.BUSWAY,
        Kind.IT_LOAD,
    }
)
COOLING_KINDS = frozenset(set(Kind) - POWER_KINDS)
SOURCE_KINDS = frozenset({Kind.UTILITY, Kind.GENERATOR, Kind.CHILLER, Kind.CRAC})
SINK_KINDS = frozenset({Kind.IT_LOAD, Kind.HEAT_LOAD})


class GeneratorRating(StrEnum):
    """ISO 8528-1 ratings; Uptime counts only ratings without a runtime limit at design load."""

    STANDBY = "standby"
    PRIME = "prime"
    CONTINUOUS = "continuous"
    DATA_CENTER = "data_center"  # manufacturer's data-center continuous power rating


@dataclass(frozen=True)
class Reliability:
    """Failure and repair figures for one component; any field left None takes the default."""

    mtbf_hours: float | None = None
    mttr_hours: float | None = None
    fail_to_start: float | None = None  # probability per demand (generators)
    fail_to_run_per_hour: float | None = None  # failure rate while running (generators)
    source: str | None = None  # where the designer's figure comes from


@dataclass(frozen=True)
class Component:
    """One piece of equipment. `capacity_kw` is electrical kW in the power network, kW of heat in cooling."""

    id: str
    kind: Kind
    name: str = ""
    capacity_kw: float | None = None  # None: not a capacity component (a switch, a tank, the sink)
    modules: int = 1  # UPS modules, chiller compressors, ...: each module carries capacity_kw / modules
    compartment: str | None = None  # fire/room compartment; a compartment event takes out all in it
    powered_by: tuple[str, ...] = ()  # cooling component: power-network components that feed it
    ups_backed: bool = False  # cooling component on UPS (continuous cooling)
    rating: GeneratorRating | None = None  # generators
    fuel_hours: float | None = None  # fuel tanks: hours of the generator plant at N on this tank
    ride_through_minutes: float | None = None  # thermal storage / UPS autonomy at full load
    efficiency: float | None = None  # UPS / transformer efficiency at full load, 0-1
    reliability: Reliability = field(default_factory=Reliability)
    line: int | None = None  # line in the source document, for messages


@dataclass(frozen=True)
class Path:
    """A distribution path element from one component to another (cable, busway, pipe, fuel line)."""

    id: str
    source: str
    target: str
    system: System
    active: bool = True  # False: an alternate path that carries load only after switching
    compartment: str | None = None
    reliability: Reliability = field(default_factory=Reliability)


@dataclass(frozen=True)
class Grid:
    """The utility grid at the site: how often it fails and for how long."""

    outages_per_year: float
    mean_outage_hours: float
    source: str = ""


@dataclass(frozen=True)
class FuelSupply:
    """How the site gets diesel: scheduled deliveries that top the tanks up, each of which may fail.

    Any field left None takes the default of reliability.yaml `fuel` (the report says which were assumed).
    """

    interval_hours: float | None = None  # time between scheduled deliveries
    lead_time_hours: float | None = None  # a failed delivery is replaced this long after (or the next one comes)
    failure_probability: float | None = None  # probability that one delivery does not arrive
    source: str = ""


@dataclass(frozen=True)
class Site:
    city: str | None = None  # key into the shipped climate normals (e.g. "islamabad")
    country: str | None = None  # ISO 3166-1 alpha-2
    latitude: float | None = None
    longitude: float | None = None
    elevation_m: float | None = None
    grid: Grid | None = None  # None: the default for the city/country
    fuel_supply: FuelSupply | None = None  # None: the defaults of reliability.yaml `fuel`


@dataclass(frozen=True)
class Energy:
    """What the PUE estimate needs beyond the topology."""

    cooling_type: str = "water_cooled_chiller"  # water_cooled_chiller | air_cooled_chiller | dx
    economiser: str = "none"  # none | waterside | airside
    supply_air_c: float = 24.0  # cold-aisle supply set point (ASHRAE recommended 18-27 C)
    chilled_water_c: float = 12.0  # chilled-water supply temperature
    load_fraction: float = 1.0  # expected IT load as a fraction of the design IT load
    tariff_per_kwh: float | None = None
    currency: str = "PKR"


@dataclass(frozen=True)
class Design:
    name: str
    it_load_kw: float
    site: Site
    components: tuple[Component, ...]
    paths: tuple[Path, ...]
    heat_load_kw: float | None = None  # cooling load; None: equal to the IT load
    rack_density_kw: float | None = None  # average kW per rack (continuous cooling advice)
    claimed_tier: int | None = None
    energy: Energy = field(default_factory=Energy)
    description: str = ""

    def component(self, component_id: str) -> Component:
        for component in self.components:
            if component.id == component_id:
                return component
        raise KeyError(component_id)

    def of_kind(self, *kinds: Kind) -> list[Component]:
        return [component for component in self.components if component.kind in kinds]

    def in_system(self, system: System) -> tuple[list[Component], list[Path]]:
        kinds = POWER_KINDS if system is System.POWER else COOLING_KINDS
        return (
            [component for component in self.components if component.kind in kinds],
            [path for path in self.paths if path.system is system],
        )

    @property
    def cooling_load_kw(self) -> float:
        return self.heat_load_kw if self.heat_load_kw is not None else self.it_load_kw
