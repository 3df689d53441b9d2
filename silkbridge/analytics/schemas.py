from __future__ import annotations

from datetime import date, datetime

from ninja import Schema

Cell = int | float | str | None


class AnalyticsFigureOut(Schema):
    key: str
    title: str
    definition: str
    headers: list[str]
    rows: list[list[Cell]]  # first cell names the group; "< 5" is a count suppressed for the caller
    total: Cell
    previous_total: Cell
    change: int | None
    chart: str
    # Counted from the analytics summary as it was at this instant (docs/analytics.md, "Summary"); null: live.
    as_of: datetime | None = None


class AnalyticsDashboardOut(Schema):
    name: str
    start: date
    end: date
    previous_start: date
    previous_end: date
    figures: list[AnalyticsFigureOut]
