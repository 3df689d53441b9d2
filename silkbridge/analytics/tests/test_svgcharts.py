"""The server-side charts of the monthly report: well-formed SVG, every number printed, text escaped,
a pattern per series besides its colour, mirrored for right-to-left languages."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from silkbridge.analytics.engine.svgcharts import Series, bar_chart, funnel_chart, number_text

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    return [element.text or "" for element in ElementTree.fromstring(svg).iter(f"{SVG}text")]


def test_bars_print_every_label_and_number_and_escape_text() -> None:
    svg = bar_chart(title="Orgs <by> country & city", labels=["Pakistan", "R&D <lab>"], series=[Series("n", [1234, 7])])
    root = ElementTree.fromstring(svg)  # well-formed XML, or this raises
    assert root.find(f"{SVG}title").text == "Orgs <by> country & city"  # type: ignore[union-attr]
    assert _texts(svg) == ["Pakistan", "1,234", "R&D <lab>", "7"]
    assert "R&amp;D &lt;lab&gt;" in svg


def test_stacked_bars_have_a_legend_a_pattern_per_series_and_the_row_totals() -> None:
    svg = bar_chart(
        title="Profiles",
        labels=["2027-02", "2027-03"],
        series=[Series("Draft", [2, 0]), Series("Published", [30, 5]), Series("Closed", [None, 1])],
        id_prefix="profiles",
    )
    texts = _texts(svg)
    assert texts[:3] == ["Draft", "Published", "Closed"]  # the legend
    assert {"32", "6"} <= set(texts)  # each row's total at the end of its bar
    assert "30" in texts  # a part wide enough carries its own number
    patterns = [element.get("id") for element in ElementTree.fromstring(svg).iter(f"{SVG}pattern")]
    assert patterns == ["profiles-s0", "profiles-s1", "profiles-s2"]
    # the second and third patterns draw lines or dots over their colour: not colour alone
    assert "<path" in svg.split('id="profiles-s1"')[1].split("</pattern>")[0]
    assert "<circle" in svg.split('id="profiles-s2"')[1].split("</pattern>")[0]


def test_right_to_left_mirrors_the_chart() -> None:
    labels, series = ["لاہور"], [Series("n", [5])]
    ltr = ElementTree.fromstring(bar_chart(title="t", labels=labels, series=series))
    rtl = ElementTree.fromstring(bar_chart(title="t", labels=labels, series=series, rtl=True))
    label_ltr, label_rtl = next(ltr.iter(f"{SVG}text")), next(rtl.iter(f"{SVG}text"))
    assert (label_ltr.get("text-anchor"), label_rtl.get("text-anchor")) == ("end", "start")
    assert float(label_rtl.get("x", 0)) == 640 - float(label_ltr.get("x", 0))
    bar_ltr, bar_rtl = (root.findall(f"{SVG}rect")[0] for root in (ltr, rtl))  # not the patterns' rects
    assert float(bar_rtl.get("x", 0)) + float(bar_rtl.get("width", 0)) == 640 - float(bar_ltr.get("x", 0))


def test_funnel_shows_counts_with_their_share_of_the_first_stage() -> None:
    svg = funnel_chart(title="Funnel", labels=["Shown", "Judged useful", "Interest"], values=[4, 2, 1])
    assert _texts(svg) == ["Shown", "4 (100%)", "Judged useful", "2 (50%)", "Interest", "1 (25%)"]
    empty = funnel_chart(title="Funnel", labels=["Shown"], values=[None])
    assert _texts(empty) == ["Shown", "–"]


def test_numbers() -> None:
    assert [number_text(12345), number_text(0.6667), number_text(2.0)] == ["12,345", "0.6667", "2"]
