"""Monthly climate normals shipped with the app (data/climate.yaml) for the PUE estimate.

`climate_for("islamabad")` returns a `MonthlyClimate` or None; `known_cities()` lists the keys.
Each city carries its source; humidity is either measured monthly relative humidity or an
estimated dew point (FAO-56 Tmin method), and `humidity_estimated` says which.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import psychrometrics

CLIMATE_FILE = Path(__file__).resolve().parent.parent / "data" / "climate.yaml"
MONTHS = 12


class ClimateDataError(ValueError):
    """The shipped climate file is malformed (a packaging bug, not a user error)."""


@dataclass(frozen=True)
class MonthlyClimate:
    """Monthly normals for one city; every per-month tuple has 12 values, January first."""

    key: str
    name: str
    country: str
    station: str
    period: str
    latitude: float
    longitude: float
    elevation_m: float
    max_c: tuple[float, ...]
    min_c: tuple[float, ...]
    dew_point_c: tuple[float, ...]  # monthly mean dew point, measured or estimated
    relative_humidity_pct: tuple[float, ...] | None  # measured monthly mean RH, when the source has it
    humidity_estimated: bool
    humidity_note: str
    sources: tuple[str, ...]
    notes: str = ""
    quality: str = "normal"  # "low" when the source is a travel page rather than met-service normals

    @property
    def mean_c(self) -> tuple[float, ...]:
        return tuple((high + low) / 2 for high, low in zip(self.max_c, self.min_c, strict=True))

    @property
    def pressure_pa(self) -> float:
        return psychrometrics.station_pressure_pa(self.elevation_m)

    def describe(self) -> str:
        return f"{self.name} ({self.station}, {self.period}) monthly normals"


def _twelve(values: Any, field: str, key: str) -> tuple[float, ...]:
    if not isinstance(values, list) or len(values) != MONTHS:
        raise ClimateDataError(f"{key}: {field} must list 12 monthly values")
    try:
        return tuple(float(value) for value in values)
    except (TypeError, ValueError) as error:
        raise ClimateDataError(f"{key}: {field} has a non-numeric value") from error


def _dew_points(
    entry: dict[str, Any], key: str, max_c: tuple[float, ...], min_c: tuple[float, ...]
) -> tuple[tuple[float, ...], tuple[float, ...] | None, bool, str]:
    humidity = entry.get("humidity") or {}
    if "relative_humidity_pct" in humidity:
        rh = _twelve(humidity["relative_humidity_pct"], "humidity.relative_humidity_pct", key)
        # Mean RH applied at the mean temperature gives the monthly mean vapour pressure closely
        # enough for an energy estimate (the diurnal RH swing is mostly a temperature effect).
        dew = tuple(
            float(psychrometrics.dew_point_from_relative_humidity((high + low) / 2, value))
            for high, low, value in zip(max_c, min_c, rh, strict=True)
        )
        return dew, rh, bool(humidity.get("estimated", False)), str(humidity.get("reason", "measured monthly RH"))
    if humidity.get("method") == "fao56_tmin":
        depression = float(humidity.get("dew_point_depression_c", 2.0))
        dew = tuple(low - depression for low in min_c)
        note = f"dew point = mean daily minimum - {depression:g} °C (FAO-56 method): {humidity.get('reason', '')}"
        return dew, None, True, note.strip()
    raise ClimateDataError(f"{key}: humidity needs relative_humidity_pct or method: fao56_tmin")


def _build(key: str, entry: dict[str, Any]) -> MonthlyClimate:
    max_c = _twelve(entry.get("max_c"), "max_c", key)
    min_c = _twelve(entry.get("min_c"), "min_c", key)
    dew, rh, estimated, note = _dew_points(entry, key, max_c, min_c)
    sources = tuple(str(source) for source in entry.get("sources") or ())
    if not sources:
        raise ClimateDataError(f"{key}: every city needs a source")
    return MonthlyClimate(
        key=key,
        name=str(entry.get("name", key.title())),
        country=str(entry.get("country", "")),
        station=str(entry.get("station", "")),
        period=str(entry.get("period", "")),
        latitude=float(entry["latitude"]),
        longitude=float(entry["longitude"]),
        elevation_m=float(entry["elevation_m"]),
        max_c=max_c,
        min_c=min_c,
        dew_point_c=dew,
        relative_humidity_pct=rh,
        humidity_estimated=estimated,
        humidity_note=note,
        sources=sources,
        notes=" ".join(str(entry.get("notes", "")).split()),
        quality=str(entry.get("quality", "normal")),
    )


@lru_cache(maxsize=1)
def _load() -> dict[str, MonthlyClimate]:
    raw = yaml.safe_load(CLIMATE_FILE.read_text(encoding="utf-8"))
    entries: dict[str, dict[str, Any]] = raw["cities"]
    cities = {key: _build(key, entry) for key, entry in entries.items() if "shares" not in entry}
    for key, entry in entries.items():
        if "shares" in entry:
            shared = cities[entry["shares"]]
            note = " ".join(str(entry.get("notes", "")).split())
            cities[key] = MonthlyClimate(
                **{**shared.__dict__, "key": key, "name": str(entry.get("name", key.title())), "notes": note}
            )
    return cities


def _normalise(city: str) -> str:
    return "".join(character for character in city.strip().lower() if character.isalnum())


def known_cities() -> list[str]:
    """Keys of every city with shipped normals, sorted."""
    return sorted(_load())


def climate_for(city: str | None) -> MonthlyClimate | None:
    """Normals for a city key or name (case and spaces ignored: "Islamabad", "islamabad"); None if unknown."""
    if not city:
        return None
    wanted = _normalise(city)
    for key, climate in _load().items():
        if wanted in (_normalise(key), _normalise(climate.name)):
            return climate
    return None
