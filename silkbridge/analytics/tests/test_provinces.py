"""Provinces from cities (analytics/data/provinces.yaml) and the figures that group by them, against hand
counts on the fixture (fixture.py) plus the organisations and deals each test adds."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from silkbridge.analytics import selectors
from silkbridge.analytics.provinces import province_of, provinces
from silkbridge.analytics.selectors import SUPPRESSED
from silkbridge.analytics.tests.fixture import NOVEMBER, _deal, _organisation, at, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> SimpleNamespace:
    return build_world()


def test_the_table_holds_every_provincial_division_of_china_and_pakistan_in_three_languages() -> None:
    table = provinces()
    # 31 mainland divisions and the 2 special administrative regions; 4 provinces and 3 territories.
    assert sum(province.country == "CN" for province in table.values()) == 33
    assert sum(province.country == "PK" for province in table.values()) == 7
    assert all(province.names["zh"] and province.names["ur"] for province in table.values())
    assert province_of("PK", " lahore ").code == "PK-PB"  # type: ignore[union-attr]
    assert province_of("CN", "西安").code == "CN-SN"  # type: ignore[union-attr]
    assert province_of("PK", "Hyderabad").code == "PK-SD"  # type: ignore[union-attr]
    assert province_of("IN", "Hyderabad") is None  # the country decides: India's Hyderabad is not Sindh's
    assert province_of("PK", "Atlantis") is None


def test_every_city_of_the_demo_and_scale_data_has_its_province() -> None:
    import yaml

    from silkbridge.analytics.provinces import PROVINCES_FILE
    from silkbridge.site.scale import CITIES

    demo = yaml.safe_load((PROVINCES_FILE.parents[2] / "directory" / "data" / "demo_organisations.yaml").read_text())
    places = {(row["country"], row["city"]) for row in demo if row.get("city")}
    places |= {(country, city) for country, cities in CITIES.items() for pair in cities for city in pair}
    missing = sorted(place for place in places if place[0] in ("CN", "PK") and province_of(*place) is None)
    assert missing == []


def _more_organisations() -> None:
    """November: " lahore " (spaces, lower case), an unknown Pakistani city, no city, Dubai, 西安."""
    for country, city in (("PK", " lahore "), ("PK", "Atlantis"), ("PK", ""), ("AE", "Dubai"), ("CN", "西安")):
        _organisation(country, city, "company", "public", [], at(10))


def test_organisations_by_province_for_staff_against_hand_counts(world: SimpleNamespace) -> None:
    _more_organisations()
    figure = selectors.figure_get(viewer=world.staff, key="organisations_by_province", filters=NOVEMBER)
    assert figure.headers == ["Province", "Country", "Organisations"]
    assert figure.rows == [
        ["Punjab", "Pakistan", 4],  # O1, O7, O8 in Lahore and " lahore "
        ["Guangdong", "China", 2],  # O3, O4 in Shenzhen
        ["Province not known", "Pakistan", 2],  # Atlantis, no city
        ["Province not known", "United Arab Emirates", 1],
        ["Beijing", "China", 1],
        ["Shaanxi", "China", 1],  # 西安
        ["Islamabad Capital Territory", "Pakistan", 1],
        ["Sindh", "Pakistan", 1],  # O2 in Karachi
    ]
    assert (figure.total, figure.previous_total, figure.change) == (13, 1, 12)


def test_organisations_by_province_for_an_outsider_and_in_chinese_and_urdu(world: SimpleNamespace) -> None:
    figure = selectors.figure_get(viewer=world.outsider, key="organisations_by_province", filters=NOVEMBER)
    # O4 (private) is not counted: Guangdong is O3 alone, shown "< 5"; the total is 7, not 8.
    assert ["Guangdong", "China", SUPPRESSED] in figure.rows
    assert figure.total == 7
    with translation.override("zh-hans"):
        chinese = selectors.figure_get(viewer=world.staff, key="organisations_by_province", filters=NOVEMBER)
    assert chinese.rows[0] == ["旁遮普省", "巴基斯坦", 3]
    with translation.override("ur"):
        urdu = selectors.figure_get(viewer=world.staff, key="organisations_by_province", filters=NOVEMBER)
    assert urdu.rows[0][0] == "پنجاب"


def test_organisations_by_focus_field_and_country(world: SimpleNamespace) -> None:
    figure = selectors.figure_get(viewer=world.staff, key="organisations_by_sector_and_country", filters=NOVEMBER)
    assert figure.headers == ["Focus field", "China", "Pakistan"]
    assert figure.rows == [["t-ai", 1, 2], ["t-bio", 2, 0]]  # O2's sub-field in t-ai; O3 in both fields
    assert figure.total == 4
    assert figure.chart == "heatmap"
    outsider = selectors.figure_get(viewer=world.outsider, key="organisations_by_sector_and_country", filters=NOVEMBER)
    assert outsider.rows == [["t-ai", SUPPRESSED, SUPPRESSED], ["t-bio", SUPPRESSED, 0]]  # O4 (private) left out


def _more_deals(world: SimpleNamespace) -> None:
    """D4 (O5 Beijing, O9 Islamabad, O8 Lahore, O3 Shenzhen), D5 (a Chinese city the table does not list,
    O2 Karachi), D6 in October (O5, O9), D8 (O1 Lahore, O5 Beijing, a private organisation in Karachi)."""
    o2, o8, o9 = _pakistani()
    nowhere = _organisation("CN", "Nowhere", "company", "public", [], at(10))
    hidden = _organisation("PK", "Karachi", "company", "private", [], at(10))
    _deal(world, [world.o5, o9, o8, world.o3], [("lead", at(12))])
    _deal(world, [nowhere, o2], [("lead", at(13))])
    _deal(world, [world.o5, o9], [("lead", at(20, month=10))])
    _deal(world, [world.o1, world.o5, hidden], [("lead", at(14))])


def _pakistani() -> tuple[object, object, object]:
    """O2 (Karachi), O8 (Lahore, members only) and O9 (Islamabad) of the fixture."""
    organisations = selectors.Organisation.objects.filter(country="PK", created_at=at(10)).order_by("pk")
    by_place = {(organisation.city, organisation.visibility): organisation for organisation in organisations}
    return by_place[("Karachi", "public")], by_place[("Lahore", "members")], by_place[("Islamabad", "public")]


def test_deals_between_chinese_provinces_and_pakistani_cities_for_staff(world: SimpleNamespace) -> None:
    _more_deals(world)
    figure = selectors.figure_get(viewer=world.staff, key="deals_by_province_and_city", filters=NOVEMBER)
    assert figure.headers == ["Province (China)", "Lahore", "Islamabad", "Karachi"]
    assert figure.rows == [
        ["Beijing", 2, 1, 1],  # D4 to Lahore and Islamabad, D8 to Lahore and its private Karachi party
        ["Guangdong", 3, 1, 0],  # D1, D3, D4 to Lahore; D4 to Islamabad
        ["Province not known", 0, 0, 1],  # D5
    ]
    assert (figure.total, figure.previous_total) == (4 + 1, 1)  # D1, D3, D4, D5, D8; October: D6
    assert figure.chart == "heatmap"


def test_deals_between_provinces_and_cities_count_only_parties_the_viewer_may_see(world: SimpleNamespace) -> None:
    _more_deals(world)
    figure = selectors.figure_get(viewer=world.outsider, key="deals_by_province_and_city", filters=NOVEMBER)
    # O1's member sees D1, D3 and D8 (O1 is a party): D3's Chinese party and D8's Karachi party are private.
    assert figure.headers == ["Province (China)", "Lahore"]
    assert figure.rows == [["Beijing", SUPPRESSED], ["Guangdong", SUPPRESSED]]
    assert figure.total == SUPPRESSED
    assert selectors.figure_get(viewer=world.stranger, key="deals_by_province_and_city", filters=NOVEMBER).rows == []


def test_the_api_and_the_downloads_serve_the_province_figures_as_the_page_counts_them(world: SimpleNamespace) -> None:
    import io

    from django.test import Client
    from openpyxl import load_workbook

    _more_deals(world)
    client = Client()
    client.force_login(world.outsider)
    period = {"start": "2026-11-01", "end": "2026-11-30"}
    body = client.get("/api/v1/analytics/figures/deals_by_province_and_city", period).json()
    assert (body["headers"], body["rows"], body["chart"]) == (
        ["Province (China)", "Lahore"],
        [["Beijing", "< 5"], ["Guangdong", "< 5"]],
        "heatmap",
    )
    client.force_login(world.staff)
    download = client.get("/analytics/figures/organisations_by_province.xlsx", period)
    sheet = load_workbook(io.BytesIO(download.content), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]  # type: ignore[union-attr]
    assert rows[:3] == [["Province", "Country", "Organisations"], ["Punjab", "Pakistan", 3], ["Guangdong", "China", 2]]
    csv = client.get("/analytics/figures/deals_by_province_and_city.csv", period).content.decode().lstrip("\ufeff")
    assert csv.splitlines()[:2] == ["Province (China),Lahore,Islamabad,Karachi", "Beijing,2,1,1"]
