"""The monthly report as PDF: the overview's figures for one calendar month, each with the month
before, its chart (SVG drawn here, `engine.svgcharts`) and the table behind it, in one language.

Every number is read through `selectors.figure_get` (the dashboard's figures, as the overview shows
them), never counted here. The reader is staff: the overview is staff's (`may_open_dashboard`), and
the report is sent to a list of addresses, so it must not depend on whose eyes read it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from silkbridge.analytics import selectors
from silkbridge.analytics.engine import svgcharts

REPORT_DASHBOARD = "overview"
REPORT_LANGUAGES = ("en", "zh-hans", "ur")
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_MONTH = date(2000, 1, 1)  # the figures' filter starts there too (analytics.forms)

Progress = Callable[[float, str], None]
# Figures whose charted columns overlap (the events': meetings, of them held, no-shows; leads): a stack
# would add them up into a meaningless total, so the report draws one bar per column instead.
OVERLAPPING_SERIES = frozenset({"events_summary"})


class PdfUnavailable(Exception):
    """WeasyPrint's system libraries (Pango) are missing on this machine."""


def month_parse(value: str, *, today: date | None = None) -> date:
    """The first day of the month written YYYY-MM; ValidationError naming `month` for anything else,
    for a month before 2000 or one that has not begun yet."""
    match = MONTH_PATTERN.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError({"month": _("Write the month as YYYY-MM, for example 2027-03.")})
    if int(match.group(1)) < FIRST_MONTH.year:  # before building the date: year 0 is not a date at all
        raise ValidationError({"month": _("Choose a month from 2000-01 to the current month.")})
    month = date(int(match.group(1)), int(match.group(2)), 1)
    if month < FIRST_MONTH or month > (today or timezone.localdate()):
        raise ValidationError({"month": _("Choose a month from 2000-01 to the current month.")})
    return month


def language_check(language: str) -> str:
    """The language code if the report is written in it; ValidationError naming `language` otherwise."""
    if language not in REPORT_LANGUAGES:
        raise ValidationError(
            {"language": _("The report is written in %(languages)s.") % {"languages": ", ".join(REPORT_LANGUAGES)}}
        )
    return language


def previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def month_filter(month: date) -> selectors.FigureFilter:
    """The calendar month as a figure filter: its first to its last day."""
    following = (month + timedelta(days=32)).replace(day=1)
    return selectors.FigureFilter(start=month, end=following - timedelta(days=1))


def report_check(*, actor: Any) -> None:
    """PermissionDenied unless the actor may read the report: the overview's readers (staff)."""
    if not selectors.may_open_dashboard(viewer=actor, name=REPORT_DASHBOARD):
        raise PermissionDenied(_("The monthly report is for the center's staff."))


@dataclass
class ReportFigure:
    """One figure of the report: this month's figure, the month before's total and the change."""

    figure: selectors.Figure
    previous_total: selectors.Cell
    chart: str

    @property
    def change(self) -> int | None:
        if isinstance(self.figure.total, int) and isinstance(self.previous_total, int):
            return self.figure.total - self.previous_total
        return None


def _numeric(cell: selectors.Cell) -> int | float | None:
    return cell if isinstance(cell, int | float) and not isinstance(cell, bool) else None


def figure_chart(figure: selectors.Figure, *, rtl: bool) -> str:
    """The figure's chart as SVG: the kind and columns the dashboard draws (`Figure.chart`, `series`)."""
    labels = [str(row[0]) for row in figure.rows]
    series = [
        svgcharts.Series(str(figure.headers[column]), [_numeric(row[column]) for row in figure.rows])
        for column in figure.series
    ]
    prefix = f"chart-{figure.key}"
    stacked = figure.chart == "stacked" and figure.key not in OVERLAPPING_SERIES
    if figure.chart == "funnel":
        return svgcharts.funnel_chart(
            title=figure.title, labels=labels, values=series[0].values, rtl=rtl, id_prefix=prefix
        )
    return svgcharts.bar_chart(
        title=figure.title, labels=labels, series=series, stacked=stacked, rtl=rtl, id_prefix=prefix
    )


def report_figures(*, actor: Any, month: date, progress: Progress | None = None) -> list[ReportFigure]:
    """The report's figures for the month, each with the month before's total (through the selectors)."""
    report_check(actor=actor)
    this_month, month_before = month_filter(month), month_filter(previous_month(month))
    keys = selectors.DASHBOARDS[REPORT_DASHBOARD]
    rtl = translation.get_language_bidi()
    made = []
    for index, key in enumerate(keys):
        if progress is not None:
            progress(
                0.1 + 0.6 * index / len(keys),
                _("Counting the figures (%(done)s of %(all)s)")
                % {
                    "done": index + 1,
                    "all": len(keys),
                },
            )
        figure = selectors.figure_get(viewer=actor, key=key, filters=this_month)
        previous = selectors.figure_get(viewer=actor, key=key, filters=month_before).total
        made.append(ReportFigure(figure=figure, previous_total=previous, chart=figure_chart(figure, rtl=rtl)))
    return made


def report_html(*, actor: Any, month: date, language: str, progress: Progress | None = None) -> str:
    """The report's print HTML in `language` (figures, labels and dates in it)."""
    language_check(language)
    with translation.override(language):
        figures = report_figures(actor=actor, month=month, progress=progress)
        context = {
            "month": month,
            "month_label": formats.date_format(month, "YEAR_MONTH_FORMAT"),
            "previous_label": formats.date_format(previous_month(month), "YEAR_MONTH_FORMAT"),
            "period": month_filter(month),
            "language_name": dict(settings.LANGUAGES)[language],
            "generated_on": timezone.localtime(),
            "figures": figures,
            "missing": [str(text) for text in selectors.MISSING_FIGURES.values()],
            "urdu_font_file": _urdu_font_file() if language == "ur" else "",
        }
        return render_to_string("analytics/report_print.html", context)


def _urdu_font_file() -> str:
    """The Nastaliq web font installed from npm (`make assets`), as a file URL for WeasyPrint; the
    system's Naskh font stands in without it (as for MoUs)."""
    from pathlib import Path

    path = Path(getattr(settings, "FONTSOURCE_DIR", "")) / "noto-nastaliq-urdu" / "files"
    path = path / "noto-nastaliq-urdu-arabic-400-normal.woff"
    return path.as_uri() if path.is_file() else ""


def report_pdf(*, actor: Any, month: date, language: str, progress: Progress | None = None) -> bytes:
    """The report as PDF bytes. WeasyPrint is imported here: it is heavy and loads Pango."""
    html = report_html(actor=actor, month=month, language=language, progress=progress)
    try:
        from weasyprint import HTML
    except OSError as error:  # Pango missing: WeasyPrint cannot load its C libraries
        raise PdfUnavailable(str(error)) from error
    if progress is not None:
        progress(0.75, _("Rendering the PDF"))
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
