"""Reader for EnergyPlus Weather (EPW) files: the location line and the hourly psychrometric fields.

An EPW file has 8 header lines (LOCATION, DESIGN CONDITIONS, TYPICAL/EXTREME PERIODS, GROUND
TEMPERATURES, HOLIDAYS/DAYLIGHT SAVINGS, COMMENTS 1, COMMENTS 2, DATA PERIODS) and then one row
per hour: 8760 rows, or 8784 for a leap year. Only the fields the PUE estimate needs are read:

    field 1-4  year, month, day, hour (1-24)      field 7  dry-bulb °C
    field 8    dew point °C                       field 9  relative humidity %
    field 10   station pressure Pa

The EnergyPlus Auxiliary Programs guide marks a missing value as 99.9 (dry-bulb, dew point),
999 (RH) and 999999 (pressure). A missing dew point is rebuilt from RH, a missing pressure from
the elevation; a missing dry-bulb, or a missing dew point with no RH, is an error.

`read_epw` never raises anything but `EpwError`, whose message names the line and the reason.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from . import psychrometrics

HEADER_LINES = 8
HOURS_IN_YEAR = 8760
HOURS_IN_LEAP_YEAR = 8784
DATA_FIELDS_NEEDED = 10  # through station pressure
MISSING_TEMPERATURE = 99.9
MISSING_RELATIVE_HUMIDITY = 999.0
MISSING_PRESSURE = 999999.0
MAX_BYTES = 20 * 1024 * 1024  # a real EPW is ~1.6 MB; refuse anything absurd before parsing


class EpwError(ValueError):
    """The text is not a usable EPW file. `line` is the 1-based line number, or None for the whole file."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(f"line {line}: {reason}" if line is not None else reason)


@dataclass(frozen=True)
class EpwLocation:
    city: str
    region: str
    country: str
    source: str
    wmo: str
    latitude: float
    longitude: float
    time_zone: float
    elevation_m: float

    def describe(self) -> str:
        place = ", ".join(part for part in (self.city, self.region, self.country) if part and part != "-")
        return f"{place} (EPW, {self.source or 'unknown source'}, WMO {self.wmo or '-'})"


@dataclass(frozen=True)
class EpwWeather:
    """One year of hourly weather. Arrays have 8760 or 8784 elements in file order."""

    location: EpwLocation
    month: NDArray[np.int64]
    day: NDArray[np.int64]
    hour: NDArray[np.int64]
    dry_bulb_c: NDArray[np.float64]
    dew_point_c: NDArray[np.float64]
    relative_humidity_pct: NDArray[np.float64]
    pressure_pa: NDArray[np.float64]
    filled_values: int  # dew points or pressures rebuilt because the file marked them missing

    @property
    def hours(self) -> int:
        return int(self.dry_bulb_c.size)


def _decode(data: str | bytes) -> str:
    if len(data) > MAX_BYTES:
        raise EpwError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB; not an EPW file")
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older EPW files are Windows-1252/Latin-1; latin-1 decodes any byte sequence.
        return data.decode("latin-1")


def _number(text: str, what: str, line: int, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise EpwError(f"{what} {text.strip()!r} is not a number", line) from None
    if not low <= value <= high:
        raise EpwError(f"{what} {value:g} is outside {low:g}..{high:g}", line)
    return value


def _integer(text: str, what: str, line: int, low: int, high: int) -> int:
    value = _number(text, what, line, low, high)
    if value != int(value):
        raise EpwError(f"{what} {text.strip()!r} is not a whole number", line)
    return int(value)


def _parse_location(row: list[str]) -> EpwLocation:
    if not row or row[0].strip().upper() != "LOCATION":
        raise EpwError("the first line must start with LOCATION", 1)
    if len(row) < 10:
        raise EpwError(
            f"LOCATION needs 10 fields (city, region, country, source, WMO, lat, lon, tz, elevation), got {len(row)}", 1
        )
    return EpwLocation(
        city=row[1].strip(),
        region=row[2].strip(),
        country=row[3].strip(),
        source=row[4].strip(),
        wmo=row[5].strip(),
        latitude=_number(row[6], "latitude", 1, -90, 90),
        longitude=_number(row[7], "longitude", 1, -180, 180),
        time_zone=_number(row[8], "time zone", 1, -12, 14),
        elevation_m=_number(row[9], "elevation", 1, -1000, 9999.9),
    )


@dataclass
class _Columns:
    month: list[int]
    day: list[int]
    hour: list[int]
    dry_bulb: list[float]
    dew_point: list[float]
    relative_humidity: list[float]
    pressure: list[float]


def _parse_row(row: list[str], line: int, station_pressure: float, columns: _Columns) -> int:
    """Append one data row; return how many missing values it filled in."""
    if len(row) < DATA_FIELDS_NEEDED:
        raise EpwError(f"a data row needs at least {DATA_FIELDS_NEEDED} fields, got {len(row)}", line)
    _integer(row[0], "year", line, 1, 9999)
    month = _integer(row[1], "month", line, 1, 12)
    day = _integer(row[2], "day", line, 1, 31)
    hour = _integer(row[3], "hour", line, 1, 24)
    dry_bulb = _number(row[6], "dry-bulb", line, -90, 99.9)
    if dry_bulb == MISSING_TEMPERATURE:
        raise EpwError("dry-bulb is missing (99.9)", line)
    if dry_bulb > 70:
        raise EpwError(f"dry-bulb {dry_bulb:g} is outside -70..70", line)
    dew_point = _number(row[7], "dew point", line, -90, 99.9)
    relative_humidity = _number(row[8], "relative humidity", line, 0, 999)
    pressure = _number(row[9], "station pressure", line, 0, 999999)
    filled = 0
    if relative_humidity != MISSING_RELATIVE_HUMIDITY and relative_humidity > 110:
        raise EpwError(f"relative humidity {relative_humidity:g} is outside 0..110", line)
    if dew_point == MISSING_TEMPERATURE or dew_point > 70:
        if relative_humidity == MISSING_RELATIVE_HUMIDITY:
            raise EpwError("dew point and relative humidity are both missing", line)
        dew_point = float(psychrometrics.dew_point_from_relative_humidity(dry_bulb, relative_humidity))
        filled += 1
    if relative_humidity == MISSING_RELATIVE_HUMIDITY:
        relative_humidity = float(psychrometrics.relative_humidity_from_dew_point(dry_bulb, dew_point))
    if pressure == MISSING_PRESSURE or not 31_000 <= pressure <= 120_000:
        if pressure != MISSING_PRESSURE:
            raise EpwError(f"station pressure {pressure:g} Pa is outside 31000..120000", line)
        pressure = station_pressure
        filled += 1
    columns.month.append(month)
    columns.day.append(day)
    columns.hour.append(hour)
    columns.dry_bulb.append(dry_bulb)
    columns.dew_point.append(min(dew_point, dry_bulb))  # supersaturated rows: clip to saturation
    columns.relative_humidity.append(min(relative_humidity, 100.0))
    columns.pressure.append(pressure)
    return filled


def read_epw(data: str | bytes) -> EpwWeather:
    """Parse EPW text or bytes. Raises `EpwError` (with the line number) on anything malformed."""
    text = _decode(data)
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise EpwError(f"not comma-separated text: {error}") from None
    while rows and not any(field.strip() for field in rows[-1]):
        rows.pop()  # trailing blank lines
    if len(rows) <= HEADER_LINES:
        raise EpwError(f"the file has {len(rows)} lines; an EPW file has {HEADER_LINES} header lines and 8760 hours")
    location = _parse_location(rows[0])
    data_rows = rows[HEADER_LINES:]
    if len(data_rows) not in (HOURS_IN_YEAR, HOURS_IN_LEAP_YEAR):
        raise EpwError(
            f"expected {HOURS_IN_YEAR} (or {HOURS_IN_LEAP_YEAR} for a leap year) hourly rows, got {len(data_rows)}"
        )
    station_pressure = psychrometrics.station_pressure_pa(location.elevation_m)
    columns = _Columns([], [], [], [], [], [], [])
    filled = 0
    for index, row in enumerate(data_rows):
        filled += _parse_row(row, HEADER_LINES + index + 1, station_pressure, columns)
    return EpwWeather(
        location=location,
        month=np.asarray(columns.month, dtype=np.int64),
        day=np.asarray(columns.day, dtype=np.int64),
        hour=np.asarray(columns.hour, dtype=np.int64),
        dry_bulb_c=np.asarray(columns.dry_bulb, dtype=np.float64),
        dew_point_c=np.asarray(columns.dew_point, dtype=np.float64),
        relative_humidity_pct=np.asarray(columns.relative_humidity, dtype=np.float64),
        pressure_pa=np.asarray(columns.pressure, dtype=np.float64),
        filled_values=filled,
    )
