"""The zones map: Pakistan's outline from the installed npm package `world-atlas` (Natural Earth
admin-0 countries at 1:50m, public domain; never committed here), with every zone that has coordinates
as a point. Drawn on the server as SVG, so it needs no internet access and no script.

Natural Earth draws de facto boundaries. They are shown as illustrative, not authoritative (the
caption says so); Silkbridge draws no boundary or claim line of its own. Without the package (assets
not installed) `zone_map` answers None and the pages say the map is not available."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from silkbridge.zones.engine.geomap import OutlineMap, TopologyError, country_polygons, outline_map
from silkbridge.zones.models import Zone
from silkbridge.zones.services import cities_known

TOPOLOGY_FILE = "countries-50m.json"
PAKISTAN = "586"  # ISO 3166-1 numeric, the id world-atlas gives each country


@dataclass(frozen=True)
class ZonePoint:
    zone: Zone
    x: float
    y: float
    approximate: bool  # the coordinates are its city's, not the site's
    latitude: float
    longitude: float


@dataclass(frozen=True)
class ZoneMap:
    outline: OutlineMap
    points: list[ZonePoint]
    unplaced: list[Zone]  # zones with no coordinates, or outside the drawing: in the table, not on the map
    tiles: TileLayer | None = None  # the online tile layer, when SILKBRIDGE_MAP_TILES_URL is set


@dataclass(frozen=True)
class TileLayer:
    """What static/silkbridge/zone-tiles.js reads from the page (data attributes): the tile template, the
    provider's credit and the points as JSON. The script swaps the SVG for a slippy map only once a
    tile has loaded, so offline (or with the tile server blocked) the SVG stays."""

    url: str
    attribution: str
    points_json: str
    leaflet_available: bool


def tile_layer(points: list[ZonePoint]) -> TileLayer | None:
    """The tile layer for these points, or None when no tile server is configured (the default)."""
    if not settings.MAP_TILES_URL:
        return None
    points_data = [
        {
            "name": point.zone.name,
            "city": point.zone.city,
            "latitude": point.latitude,
            "longitude": point.longitude,
            "approximate": point.approximate,
            "url": reverse("zones:zone_detail", args=[point.zone.key]),
        }
        for point in points
    ]
    return TileLayer(
        url=settings.MAP_TILES_URL,
        attribution=settings.MAP_TILES_ATTRIBUTION,
        points_json=json.dumps(points_data, ensure_ascii=False, separators=(",", ":")),
        leaflet_available=(Path(settings.LEAFLET_DIST_DIR) / "leaflet.js").is_file(),
    )


def _topology_path() -> Path:
    return Path(settings.WORLD_ATLAS_DIR) / TOPOLOGY_FILE


@lru_cache(maxsize=2)
def _outline(path: str, modified: float) -> OutlineMap | None:
    """Pakistan's outline, decoded and projected once per file version (about 0.7 MB of JSON)."""
    try:
        with open(path, encoding="utf-8") as handle:
            topology = json.load(handle)
        return outline_map(country_polygons(topology, object_name="countries", country_id=PAKISTAN))
    except (OSError, ValueError, KeyError, TypeError, TopologyError):
        return None


def pakistan_outline() -> OutlineMap | None:
    """The outline, or None when the package is not installed (or unreadable)."""
    path = _topology_path()
    try:
        modified = path.stat().st_mtime
    except OSError:
        return None
    return _outline(str(path), modified)


def is_city_location(zone: Zone) -> bool:
    city = cities_known().get(zone.city)
    if city is None or zone.latitude is None or zone.longitude is None:
        return False
    return (
        abs(float(zone.latitude) - float(city["latitude"])) < 1e-4
        and abs(float(zone.longitude) - float(city["longitude"])) < 1e-4
    )


def zone_map(zones: list[Zone]) -> ZoneMap | None:
    """The map of these zones, or None without the outline package."""
    outline = pakistan_outline()
    if outline is None:
        return None
    points: list[ZonePoint] = []
    unplaced: list[Zone] = []
    for zone in zones:
        if zone.latitude is None or zone.longitude is None:
            unplaced.append(zone)
            continue
        latitude, longitude = float(zone.latitude), float(zone.longitude)
        x, y = outline.point(longitude, latitude)
        if not (0 <= x <= outline.width and 0 <= y <= outline.height):
            unplaced.append(zone)  # coordinates outside Pakistan (typed wrong): an invisible point otherwise
            continue
        points.append(ZonePoint(zone, x, y, is_city_location(zone), latitude, longitude))
    return ZoneMap(outline, points, unplaced, tile_layer(points))
