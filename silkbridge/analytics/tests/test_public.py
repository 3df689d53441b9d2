"""The public figures page: off (404, unlinked) unless SILKBRIDGE_PUBLIC_FIGURES names figures; then, for
anyone signed out, what a signed-out visitor may see, in the visitor's language, and cached."""

from __future__ import annotations

import warnings
from datetime import date
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from silkbridge.analytics import selectors
from silkbridge.analytics.selectors import SUPPRESSED
from silkbridge.analytics.tests.fixture import _organisation, at, build_world

pytestmark = pytest.mark.django_db
DECEMBER_FIRST = date(2026, 12, 1)  # the fixture's rows are all in the 365 days up to it


@pytest.fixture
def world() -> SimpleNamespace:
    cache.clear()
    return build_world()


def test_the_page_is_off_and_unlinked_by_default(world: SimpleNamespace, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PUBLIC_FIGURES = []
    assert Client().get(reverse("analytics:public")).status_code == 404
    staff = Client()
    staff.force_login(world.staff)
    assert staff.get(reverse("analytics:public")).status_code == 404
    assert reverse("analytics:public") not in Client().get(reverse("core:home")).content.decode()


def test_published_figures_count_only_what_a_signed_out_visitor_sees(world: SimpleNamespace, settings) -> None:  # type: ignore[no-untyped-def]
    # The events figure is for event managers and an unknown key is nothing: neither is published.
    settings.PUBLIC_FIGURES = ["organisations_by_country", "events_summary", "no_such_figure", "deals_by_stage"]
    assert selectors.public_figure_keys() == ["organisations_by_country", "deals_by_stage"]
    warnings = {warning.msg for warning in selectors.public_figures_check()}
    assert warnings == {
        "SILKBRIDGE_PUBLIC_FIGURES names 'events_summary', which is not published: only those who may manage "
        "events read it.",
        "SILKBRIDGE_PUBLIC_FIGURES names 'no_such_figure', which is not published: no figure has this key.",
    }
    filters, figures = selectors.public_figures(today=DECEMBER_FIRST)
    assert (filters.start, filters.end) == (date(2025, 12, 2), DECEMBER_FIRST)
    by_country = figures[0]
    # Public organisations only: O1, O2, O7, O9 and O6 (October), O10 (January) in Pakistan; O5 in China.
    assert by_country.rows == [["Pakistan", 6], ["China", SUPPRESSED]]
    assert by_country.total == 7
    assert figures[1].total == 0  # a visitor is party to no deal


def test_the_figures_are_cached_until_the_time_to_live_ends(world: SimpleNamespace, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PUBLIC_FIGURES = ["organisations_by_country"]
    first = selectors.public_figures(today=DECEMBER_FIRST)[1][0]
    assert first.total == 7
    _organisation("PK", "Lahore", "company", "public", [], at(20))
    assert selectors.public_figures(today=DECEMBER_FIRST)[1][0].total == first.total  # from the cache
    cache.clear()
    assert selectors.public_figures(today=DECEMBER_FIRST)[1][0].total == 8


@pytest.mark.parametrize(
    ("language", "heading", "figure_title"),
    [
        ("en", "The center in figures", "Organisations by province"),
        ("zh-hans", "中心数据一览", "按省份统计的机构"),
        ("ur", "مرکز اعداد و شمار میں", "صوبے کے لحاظ سے ادارے"),
    ],
)
def test_the_page_works_signed_out_in_three_languages_and_the_footer_links_it(
    world: SimpleNamespace,
    settings,  # type: ignore[no-untyped-def]
    language: str,
    heading: str,
    figure_title: str,
) -> None:
    settings.PUBLIC_FIGURES = ["organisations_by_province"]
    visitor = Client(headers={"accept-language": language})
    response = visitor.get(reverse("analytics:public"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert f"<h2>{figure_title}</h2>" in page
    assert 'id="analytics-chart-data"' in page
    assert "figures/organisations_by_province" not in page  # downloads are for signed-in users
    home = visitor.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("analytics:public")}"' in home


def test_a_setting_naming_no_publishable_figure_leaves_no_link_to_a_404(settings) -> None:  # type: ignore[no-untyped-def]
    # A typo and the events figure (never published): the page is off, so the footer does not lead there.
    settings.PUBLIC_FIGURES = ["organisations_by_provnce", "events_summary"]
    visitor = Client()
    assert visitor.get(reverse("analytics:public")).status_code == 404
    assert reverse("analytics:public") not in visitor.get(reverse("core:home")).content.decode()


def test_every_publishable_figure_at_once_is_still_cached(world: SimpleNamespace, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PUBLIC_FIGURES = [key for key in selectors.FIGURES if key != "events_summary"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Django's CacheKeyWarning: a key longer than 250 characters
        first = selectors.public_figures(today=DECEMBER_FIRST)
        with CaptureQueriesContext(connection) as queries:
            again = selectors.public_figures(today=DECEMBER_FIRST)
    assert len(queries.captured_queries) == 0
    assert [figure.total for figure in again[1]] == [figure.total for figure in first[1]]
