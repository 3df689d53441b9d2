"""One year of hourly outdoor conditions for the energy estimate, from an EPW file or monthly normals."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import psychrometrics
from .climate import MonthlyClimate
from .epw import EpwWeather

FloatArray = NDArray[np.float64]
DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True)
class HourlyConditions:
    """Outdoor air for every hour of one year (8760 or 8784 values)."""

    month: NDArray[np.int64]  # 1..12
    dry_bulb_c: FloatArray
    dew_point_c: FloatArray
    pressure_pa: FloatArray
    source: dict[str, Any]

    @cached_property
    def wet_bulb_c(self) -> FloatArray:
        return np.asarray(
            psychrometrics.wet_bulb_from_dew_point(self.dry_bulb_c, self.dew_point_c, self.pressure_pa),
            dtype=np.float64,
        )


def conditions_from_normals(climate: MonthlyClimate) -> HourlyConditions:
    """A synthetic year from monthly normals (see the module docstring); 8760 hours."""
    hour_of_day = np.arange(24, dtype=np.float64)
    # Cosine day: minimum near sunrise (03:00), maximum at 15:00, the usual diurnal shape.
    shape = np.cos(2 * np.pi * (hour_of_day - 15.0) / 24.0)
    months, dry_bulb, dew_point = [], [], []
    for index, days in enumerate(DAYS_IN_MONTH):
        high, low = climate.max_c[index], climate.min_c[index]
        day = (high + low) / 2 + (high - low) / 2 * shape
        dry_bulb.append(np.tile(day, days))
        dew_point.append(np.minimum(np.full(24 * days, climate.dew_point_c[index]), np.tile(day, days)))
        months.append(np.full(24 * days, index + 1, dtype=np.int64))
    dry = np.concatenate(dry_bulb)
    return HourlyConditions(
        month=np.concatenate(months),
        dry_bulb_c=dry,
        dew_point_c=np.concatenate(dew_point),
        pressure_pa=np.full(dry.shape, climate.pressure_pa),
        source={
            "kind": "normals",
            "city": climate.key,
            "name": climate.name,
            "country": climate.country,
            "station": climate.station,
            "period": climate.period,
            "elevation_m": climate.elevation_m,
            "sources": list(climate.sources),
            "humidity_estimated": climate.humidity_estimated,
            "humidity_note": climate.humidity_note,
            "quality": climate.quality,
            "description": climate.describe(),
        },
    )


def conditions_from_epw(weather: EpwWeather) -> HourlyConditions:
    location = weather.location
    return HourlyConditions(
        month=weather.month,
        dry_bulb_c=weather.dry_bulb_c,
        dew_point_c=weather.dew_point_c,
        pressure_pa=weather.pressure_pa,
        source={
            "kind": "epw",
            "city": location.city,
            "country": location.country,
            "station": location.wmo,
            "source": location.source,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "elevation_m": location.elevation_m,
            "hours": weather.hours,
            "filled_values": weather.filled_values,
            "humidity_estimated": False,
            "description": location.describe(),
        },
    )
