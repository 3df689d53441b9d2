"""Dashboards (an overview for staff, one per domain for anyone signed in) and each figure's download.
Every number comes from `analytics.selectors`; this module only reads the filter and renders."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from silkbridge.analytics import selectors
from silkbridge.analytics.forms import FigureFilterForm
from silkbridge.core.exports import csv_response, xlsx_response

DASHBOARD_TITLES: dict[str, Any] = {
    "overview": gettext_lazy("Overview"),
    "marketplace": gettext_lazy("Marketplace and matching"),
    "events": gettext_lazy("Events"),
    "deals": gettext_lazy("Deals pipeline"),
    "datacenters": gettext_lazy("Data-center proposals"),
    "zones": gettext_lazy("Zones and relocation"),
}


def _filters(request: HttpRequest) -> tuple[FigureFilterForm, selectors.FigureFilter]:
    form = FigureFilterForm(request.GET or None, viewer=request.user)
    return form, form.figure_filter(today=timezone.localdate())


def _chart_data(figures: list[selectors.Figure]) -> list[dict[str, Any]]:
    """What static/analytics/charts.js draws: numbers only ("< 5" and empty cells become null)."""
    return [
        {
            "id": f"chart-{figure.key}",
            "kind": figure.chart,
            "labels": [str(row[0]) for row in figure.rows],
            "series": [
                {
                    "name": str(figure.headers[column]),
                    "values": [row[column] if isinstance(row[column], int | float) else None for row in figure.rows],
                }
                for column in figure.series
            ],
        }
        for figure in figures
    ]


def _render(request: HttpRequest, name: str) -> HttpResponse:
    form, filters = _filters(request)
    # A refused filter shows no figures at all (its error says why), not the default period's.
    figures = [] if form.errors else selectors.dashboard_figures(viewer=request.user, name=name, filters=filters)
    context = {
        "name": name,
        "title": DASHBOARD_TITLES[name],
        "dashboards": [
            (key, title)
            for key, title in DASHBOARD_TITLES.items()
            if key != "overview" and selectors.may_open_dashboard(viewer=request.user, name=key)
        ],
        "form": form,
        "filters": filters,
        "previous": filters.previous(),
        "figures": figures,
        "chart_data": _chart_data(figures),
        "query": request.GET.urlencode(),
        "missing": selectors.MISSING_FIGURES.values() if name == "overview" else [],
        "suppression_threshold": selectors.SUPPRESSION_THRESHOLD,
        # ECharts comes from the npm registry at install time (make assets); without it, tables only.
        "echarts_available": (settings.ECHARTS_DIST_DIR / "echarts.min.js").is_file(),
    }
    return render(request, "analytics/dashboard.html", context, status=400 if form.errors else 200)


def public_figures_view(request: HttpRequest) -> HttpResponse:
    """The figures the center publishes, for anyone, signed in or not; 404 while it publishes none."""
    if not selectors.public_figure_keys():
        raise Http404(_("The center publishes no figures."))
    filters, figures = selectors.public_figures(today=timezone.localdate())
    context = {
        "filters": filters,
        "figures": figures,
        "chart_data": _chart_data(figures),
        "suppression_threshold": selectors.SUPPRESSION_THRESHOLD,
        "echarts_available": (settings.ECHARTS_DIST_DIR / "echarts.min.js").is_file(),
    }
    return render(request, "analytics/public.html", context)


@login_required
def overview_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied(_("The overview is for the center's staff."))
    return _render(request, "overview")


@login_required
def dashboard_view(request: HttpRequest, name: str) -> HttpResponse:
    if name not in selectors.DASHBOARDS or name == "overview":
        raise Http404(_("No such dashboard."))
    if not selectors.may_open_dashboard(viewer=request.user, name=name):
        raise PermissionDenied(_("The events figures are for those who may manage events."))
    return _render(request, name)


@login_required
def figure_download_view(request: HttpRequest, key: str, file_format: str) -> HttpResponse:
    """One figure's table as CSV or .xlsx, for the same filter as the page it was opened from."""
    if key not in selectors.FIGURES or file_format not in ("csv", "xlsx"):
        raise Http404(_("No such figure."))
    selectors.figure_check(viewer=request.user, key=key)
    form, filters = _filters(request)
    if form.is_bound and not form.is_valid():
        # A download of another filter than the one asked for would mislead: refuse, naming the field.
        lines = [
            f"{form.fields[name].label}: {message}" for name, messages in form.errors.items() for message in messages
        ]
        return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")
    figure = selectors.figure_get(viewer=request.user, key=key, filters=filters)
    filename = f"{key}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.{file_format}"
    rows = [["" if cell is None else cell for cell in row] for row in figure.rows]
    if file_format == "csv":
        return csv_response(filename, figure.headers, rows)
    return xlsx_response(
        filename, figure.headers, rows, sheet_title=key
    )  # a title may hold ":", which sheet names may not
