"""The zones map: Pakistan's outline decoded from the installed world-atlas package (TopoJSON) and drawn
as SVG on the server, one point per zone with coordinates; without the package the pages still work."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.conf import settings
from django.test import Client, override_settings

from silkbridge.zones.engine.geomap import country_polygons, decode_arcs, outline_map
from silkbridge.zones.models import Zone

# A hand-made quantized topology: a unit square (arcs 0 and 1, the second walked backwards by ~1) and a
# triangle. scale 0.5, translate (60, 20): integer (2, 4) is longitude 61, latitude 22.
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [60, 20]},
    "arcs": [
        [[0, 0], [2, 0], [0, 2]],  # (60,20) -> (61,20) -> (61,21)
        [[0, 0], [0, 2], [2, 0]],  # (60,20) -> (60,21) -> (61,21)
        [[10, 10], [2, 0], [-1, 2], [-1, -2]],
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "586", "arcs": [[0, ~1]]},
                {"type": "MultiPolygon", "id": "004", "arcs": [[[2]], [[0, ~1]]]},
            ],
        }
    },
}


def test_the_decoder_undoes_the_delta_encoding_and_the_quantization():
    arcs = decode_arcs(TOPOLOGY)
    assert arcs[0] == [(60.0, 20.0), (61.0, 20.0), (61.0, 21.0)]
    assert arcs[2] == [(65.0, 25.0), (66.0, 25.0), (65.5, 26.0), (65.0, 25.0)]


def test_a_ring_joins_its_arcs_and_walks_a_negative_one_backwards():
    [[ring]] = country_polygons(TOPOLOGY, object_name="countries", country_id="586")
    # arc 0, then arc 1 reversed without its first position (the shared corner (61, 21))
    assert ring == [(60.0, 20.0), (61.0, 20.0), (61.0, 21.0), (60.0, 21.0), (60.0, 20.0)]
    assert len(country_polygons(TOPOLOGY, object_name="countries", country_id="004")) == 2


def test_the_projection_keeps_north_up_and_narrows_longitude_by_the_cosine():
    outline = outline_map(country_polygons(TOPOLOGY, object_name="countries", country_id="586"), width=110, margin=5)
    # 1 degree of longitude at 20.5 °N is cos(20.5°) = 0.9367 of a degree of latitude, so the square is
    # 100 units wide and 100 / 0.9367 = 106.8 tall (+ 2 × 5 margin).
    assert outline.height == pytest.approx(116.8, abs=0.1)
    assert outline.point(60, 21) == (5.0, 5.0)  # north-west corner at the top left
    assert outline.point(61, 20) == (105.0, 111.8)
    assert outline.path.startswith("M5 111.8L105 111.8L105 5L5 5")
    assert outline.path.endswith("Z")


def _points(html: str) -> dict[str, tuple[float, float]]:
    return {
        key: (float(x), float(y))
        for key, x, y in re.findall(r'data-zone="([^"]+)"[^>]*>.*?<circle[^>]*cx="([\d.]+)" cy="([\d.]+)"', html)
    }


@pytest.mark.django_db
def test_the_zones_page_draws_pakistan_and_one_point_per_zone_with_coordinates():
    assert (settings.WORLD_ATLAS_DIR / "countries-50m.json").is_file(), "npm install puts world-atlas here"
    html = Client().get("/zones/").content.decode()
    assert 'role="group" aria-labelledby="zone-map-title" aria-describedby="zone-map-desc"' in html
    assert '<title id="zone-map-title">Map of Pakistan with the zones</title>' in html
    outline = re.search(r'<path class="zone-map-country" d="([^"]+)"', html)
    assert outline is not None
    assert outline.group(1).count("M") >= 1
    assert len(outline.group(1)) > 2000
    placed = Zone.objects.exclude(latitude=None)
    points = _points(html)
    assert set(points) == set(placed.values_list("key", flat=True))
    assert len(points) >= 10
    # Lahore lies east and south of Islamabad; Karachi far south and west of both.
    lahore, islamabad = points["lahore-technopolis"], points["islamabad-technopolis"]
    karachi = next(points[zone.key] for zone in placed if zone.city == "Karachi")
    assert lahore[0] > islamabad[0]
    assert lahore[1] > islamabad[1]
    assert karachi[1] > lahore[1] + 150
    assert karachi[0] < islamabad[0]
    # each point is a link with a name, marked approximate: it stands at its city's centre
    assert 'aria-label="Lahore Technopolis (approximate: the city’s location)"' in html
    assert "Boundaries are illustrative and not authoritative" in html
    unplaced = Zone.objects.filter(latitude=None).count()
    assert f"{unplaced} zones have no known location" in html


@pytest.mark.django_db
def test_a_zone_page_shows_its_own_point():
    html = Client().get("/zones/lahore-technopolis/").content.decode()
    assert set(_points(html)) == {"lahore-technopolis"}


@pytest.mark.django_db
def test_without_the_package_the_pages_work_and_say_the_map_is_missing(tmp_path):
    with override_settings(WORLD_ATLAS_DIR=tmp_path / "absent"):
        for address in ("/zones/", "/zones/lahore-technopolis/"):
            response = Client().get(address)
            html = response.content.decode()
            assert response.status_code == 200
            assert "The map is not available" in html
            assert '<svg class="zone-map-drawing"' not in html
        assert "Lahore Technopolis" in Client().get("/zones/").content.decode()  # the list still has every zone


@pytest.mark.django_db
def test_a_zone_placed_outside_pakistan_is_left_off_the_map_and_a_name_with_markup_is_escaped():
    """Coordinates typed wrong (0, 0; a latitude of 95) would draw a point far outside the drawing, an
    invisible link counted as on the map; a zone's name is text, never markup, inside the SVG too."""
    Zone.objects.filter(key="islamabad-technopolis").update(latitude=0, longitude=0)
    Zone.objects.filter(key="arfa-software-technology-park").update(latitude=95, longitude=400)
    Zone.objects.filter(key="lahore-technopolis").update(name_en='<script>alert("x")</script>')
    unplaced = Zone.objects.filter(latitude=None).count() + 2
    html = Client().get("/zones/").content.decode()
    points = _points(html)
    assert "islamabad-technopolis" not in points
    assert "arfa-software-technology-park" not in points
    assert "lahore-technopolis" in points
    assert f"{unplaced} zones have no known location" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@pytest.mark.django_db
def test_by_default_the_page_names_no_tile_server_and_loads_no_tile_script():
    for address in ("/zones/", "/zones/lahore-technopolis/"):
        html = Client().get(address).content.decode()
        assert '<svg class="zone-map-drawing"' in html
        assert "data-tiles-" not in html
        assert "zone-tiles.js" not in html
        assert "leaflet" not in html


@pytest.mark.django_db
def test_with_a_tile_server_the_figure_carries_what_the_script_reads():
    assert (settings.LEAFLET_DIST_DIR / "leaflet.js").is_file(), "npm install puts leaflet here"
    with override_settings(MAP_TILES_URL=OSM, MAP_TILES_ATTRIBUTION="© OpenStreetMap contributors"):
        html = Client().get("/zones/").content.decode()
        single = Client().get("/zones/lahore-technopolis/").content.decode()
    figure = re.search(r'<figure class="zone-map"([^>]*)>', html)
    assert figure is not None
    attributes = dict(re.findall(r'(data-tiles-[a-z]+)="([^"]*)"', figure.group(1)))
    assert attributes["data-tiles-url"] == OSM
    assert attributes["data-tiles-attribution"] == "© OpenStreetMap contributors"
    assert attributes["data-tiles-label"].startswith("Online map of the zones")
    points = json.loads(unescape(attributes["data-tiles-points"]))
    placed = Zone.objects.exclude(latitude=None)
    assert {point["url"] for point in points} == {f"/zones/{key}/" for key in placed.values_list("key", flat=True)}
    lahore = next(point for point in points if point["url"] == "/zones/lahore-technopolis/")
    zone = Zone.objects.get(key="lahore-technopolis")
    assert (lahore["latitude"], lahore["longitude"]) == (float(zone.latitude), float(zone.longitude))
    assert lahore["name"] == "Lahore Technopolis"
    assert lahore["approximate"] is True
    # the script and Leaflet come from our own static files (the CSP allows nothing else)
    assert '<script src="/static/vendor/leaflet/dist/leaflet.js" defer></script>' in html
    assert '<script src="/static/silkbridge/zone-tiles.js" defer></script>' in html
    assert '<svg class="zone-map-drawing"' in html  # the SVG is served; the script swaps it only once a tile loads
    single_points = json.loads(unescape(re.search(r'data-tiles-points="([^"]*)"', single).group(1)))
    assert [point["url"] for point in single_points] == ["/zones/lahore-technopolis/"]


@pytest.mark.django_db
def test_the_attribution_is_escaped_in_the_page():
    with override_settings(MAP_TILES_URL=OSM, MAP_TILES_ATTRIBUTION='<b onclick="x">Tiles</b>'):
        html = Client().get("/zones/").content.decode()
    assert 'data-tiles-attribution="&lt;b onclick=&quot;x&quot;&gt;Tiles&lt;/b&gt;"' in html
