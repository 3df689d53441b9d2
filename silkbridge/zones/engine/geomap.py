"""A country's outline from a TopoJSON topology, drawn as an SVG path, and points placed on it.

Plain Python, no Django: the zones app reads the topology file (npm `world-atlas`, Natural Earth
data, installed at install time, never committed) and hands the parsed document here.

TopoJSON (https://github.com/topojson/topojson-specification): a geometry's rings are lists of arc
indexes into the topology's shared `arcs`; a negative index ~i means arc i reversed. In a quantized
topology (one with a `transform`) each arc's positions are delta-encoded integers: the first is
absolute, each next one is the difference from the one before, and a position is
(x × scale[0] + translate[0], y × scale[1] + translate[1]) in degrees of longitude and latitude.
Consecutive arcs of a ring share their joining position, so each arc after the first drops its first.

Projection: equirectangular with the longitude scaled by cos(latitude at the outline's centre), so
that a degree east and a degree north measure about the same on the map at that latitude. Good
enough for a country the size of Pakistan; not a survey. y grows downwards (SVG).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

Position = tuple[float, float]  # (longitude, latitude) in degrees
Ring = list[Position]


class TopologyError(ValueError):
    """The topology is not one this decoder reads, or has no such country."""


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Every arc of the topology as absolute (longitude, latitude) positions."""
    transform = topology.get("transform")
    arcs = topology.get("arcs")
    if not isinstance(arcs, list):
        raise TopologyError("The topology has no arcs.")
    decoded: list[Ring] = []
    if transform is None:
        for arc in arcs:
            decoded.append([(float(point[0]), float(point[1])) for point in arc])
        return decoded
    scale_x, scale_y = (float(value) for value in transform["scale"])
    shift_x, shift_y = (float(value) for value in transform["translate"])
    for arc in arcs:
        x = y = 0
        ring: Ring = []
        for point in arc:
            x += int(point[0])
            y += int(point[1])
            ring.append((x * scale_x + shift_x, y * scale_y + shift_y))
        decoded.append(ring)
    return decoded


def _ring(indexes: list[int], arcs: list[Ring]) -> Ring:
    ring: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(arc if not ring else arc[1:])
    return ring


def country_polygons(topology: dict[str, Any], *, object_name: str, country_id: str) -> list[list[Ring]]:
    """The polygons (each a list of rings, outer first) of one country of a topology object."""
    arcs = decode_arcs(topology)
    collection = topology.get("objects", {}).get(object_name)
    if collection is None:
        raise TopologyError(f"The topology has no object {object_name!r}.")
    for geometry in collection.get("geometries", []):
        if str(geometry.get("id")) != country_id:
            continue
        if geometry["type"] == "Polygon":
            return [[_ring(ring, arcs) for ring in geometry["arcs"]]]
        if geometry["type"] == "MultiPolygon":
            return [[_ring(ring, arcs) for ring in polygon] for polygon in geometry["arcs"]]
        raise TopologyError(f"Country {country_id} is a {geometry['type']}, not a polygon.")
    raise TopologyError(f"The topology has no country {country_id!r}.")


@dataclass(frozen=True)
class OutlineMap:
    """A country's outline as an SVG path in a `width` × `height` view box, and its projection."""

    path: str
    width: float
    height: float
    west: float
    north: float
    scale: float  # view box units per degree of latitude
    x_factor: float  # cos(centre latitude): view box units per degree of longitude = scale × x_factor
    margin: float

    def point(self, longitude: float, latitude: float) -> Position:
        """Where a place falls in the view box, rounded to 0.1."""
        x = self.margin + (longitude - self.west) * self.scale * self.x_factor
        y = self.margin + (self.north - latitude) * self.scale
        return (round(x, 1), round(y, 1))


def outline_map(polygons: list[list[Ring]], *, width: float = 600.0, margin: float = 10.0) -> OutlineMap:
    """Project the polygons into a view box `width` wide (its height follows from the outline)."""
    positions = [position for polygon in polygons for ring in polygon for position in ring]
    if not positions:
        raise TopologyError("The outline has no positions.")
    west = min(lon for lon, _ in positions)
    east = max(lon for lon, _ in positions)
    south = min(lat for _, lat in positions)
    north = max(lat for _, lat in positions)
    x_factor = math.cos(math.radians((north + south) / 2))
    scale = (width - 2 * margin) / ((east - west) * x_factor)
    height = round((north - south) * scale + 2 * margin, 1)
    frame = OutlineMap("", width, height, west, north, scale, x_factor, margin)
    parts: list[str] = []
    for polygon in polygons:
        for ring in polygon:
            points = _thin([frame.point(lon, lat) for lon, lat in ring])
            if len(points) < 3:
                continue
            head, *tail = points
            parts.append(f"M{_number(head[0])} {_number(head[1])}")
            parts.extend(f"L{_number(x)} {_number(y)}" for x, y in tail)
            parts.append("Z")
    return OutlineMap("".join(parts), width, height, west, north, scale, x_factor, margin)


def _thin(points: list[Position]) -> list[Position]:
    """Drop a point that lands where the one before it did (at 0.1 units the eye cannot tell)."""
    kept: list[Position] = []
    for point in points:
        if not kept or point != kept[-1]:
            kept.append(point)
    return kept


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
