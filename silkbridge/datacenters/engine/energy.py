"""Annual PUE, energy and cost of a design from its site's climate (hour-by-hour model).

`estimate_energy(design)` uses the shipped monthly normals for `design.site.city`;
`estimate_energy(design, climate=...)` takes other normals and `estimate_energy(design, hourly=epw)`
a parsed EPW year. Every hour it computes:

- outdoor dry-bulb, dew point, wet-bulb and pressure (from the EPW, or synthetic hours built
  from monthly normals: a cosine day between the mean daily minimum at 03:00 and maximum at
  15:00, the monthly mean dew point held all month);
- the free-cooling share of the heat load (waterside or airside economiser, full or partial);
- chiller or DX power from a COP that follows the heat-rejection temperature (wet-bulb for
  cooling towers, dry-bulb for air-cooled condensers);
- fan, pump and heat-rejection power, UPS, transformer and distribution losses as functions of
  load, lighting and miscellaneous loads.

PUE(h) = (IT + cooling + losses + misc) / IT (reference section 4). Every coefficient below is
either cited or marked an engineering assumption; they set the absolute level of the result more
than the climate does, so read the PUE as an estimate for comparing sites and designs (±0.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import psychrometrics
from .climate import MonthlyClimate, climate_for
from .electrical import ElectricalPlant, electrical_plant
from .epw import EpwWeather
from .model import Design
from .weather import HourlyConditions, conditions_from_epw, conditions_from_normals

FloatArray = NDArray[np.float64]

# --- Chillers and DX -------------------------------------------------------------------------
# Rated COP at AHRI 550/590 conditions (6.7 °C leaving chilled water; 29.4 °C entering condenser
# water, or 35 °C air on an air-cooled condenser). Water-cooled 6.1 (~0.58 kW/ton) and air-cooled
# 2.9 (~10 EER) are of the order of the ASHRAE 90.1 minimum efficiencies for large machines
# (verify against the current 90.1 table). DX 3.0 is an engineering assumption for a CRAC with
# an air-cooled condenser.
RATED_COP = {"water_cooled_chiller": 6.1, "air_cooled_chiller": 2.9, "dx": 3.0}
RATED_CHILLED_WATER_C = 6.7
RATED_CONDENSER_WATER_C = 29.4
RATED_CONDENSER_AIR_C = 35.0
RATED_DX_EVAPORATING_C = 7.0
EVAPORATOR_APPROACH_K = 2.0  # refrigerant below leaving chilled water: engineering assumption
CONDENSER_WATER_RANGE_K = 5.5  # condenser-water temperature rise: engineering assumption (typical 5-6 K)
CONDENSER_APPROACH_K = 1.5  # refrigerant above leaving condenser water: engineering assumption
AIR_CONDENSER_DIFFERENCE_K = 15.0  # condensing above ambient for air-cooled condensers: engineering assumption
DX_COIL_DIFFERENCE_K = 13.0  # DX evaporating below supply air: engineering assumption
COOLING_TOWER_APPROACH_K = 4.0  # tower leaving water above wet-bulb: engineering assumption (design 3-5 K)
MINIMUM_LIFT_K = 12.0  # compressors need a minimum lift (oil return, surge): caps COP in cold weather
MINIMUM_CONDENSER_WATER_C = 18.0  # lowest entering condenser water most chillers accept: engineering assumption
PLANT_DERATING = 0.80  # staging, part load and fouling versus rated COP: engineering assumption

# --- Economisers ----------------------------------------------------------------------------
HEAT_EXCHANGER_APPROACH_K = 1.5  # plate heat exchanger, waterside economiser: engineering assumption
DRY_COOLER_APPROACH_K = 6.0  # dry cooler + exchanger for air-cooled/DX free cooling: engineering assumption
CHILLED_WATER_DELTA_K = 6.0  # chilled-water supply/return difference: engineering assumption
COIL_APPROACH_K = 6.0  # supply air above chilled-water supply at a CRAH coil: engineering assumption
AIR_DELTA_K = 12.0  # IT equipment air temperature rise (return above supply): engineering assumption
FAN_HEAT_K = 1.0  # supply fans warm the air: engineering assumption
# ASHRAE TC 9.9 class A1 allowable envelope: 15-32 °C dry-bulb (reference section 4); humidity
# limits -12 °C dew point and 8 % RH to 17 °C dew point and 80 % RH (ASHRAE thermal guidelines
# 2015 edition, verify).
A1_MAX_DRY_BULB_C = 32.0
A1_MAX_DEW_POINT_C = 17.0

# --- Fans, pumps, heat rejection (kW per kW of heat) ----------------------------------------
CRAH_FAN_DESIGN = 0.06  # at full airflow; ~5-6 kW of EC fans per 100 kW CRAH: engineering assumption
FAN_EXPONENT = 2.4  # below the cube law because part of the pressure drop is fixed: engineering assumption
# Airflow and chilled-water flow do not fall in proportion to the heat load: bypass and leakage
# air, minimum fan speeds, minimum chiller flow. Flow fraction = floor + (1 - floor) × load ratio
# (engineering assumption); this is what makes PUE rise at low IT load.
FLOW_FLOOR = 0.35
CHILLED_WATER_PUMP_DESIGN = 0.015  # ~250 kPa, 6 K, 70 % pump efficiency: engineering estimate
PUMP_EXPONENT = 2.0  # variable-speed pumping with a pressure set point: engineering assumption
CONDENSER_WATER_PUMP_DESIGN = 0.015  # staged constant-speed pumps: engineering estimate
TOWER_FAN = 0.010  # per kW of heat rejected: engineering assumption
DRY_COOLER_FAN = 0.020  # per kW of heat rejected in free cooling: engineering assumption

# --- Electrical (UPS and transformer curves are in electrical.py) ---------------------------
DISTRIBUTION_LOSS = 0.010  # PDUs, busway, cabling, per kW of IT: engineering assumption
LIGHTING_AND_MISC = 0.015  # lighting, BMS, security, offices, generator heaters, per design IT kW: assumption

LOAD_POINTS = (0.25, 0.5, 0.75, 1.0)
TARIFF_REFERENCE = (
    "No tariff in the design. Reference ranges (datacenter-reference.md section 5): Pakistan industrial "
    "about Rs 32-42/kWh all-in (2025), i.e. about US$0.11-0.17/kWh at 280 PKR/USD; data centres do not "
    "automatically get the industrial tariff."
)
COOLING_TYPES = frozenset(RATED_COP)
ECONOMISERS = frozenset({"none", "waterside", "airside"})


class EnergyInputError(ValueError):
    """The design cannot be estimated: unknown city without weather data, bad energy settings."""


def _carnot_cop(evaporating_c: FloatArray | float, condensing_c: FloatArray | float) -> FloatArray:
    lift = np.maximum(np.asarray(condensing_c) - np.asarray(evaporating_c), MINIMUM_LIFT_K)
    cop: FloatArray = (np.asarray(evaporating_c) + psychrometrics.KELVIN) / lift
    return cop


def _rated_carnot(cooling_type: str) -> float:
    if cooling_type == "water_cooled_chiller":
        condensing = RATED_CONDENSER_WATER_C + CONDENSER_WATER_RANGE_K + CONDENSER_APPROACH_K
        return float(_carnot_cop(RATED_CHILLED_WATER_C - EVAPORATOR_APPROACH_K, condensing))
    if cooling_type == "air_cooled_chiller":
        return float(
            _carnot_cop(
                RATED_CHILLED_WATER_C - EVAPORATOR_APPROACH_K, RATED_CONDENSER_AIR_C + AIR_CONDENSER_DIFFERENCE_K
            )
        )
    return float(_carnot_cop(RATED_DX_EVAPORATING_C, RATED_CONDENSER_AIR_C + AIR_CONDENSER_DIFFERENCE_K))


@dataclass(frozen=True)
class _Settings:
    cooling_type: str
    economiser: str
    supply_air_c: float
    chilled_water_c: float  # effective supply temperature after the coil limit


def _settings(design: Design) -> _Settings:
    energy = design.energy
    if energy.cooling_type not in COOLING_TYPES:
        raise EnergyInputError(f"cooling_type must be one of {sorted(COOLING_TYPES)}, got {energy.cooling_type!r}")
    if energy.economiser not in ECONOMISERS:
        raise EnergyInputError(f"economiser must be one of {sorted(ECONOMISERS)}, got {energy.economiser!r}")
    if not 10.0 <= energy.supply_air_c <= 35.0:
        raise EnergyInputError(f"supply_air_c {energy.supply_air_c:g} is outside 10..35 °C")
    if not 0.0 < energy.load_fraction <= 1.5:
        raise EnergyInputError(f"load_fraction {energy.load_fraction:g} must be in (0, 1.5]")
    if design.it_load_kw <= 0:
        raise EnergyInputError("it_load_kw must be positive")
    # The coil can only deliver supply air COIL_APPROACH_K above the chilled water, so a supply
    # set point lower than that forces colder water (and a worse COP).
    chilled_water = min(energy.chilled_water_c, energy.supply_air_c - COIL_APPROACH_K)
    return _Settings(energy.cooling_type, energy.economiser, energy.supply_air_c, chilled_water)


@dataclass(frozen=True)
class _HourlyPower:
    it: FloatArray
    chillers: FloatArray
    fans: FloatArray
    pumps: FloatArray
    heat_rejection: FloatArray
    ups_losses: FloatArray
    transformer_losses: FloatArray
    distribution_losses: FloatArray
    lighting_misc: FloatArray
    free_cooling_share: FloatArray
    hours_outside_a1: int

    @property
    def cooling(self) -> FloatArray:
        total: FloatArray = self.chillers + self.fans + self.pumps + self.heat_rejection
        return total

    @property
    def losses(self) -> FloatArray:
        total: FloatArray = self.ups_losses + self.transformer_losses + self.distribution_losses
        return total

    @property
    def facility(self) -> FloatArray:
        total: FloatArray = self.it + self.cooling + self.losses + self.lighting_misc
        return total


def _free_cooling(settings: _Settings, conditions: HourlyConditions, wet_bulb: FloatArray) -> tuple[FloatArray, int]:
    """Share of the heat removed without compressors each hour, and hours a chiller failure leaves A1."""
    dry_bulb, dew_point = conditions.dry_bulb_c, conditions.dew_point_c
    if settings.cooling_type == "water_cooled_chiller":
        free_water = wet_bulb + COOLING_TOWER_APPROACH_K + HEAT_EXCHANGER_APPROACH_K
    else:
        free_water = dry_bulb + DRY_COOLER_APPROACH_K
    if settings.economiser == "airside":
        supply_free = dry_bulb + FAN_HEAT_K
        return_air = settings.supply_air_c + AIR_DELTA_K
        share = np.clip((return_air - supply_free) / (return_air - settings.supply_air_c), 0.0, 1.0)
        # Outdoor air above the A1 dew-point limit would carry moisture into the room.
        share = np.where(dew_point > A1_MAX_DEW_POINT_C, 0.0, share)
        outside = (supply_free > A1_MAX_DRY_BULB_C) | (dew_point > A1_MAX_DEW_POINT_C)
    else:
        chilled_return = settings.chilled_water_c + CHILLED_WATER_DELTA_K
        share = np.clip((chilled_return - free_water) / CHILLED_WATER_DELTA_K, 0.0, 1.0)
        if settings.economiser == "none":
            share = np.zeros_like(share)
        outside = free_water + COIL_APPROACH_K > A1_MAX_DRY_BULB_C
    return np.asarray(share, dtype=np.float64), int(np.count_nonzero(outside))


def _compressor_cop(settings: _Settings, conditions: HourlyConditions, wet_bulb: FloatArray) -> FloatArray:
    rated_cop = RATED_COP[settings.cooling_type]
    if settings.cooling_type == "water_cooled_chiller":
        condenser_water = np.maximum(wet_bulb + COOLING_TOWER_APPROACH_K, MINIMUM_CONDENSER_WATER_C)
        condensing = condenser_water + CONDENSER_WATER_RANGE_K + CONDENSER_APPROACH_K
        evaporating: FloatArray | float = settings.chilled_water_c - EVAPORATOR_APPROACH_K
    elif settings.cooling_type == "air_cooled_chiller":
        condensing = conditions.dry_bulb_c + AIR_CONDENSER_DIFFERENCE_K
        evaporating = settings.chilled_water_c - EVAPORATOR_APPROACH_K
    else:
        condensing = conditions.dry_bulb_c + AIR_CONDENSER_DIFFERENCE_K
        evaporating = settings.supply_air_c - DX_COIL_DIFFERENCE_K
    # COP follows the Carnot COP of the actual lift, scaled from the rated point.
    cop: FloatArray = (
        rated_cop * PLANT_DERATING * _carnot_cop(evaporating, condensing) / _rated_carnot(settings.cooling_type)
    )
    return cop


def _flow_fraction(heat: FloatArray, design_heat: float) -> FloatArray:
    fraction: FloatArray = FLOW_FLOOR + (1.0 - FLOW_FLOOR) * np.minimum(heat / design_heat, 1.5)
    return fraction


def _simulate(
    design: Design, settings: _Settings, plant: ElectricalPlant, conditions: HourlyConditions, load_fraction: float
) -> _HourlyPower:
    hours = conditions.dry_bulb_c.size
    wet_bulb = conditions.wet_bulb_c
    it = np.full(hours, design.it_load_kw * load_fraction)
    ups_losses = plant.ups_loss_kw(it)
    distribution = it * DISTRIBUTION_LOSS
    lighting = np.full(hours, design.it_load_kw * LIGHTING_AND_MISC)
    # UPS, distribution and lighting losses are released indoors and must be cooled too;
    # transformers are taken to stand outdoors or in ventilated rooms.
    design_heat = design.cooling_load_kw
    heat = design_heat * load_fraction + ups_losses + distribution + lighting
    share, outside_a1 = _free_cooling(settings, conditions, wet_bulb)
    mechanical = heat * (1.0 - share)
    chillers = mechanical / _compressor_cop(settings, conditions, wet_bulb)
    airflow = _flow_fraction(heat, design_heat)
    fans = CRAH_FAN_DESIGN * design_heat * airflow**FAN_EXPONENT
    pumps, heat_rejection = _hydronics(settings, design_heat, heat, share, chillers)
    facility_before_transformers = it + chillers + fans + pumps + heat_rejection + ups_losses + distribution + lighting
    return _HourlyPower(
        it=it,
        chillers=chillers,
        fans=fans,
        pumps=pumps,
        heat_rejection=heat_rejection,
        ups_losses=ups_losses,
        transformer_losses=plant.transformer_loss_kw(facility_before_transformers),
        distribution_losses=distribution,
        lighting_misc=lighting,
        free_cooling_share=share,
        hours_outside_a1=outside_a1,
    )


def _hydronics(
    settings: _Settings, design_heat: float, heat: FloatArray, share: FloatArray, chillers: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Pump power and heat-rejection fan power (towers, dry coolers) for one year of hours."""
    flow = _flow_fraction(heat, design_heat)
    zero = np.zeros_like(heat)
    if settings.cooling_type == "dx":
        pumps = zero
        if settings.economiser == "waterside":
            pumps = np.where(share > 0, CHILLED_WATER_PUMP_DESIGN * design_heat * flow**PUMP_EXPONENT, 0.0)
        rejection = DRY_COOLER_FAN * heat * share if settings.economiser == "waterside" else zero
        return pumps, rejection
    pumps = CHILLED_WATER_PUMP_DESIGN * design_heat * flow**PUMP_EXPONENT
    if settings.cooling_type == "water_cooled_chiller":
        pumps = pumps + CONDENSER_WATER_PUMP_DESIGN * design_heat * np.maximum(heat / design_heat, 0.5)
        rejected = heat + chillers
        return pumps, TOWER_FAN * rejected
    # Air-cooled chillers: condenser fans are inside the rated COP; dry coolers run in free cooling.
    rejection = DRY_COOLER_FAN * heat * share if settings.economiser == "waterside" else zero
    return pumps, rejection


@dataclass(frozen=True)
class EnergyResult:
    """Annual energy estimate for one design. `to_dict()` gives the JSON-ready form."""

    pue_annual: float
    pue_monthly: tuple[float, ...]
    pue_at_load: tuple[tuple[float, float], ...]  # (load fraction, annual PUE)
    load_fraction: float
    hours: int
    economiser_hours: int  # hours with all heat removed by free cooling
    partial_economiser_hours: int
    mechanical_cooling_hours: int
    hours_outside_a1: int
    it_energy_mwh: float
    facility_energy_mwh: float
    cooling_energy_mwh: float
    losses_energy_mwh: float
    misc_energy_mwh: float
    breakdown_mwh: dict[str, float]
    annual_cost: float | None
    currency: str | None
    tariff_per_kwh: float | None
    electrical: dict[str, Any]
    climate_source: dict[str, Any]
    method: tuple[str, ...]
    warnings: tuple[dict[str, Any], ...] = field(default=())  # {code, params, message}, like parse issues

    def to_dict(self) -> dict[str, Any]:
        return {
            "pue_annual": self.pue_annual,
            "pue_monthly": list(self.pue_monthly),
            "pue_at_load": [{"load_fraction": load, "pue": pue} for load, pue in self.pue_at_load],
            "load_fraction": self.load_fraction,
            "hours": self.hours,
            "economiser_hours": self.economiser_hours,
            "partial_economiser_hours": self.partial_economiser_hours,
            "mechanical_cooling_hours": self.mechanical_cooling_hours,
            "hours_outside_a1": self.hours_outside_a1,
            "hours_outside_a1_note": HOURS_OUTSIDE_A1_NOTE,
            "it_energy_mwh": self.it_energy_mwh,
            "facility_energy_mwh": self.facility_energy_mwh,
            "cooling_energy_mwh": self.cooling_energy_mwh,
            "losses_energy_mwh": self.losses_energy_mwh,
            "misc_energy_mwh": self.misc_energy_mwh,
            "breakdown_mwh": dict(self.breakdown_mwh),
            "annual_cost": self.annual_cost,
            "currency": self.currency,
            "tariff_per_kwh": self.tariff_per_kwh,
            "tariff_reference": None if self.tariff_per_kwh is not None else TARIFF_REFERENCE,
            "electrical": dict(self.electrical),
            "climate_source": dict(self.climate_source),
            "method": list(self.method),
            "warnings": [dict(warning) for warning in self.warnings],
        }


HOURS_OUTSIDE_A1_NOTE = (
    "Hours in which the supply air would leave the ASHRAE A1 allowable envelope (above 32 °C, or for "
    "airside economisers a dew point above 17 °C) if the compressors stopped: the hours the design "
    "depends on mechanical cooling to stay within A1."
)


def _mwh(values: FloatArray) -> float:
    return round(float(values.sum()) / 1000.0, 3)


def _pue(facility: FloatArray, it: FloatArray) -> float:
    return round(float(facility.sum() / it.sum()), 3)


def _conditions(design: Design, climate: MonthlyClimate | None, hourly: EpwWeather | None) -> HourlyConditions:
    if hourly is not None:
        return conditions_from_epw(hourly)
    normals = climate or climate_for(design.site.city)
    if normals is None:
        raise EnergyInputError(
            f"no climate normals for city {design.site.city!r}; upload an EPW weather file or choose a known city"
        )
    return conditions_from_normals(normals)


def _method_notes(conditions: HourlyConditions, settings: _Settings, plant: ElectricalPlant) -> tuple[str, ...]:
    notes = [
        "Hourly model: PUE(h) = (IT + cooling + losses + misc) / IT, summed over the year; IT load flat at the "
        "expected load fraction.",
        f"Cooling: {settings.cooling_type}, economiser {settings.economiser}, supply air {settings.supply_air_c:g} °C, "
        f"chilled water {settings.chilled_water_c:g} °C. COP follows the Carnot COP of the hourly lift, scaled from "
        "the rated AHRI point and derated 20 % for staging, part load and fouling.",
        "Economiser: waterside free cooling when wet-bulb + tower and exchanger approach (or dry-bulb + dry-cooler "
        "approach) is below the chilled-water supply, partial up to the return; airside when outdoor air is below "
        "the supply set point and its dew point within A1, partial up to the return air.",
        f"UPS: {plant.ups_redundancy}, {plant.ups_installed_kw:g} kW installed in {plant.ups_modules} modules; "
        "loss = no-load + proportional + square terms of module loading, so lightly loaded redundant UPS lose more "
        "per kW of IT.",
        "Transformers: core loss plus copper loss with the square of loading; distribution 1 % of IT; lighting and "
        "miscellaneous 1.5 % of design IT.",
    ]
    if conditions.source.get("kind") == "normals":
        notes.append(
            "Weather: synthetic hours from monthly normals (a cosine day between the mean daily minimum at 03:00 and "
            "maximum at 15:00; dew point held for the month). This smooths out hot and cold spells, so economiser "
            "hours near the thresholds are approximate; an EPW file gives a better estimate."
        )
    if conditions.source.get("humidity_estimated"):
        notes.append("Humidity: " + str(conditions.source.get("humidity_note", "estimated")))
    return tuple(notes)


def _warning(code: str, message: str, **params: Any) -> dict[str, Any]:
    return {"path": "energy", "code": code, "params": params, "message": message}


def _warnings(design: Design, plant: ElectricalPlant, conditions: HourlyConditions) -> tuple[dict[str, Any], ...]:
    """Assumptions the estimate had to make; codes are translated by the web layer (energy.* codes)."""
    warnings = []
    if plant.is_ups_assumed:
        message = "No UPS with a capacity in the design: assumed N+1 (3+1 modules) sized on the IT load."
        warnings.append(_warning("energy.ups_assumed", message))
    if plant.is_transformer_assumed:
        message = "No transformer with a capacity in the design: assumed 2 kW of transformer per kW of IT."
        warnings.append(_warning("energy.transformer_assumed", message))
    if plant.ups_redundancy.startswith("under-sized"):
        message = f"UPS capacity {plant.ups_installed_kw:g} kW is below the IT load {design.it_load_kw:g} kW."
        warnings.append(
            _warning(
                "energy.ups_undersized",
                message,
                ups_kw=f"{plant.ups_installed_kw:g}",
                it_load_kw=f"{design.it_load_kw:g}",
            )
        )
    if conditions.source.get("quality") == "low":
        message = "The climate normals for this city come from a low-quality source; treat the PUE as rough."
        warnings.append(_warning("energy.climate_low_quality", message))
    return tuple(warnings)


def estimate_energy(
    design: Design, *, climate: MonthlyClimate | None = None, hourly: EpwWeather | None = None
) -> EnergyResult:
    """Estimate annual PUE, energy and cost. Raises `EnergyInputError` when the inputs cannot be used.

    Weather: `hourly` (a parsed EPW) wins over `climate` (monthly normals), which wins over the
    shipped normals for `design.site.city`.
    """
    settings = _settings(design)
    conditions = _conditions(design, climate, hourly)
    plant = electrical_plant(design)
    load_fraction = design.energy.load_fraction
    power = _simulate(design, settings, plant, conditions, load_fraction)
    monthly = tuple(
        _pue(power.facility[conditions.month == month], power.it[conditions.month == month]) for month in range(1, 13)
    )
    at_load = tuple(
        (load, _pue(run.facility, run.it))
        for load in LOAD_POINTS
        for run in (_simulate(design, settings, plant, conditions, load),)
    )
    facility_mwh = _mwh(power.facility)
    tariff = design.energy.tariff_per_kwh
    full_free = power.free_cooling_share >= 0.999
    return EnergyResult(
        pue_annual=_pue(power.facility, power.it),
        pue_monthly=monthly,
        pue_at_load=at_load,
        load_fraction=load_fraction,
        hours=int(power.it.size),
        economiser_hours=int(np.count_nonzero(full_free)),
        partial_economiser_hours=int(np.count_nonzero((power.free_cooling_share > 0.001) & ~full_free)),
        mechanical_cooling_hours=int(np.count_nonzero(~full_free)),
        hours_outside_a1=power.hours_outside_a1,
        it_energy_mwh=_mwh(power.it),
        facility_energy_mwh=facility_mwh,
        cooling_energy_mwh=_mwh(power.cooling),
        losses_energy_mwh=_mwh(power.losses),
        misc_energy_mwh=_mwh(power.lighting_misc),
        breakdown_mwh={
            "chillers": _mwh(power.chillers),
            "fans": _mwh(power.fans),
            "pumps": _mwh(power.pumps),
            "heat_rejection": _mwh(power.heat_rejection),
            "ups_losses": _mwh(power.ups_losses),
            "transformer_losses": _mwh(power.transformer_losses),
            "distribution_losses": _mwh(power.distribution_losses),
            "lighting_misc": _mwh(power.lighting_misc),
        },
        annual_cost=None if tariff is None else round(facility_mwh * 1000.0 * tariff, 2),
        currency=None if tariff is None else design.energy.currency,
        tariff_per_kwh=tariff,
        electrical={
            "ups_installed_kw": plant.ups_installed_kw,
            "ups_modules": plant.ups_modules,
            "ups_systems": plant.ups_systems,
            "ups_redundancy": plant.ups_redundancy,
            "ups_loading": round(design.it_load_kw * load_fraction / plant.ups_installed_kw, 3),
            "transformer_installed_kw": plant.transformer_installed_kw,
            "ups_assumed": plant.is_ups_assumed,
            "transformer_assumed": plant.is_transformer_assumed,
        },
        climate_source=conditions.source,
        method=_method_notes(conditions, settings, plant),
        warnings=_warnings(design, plant, conditions),
    )
