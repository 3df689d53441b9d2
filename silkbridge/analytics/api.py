"""The figures through the API: the same selectors, filter and visibility as the dashboards."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from silkbridge.accounts.api_auth import AUTH_REQUIRED
from silkbridge.analytics import selectors
from silkbridge.analytics.forms import FigureFilterForm
from silkbridge.analytics.schemas import AnalyticsDashboardOut, AnalyticsFigureOut
from silkbridge.core.api_support import ErrorOut, auth_user

router = Router(tags=["analytics"])
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _filters(request: HttpRequest) -> selectors.FigureFilter:
    """start, end (YYYY-MM-DD), country, sector, event from the query string; 422 naming the field."""
    form = FigureFilterForm(request.GET or None, viewer=auth_user(request))
    if request.GET and not form.is_valid():
        raise DjangoValidationError({f"query.{name}": errors for name, errors in form.errors.as_data().items()})
    return form.figure_filter(today=timezone.localdate())


def _out(figure: selectors.Figure) -> dict[str, Any]:
    return {
        "key": figure.key,
        "title": str(figure.title),
        "definition": str(figure.definition),
        "headers": [str(header) for header in figure.headers],
        "rows": figure.rows,
        "total": figure.total,
        "previous_total": figure.previous_total,
        "change": figure.change,
        "chart": figure.chart,
        "as_of": figure.as_of,
    }


@router.get(
    "/analytics/dashboards/{name}",
    response={200: AnalyticsDashboardOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="A dashboard's figures",
)
def dashboard(request: HttpRequest, name: str) -> dict[str, Any]:
    """The figures of one dashboard (overview: staff only; events: those who may manage events;
    marketplace, deals, datacenters, zones), for the period `start`..`end` (2000-01-01 to a year after today;
    default: the last 90 days) and the optional `country`, `sector`, `event`; each with the previous
    period's total. Counts only what the caller may see; small counts read "< 5"; for anyone but staff, a
    country, sector or event that leaves fewer than 5 organisations they may see is a 422 naming it."""
    viewer = auth_user(request)
    if name not in selectors.DASHBOARDS:
        raise Http404(_("No such dashboard."))
    if name == "overview" and not viewer.is_staff:
        raise PermissionDenied(_("The overview is for the center's staff."))
    if not selectors.may_open_dashboard(viewer=viewer, name=name):
        raise PermissionDenied(_("The events figures are for those who may manage events."))
    filters = _filters(request)
    previous = filters.previous()
    figures = selectors.dashboard_figures(viewer=viewer, name=name, filters=filters)
    return {
        "name": name,
        "start": filters.start,
        "end": filters.end,
        "previous_start": previous.start,
        "previous_end": previous.end,
        "figures": [_out(figure) for figure in figures],
    }


@router.get(
    "/analytics/figures/{key}",
    response={200: AnalyticsFigureOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="One figure",
)
def figure(request: HttpRequest, key: str) -> dict[str, Any]:
    """One figure (its definition included) for the same filter as the dashboards."""
    if key not in selectors.FIGURES:
        raise Http404(_("No such figure."))
    viewer = auth_user(request)
    selectors.figure_check(viewer=viewer, key=key)
    return _out(selectors.figure_get(viewer=viewer, key=key, filters=_filters(request)))
