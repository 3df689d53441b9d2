"""Moist-air psychrometrics in SI units, after ASHRAE Handbook—Fundamentals (2017, SI), chapter 1.

Every function accepts a float or a numpy array and returns the same shape, so the energy
estimate can run a whole year of hours at once. Temperatures are °C, pressures Pa, humidity
ratios kg of water per kg of dry air, relative humidity a percentage 0-100.

Formulas used (equation numbers from ASHRAE Fundamentals 2017 SI, chapter 1):
- saturation pressure: Hyland and Wexler (1983), eq. 5 over ice (-100..0 °C) and eq. 6 over
  liquid water (0..200 °C);
- standard station pressure from elevation: eq. 3;
- humidity ratio from vapour pressure: eq. 20 (0.621945 = ratio of molar masses);
- thermodynamic wet-bulb: eq. 33 (wet-bulb above freezing) and eq. 35 (below freezing), solved
  for the wet-bulb by bisection because the equations give W from t*, not t* from W.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, overload

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
Number = TypeVar("Number", float, FloatArray)

KELVIN = 273.15
MOLAR_MASS_RATIO = 0.621945  # water vapour / dry air, ASHRAE eq. 20
STANDARD_PRESSURE_PA = 101_325.0

# Hyland–Wexler coefficients, ASHRAE Fundamentals 2017 chapter 1, eq. 5 (over ice).
_ICE = (-5.6745359e03, 6.3925247e00, -9.6778430e-03, 6.2215701e-07, 2.0747825e-09, -9.4840240e-13, 4.1635019e00)
# eq. 6 (over liquid water).
_WATER = (-5.8002206e03, 1.3914993e00, -4.8640239e-02, 4.1764768e-05, -1.4452093e-08, 6.5459673e00)

_BISECTION_STEPS = 60  # halves a 150 K bracket below 1e-15 K; cheap on 8760-element arrays


def _as_array(value: float | FloatArray) -> FloatArray:
    return np.asarray(value, dtype=np.float64)


@overload
def _like(result: FloatArray, template: float) -> float: ...
@overload
def _like(result: FloatArray, template: FloatArray) -> FloatArray: ...
def _like(result: FloatArray, template: float | FloatArray) -> float | FloatArray:
    """Return a Python float when the caller passed a scalar, an array otherwise."""
    if np.ndim(template) == 0:
        return float(result)
    return result


def saturation_pressure_pa(temperature_c: Number) -> Number:
    """Saturation vapour pressure (Pa) over ice below 0 °C and over liquid water from 0 °C."""
    kelvin = _as_array(temperature_c) + KELVIN
    c1, c2, c3, c4, c5, c6, c7 = _ICE
    over_ice = c1 / kelvin + c2 + c3 * kelvin + c4 * kelvin**2 + c5 * kelvin**3 + c6 * kelvin**4 + c7 * np.log(kelvin)
    c8, c9, c10, c11, c12, c13 = _WATER
    over_water = c8 / kelvin + c9 + c10 * kelvin + c11 * kelvin**2 + c12 * kelvin**3 + c13 * np.log(kelvin)
    result = np.exp(np.where(kelvin < KELVIN, over_ice, over_water))
    return _like(result, temperature_c)


def station_pressure_pa(elevation_m: float) -> float:
    """Standard-atmosphere pressure at an elevation (ASHRAE eq. 3), valid to about 11 km."""
    return float(STANDARD_PRESSURE_PA * (1.0 - 2.25577e-5 * elevation_m) ** 5.2559)


def humidity_ratio(vapour_pressure_pa: Number, pressure_pa: float | FloatArray = STANDARD_PRESSURE_PA) -> Number:
    """Humidity ratio W (kg/kg dry air) from the partial pressure of water vapour."""
    vapour = _as_array(vapour_pressure_pa)
    result = MOLAR_MASS_RATIO * vapour / (_as_array(pressure_pa) - vapour)
    return _like(result, vapour_pressure_pa)


def vapour_pressure_from_humidity_ratio(
    ratio: Number, pressure_pa: float | FloatArray = STANDARD_PRESSURE_PA
) -> Number:
    """Partial pressure of water vapour (Pa) from a humidity ratio; the inverse of `humidity_ratio`."""
    w = _as_array(ratio)
    result = _as_array(pressure_pa) * w / (MOLAR_MASS_RATIO + w)
    return _like(result, ratio)


def _bisect(
    low: FloatArray,
    high: FloatArray,
    is_above_root: Callable[[FloatArray], NDArray[np.bool_]],
    steps: int = _BISECTION_STEPS,
) -> FloatArray:
    """Vectorised bisection: `is_above_root(x)` is True where the root lies below x."""
    for _ in range(steps):
        middle = 0.5 * (low + high)
        above_root = is_above_root(middle)
        high = np.where(above_root, middle, high)
        low = np.where(above_root, low, middle)
    return 0.5 * (low + high)


def dew_point_from_vapour_pressure(vapour_pressure_pa: Number) -> Number:
    """Dew (or frost) point °C: the temperature whose saturation pressure equals the vapour pressure."""
    vapour = np.maximum(_as_array(vapour_pressure_pa), 1e-3)
    low = np.full_like(vapour, -100.0)
    high = np.full_like(vapour, 100.0)
    result = _bisect(low, high, lambda t: saturation_pressure_pa(t) >= vapour)
    return _like(result, vapour_pressure_pa)


def dew_point_from_relative_humidity(dry_bulb_c: Number, relative_humidity_pct: float | FloatArray) -> Number:
    """Dew point °C from dry-bulb and relative humidity (RH as a percentage of saturation pressure)."""
    rh = np.clip(_as_array(relative_humidity_pct), 0.01, 100.0) / 100.0
    vapour = rh * _as_array(saturation_pressure_pa(_as_array(dry_bulb_c)))
    return _like(_as_array(dew_point_from_vapour_pressure(vapour)), dry_bulb_c)


def relative_humidity_from_dew_point(dry_bulb_c: Number, dew_point_c: float | FloatArray) -> Number:
    """Relative humidity % from dry-bulb and dew point; dew points above dry-bulb count as 100 %."""
    dew = np.minimum(_as_array(dew_point_c), _as_array(dry_bulb_c))
    result = 100.0 * saturation_pressure_pa(dew) / saturation_pressure_pa(_as_array(dry_bulb_c))
    return _like(result, dry_bulb_c)


def _humidity_ratio_from_wet_bulb(dry_bulb: FloatArray, wet_bulb: FloatArray, pressure: FloatArray) -> FloatArray:
    """ASHRAE eq. 33 (wet-bulb ≥ 0 °C) and eq. 35 (ice bulb below 0 °C)."""
    saturated = _as_array(humidity_ratio(saturation_pressure_pa(wet_bulb), pressure))
    above_freezing = ((2501.0 - 2.326 * wet_bulb) * saturated - 1.006 * (dry_bulb - wet_bulb)) / (
        2501.0 + 1.86 * dry_bulb - 4.186 * wet_bulb
    )
    below_freezing = ((2830.0 - 0.24 * wet_bulb) * saturated - 1.006 * (dry_bulb - wet_bulb)) / (
        2830.0 + 1.86 * dry_bulb - 2.1 * wet_bulb
    )
    result: FloatArray = np.where(wet_bulb >= 0.0, above_freezing, below_freezing)
    return result


def _wet_bulb(dry_bulb: FloatArray, target: FloatArray, pressure: FloatArray, dew_point: FloatArray) -> FloatArray:
    """Bisection on [dew point - 1 K, dry-bulb], where W(t*) rises monotonically with t*."""
    low = np.minimum(dew_point, dry_bulb) - 1.0
    high = dry_bulb.copy()
    result = _bisect(low, high, lambda t: _humidity_ratio_from_wet_bulb(dry_bulb, t, pressure) >= target, steps=40)
    clipped: FloatArray = np.minimum(result, dry_bulb)
    return clipped


def wet_bulb_from_humidity_ratio(
    dry_bulb_c: Number, ratio: float | FloatArray, pressure_pa: float | FloatArray = STANDARD_PRESSURE_PA
) -> Number:
    """Thermodynamic wet-bulb °C from dry-bulb, humidity ratio and pressure.

    The wet-bulb lies between the dew point and the dry-bulb and W(t*) rises monotonically with
    t* there, so bisection on that bracket always converges.
    """
    dry_bulb = _as_array(dry_bulb_c)
    pressure = np.broadcast_to(_as_array(pressure_pa), dry_bulb.shape).astype(np.float64)
    target = np.broadcast_to(_as_array(ratio), dry_bulb.shape).astype(np.float64)
    dew = _as_array(dew_point_from_vapour_pressure(_as_array(vapour_pressure_from_humidity_ratio(target, pressure))))
    return _like(_wet_bulb(dry_bulb, target, pressure, dew), dry_bulb_c)


def wet_bulb_from_dew_point(
    dry_bulb_c: Number, dew_point_c: float | FloatArray, pressure_pa: float | FloatArray = STANDARD_PRESSURE_PA
) -> Number:
    """Thermodynamic wet-bulb °C from dry-bulb, dew point and station pressure."""
    dry_bulb = _as_array(dry_bulb_c)
    dew = np.broadcast_to(np.minimum(_as_array(dew_point_c), dry_bulb), dry_bulb.shape).astype(np.float64)
    pressure = np.broadcast_to(_as_array(pressure_pa), dry_bulb.shape).astype(np.float64)
    ratio = _as_array(humidity_ratio(saturation_pressure_pa(dew), pressure))
    return _like(_wet_bulb(dry_bulb, ratio, pressure, dew), dry_bulb_c)


def wet_bulb_from_relative_humidity(
    dry_bulb_c: Number,
    relative_humidity_pct: float | FloatArray,
    pressure_pa: float | FloatArray = STANDARD_PRESSURE_PA,
) -> Number:
    """Thermodynamic wet-bulb °C from dry-bulb, relative humidity % and station pressure."""
    rh = np.clip(_as_array(relative_humidity_pct), 0.0, 100.0) / 100.0
    vapour = rh * saturation_pressure_pa(_as_array(dry_bulb_c))
    ratio = humidity_ratio(vapour, pressure_pa)
    return wet_bulb_from_humidity_ratio(dry_bulb_c, ratio, pressure_pa)
