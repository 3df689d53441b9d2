"""The figures the center reports: one selector per figure, each defined once, in its docstring.

Every page, API endpoint and download reads a figure through `figure_get` / `dashboard_figures`; none
computes a figure itself, so two places can never count the same thing differently.

Rules shared by every figure:
- A figure is one aggregate query (GROUP BY in the database) however many rows it counts, plus at most
  one query for the labels of its groups; its size never depends on the number of rows.
- The period is a range of calendar days, both ends included, in the site's time zone. Each figure's
  docstring says which date of a row the period applies to.
- Visibility: a row is counted only where the owning app's selector lets the viewer see it
  (`directory.selectors.organisation_visibility_q`, `marketplace.selectors.opportunities_visible_to`,
  `events.selectors.event_list`, `deals.selectors.deals_visible` / `mous_visible`,
  `datacenters.selectors.assessment_list`). Staff see everything.
- Small counts: for anyone but staff, a count from 1 to 4 reads "< 5" (SUPPRESSED), and a rate whose
  denominator is below 5 does too, so that a small group cannot point at one organisation.
- The filter's country and sector narrow the organisations a figure is about (see `_organisations_in`);
  its event narrows to one event (organisations: its participants).
- Provinces: organisations record a city; analytics/data/provinces.yaml (with its sources) says which
  province a city of China or Pakistan is in, compared in SQL; an unlisted city is "Province not known".
- The public figures page shows the figures settings.PUBLIC_FIGURES names, as a signed-out visitor
  reads them (`public_figures`), cached.
- Summary: the heaviest figures (organisations by province, by focus field, by focus field and
  country; the matching funnel for staff) read the counts per day of `analytics.models.SummaryCount`
  when `_summary_for` finds a current one (young enough, counted in the viewer's time zone, not
  invalidated, no sector or event filter) and count live otherwise; a figure read from it carries
  `as_of` and the page says "figures as of HH:MM". A non-staff viewer's own private organisations
  are never in the summary's classes they read: they are counted live and added (docs/analytics.md).
- A figure the issue asks for that no app records would be listed in `MISSING_FIGURES` (shown on the
  pages as a gap instead of a made-up number); relocation cases, once such a gap, are now counted.
"""

from __future__ import annotations

import hashlib
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import checks
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.db import connection
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import Window
from django.db.models.functions import Coalesce, Lead, Lower, Trim, TruncMonth
from django.db.models.lookups import In
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from silkbridge.analytics.models import SummaryCount, SummaryGeneration, SummaryMeasure
from silkbridge.analytics.provinces import database_keys, provinces
from silkbridge.common.countries import country_name
from silkbridge.core.i18n import content_language
from silkbridge.datacenters.selectors import assessment_list
from silkbridge.deals.choices import DealStage, DealTrack, MouStatus, RelocationStage
from silkbridge.deals.models import Deal, DealEvent, DealParty
from silkbridge.deals.selectors.mou import mous_visible
from silkbridge.deals.selectors.pipeline import deals_visible
from silkbridge.directory.choices import OrganisationKind, Visibility
from silkbridge.directory.models import Organisation, Sector
from silkbridge.directory.selectors import filter_by_sector, organisation_visibility_q
from silkbridge.events.choices import MeetingOutcome, MeetingStatus, RequestStatus
from silkbridge.events.models import Meeting, MeetingRating, MeetingRequest, Participant
from silkbridge.events.selectors import can_manage_events, event_list, events_visible
from silkbridge.marketplace.choices import OpportunityStatus, OpportunityType
from silkbridge.marketplace.models import ExpressionOfInterest
from silkbridge.marketplace.selectors import opportunities_visible_to, shown_to_others_q
from silkbridge.matching.models import Match, MatchFeedback

SUPPRESSION_THRESHOLD = 5
SUPPRESSED = "< 5"
DEFAULT_PERIOD_DAYS = 90

Cell = int | float | str | None

# Figures the issue asks for that no app records yet: shown as a gap, never as a number (none left:
# relocation cases are recorded by deals since the relocation track, see relocation_cases_by_stage_and_zone).
MISSING_FIGURES: dict[str, Any] = {}


@dataclass(frozen=True)
class FigureFilter:
    """What every figure is narrowed by: a period of calendar days (both ends included) and, optionally,
    an organisation country (ISO code), a sector code (a focus field includes its sub-fields) and an
    event (its short name)."""

    start: date
    end: date
    country: str = ""
    sector: str = ""
    event: str = ""

    @classmethod
    def default(cls, *, today: date | None = None) -> FigureFilter:
        """The last DEFAULT_PERIOD_DAYS days, today included."""
        end = today or timezone.localdate()
        return cls(start=end - timedelta(days=DEFAULT_PERIOD_DAYS - 1), end=end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> FigureFilter:
        """The period of equal length that ends the day before this one starts; same other filters."""
        return replace(self, start=self.start - timedelta(days=self.days), end=self.start - timedelta(days=1))

    def with_previous(self) -> FigureFilter:
        """The previous period and this one together: one query counts both, each with its own filter."""
        return replace(self, start=self.previous().start)

    def bounds(self) -> tuple[datetime, datetime]:
        """[first instant, instant after the last day) in the site's time zone."""
        zone = timezone.get_current_timezone()
        first = timezone.make_aware(datetime.combine(self.start, time.min), zone)
        after = timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min), zone)
        return first, after

    def period_q(self, path: str) -> Q:
        first, after = self.bounds()
        return Q(**{f"{path}__gte": first, f"{path}__lt": after})


@dataclass
class Figure:
    """One figure as pages, API and downloads show it: a table (headers, rows) whose first column names
    the group, its total and the previous period's total."""

    key: str
    title: str
    definition: str
    headers: list[str]
    rows: list[list[Cell]]
    total: Cell
    chart: str = "bar"
    previous_total: Cell = None
    series: list[int] = field(default_factory=lambda: [1])  # the columns a chart draws
    # When counted from the summary (analytics.models): the instant whose data it is; None: counted live.
    as_of: datetime | None = None

    @property
    def change(self) -> int | None:
        """This period's total minus the previous period's; None where either is suppressed."""
        if isinstance(self.total, int) and isinstance(self.previous_total, int):
            return self.total - self.previous_total
        return None


# --- visibility and small counts ----------------------------------------------------------------------


def _is_staff(viewer: Any) -> bool:
    return bool(getattr(viewer, "is_staff", False))


def shown_count(count: int, *, viewer: Any) -> int | str:
    """A count as the viewer may read it: exact for staff and for 0 or 5 and more; else "< 5"."""
    if _is_staff(viewer) or count == 0 or count >= SUPPRESSION_THRESHOLD:
        return count
    return SUPPRESSED


def shown_rate(numerator: int, denominator: int, *, viewer: Any) -> float | str | None:
    """numerator / denominator (None when nothing to divide); "< 5" for non-staff on a small denominator."""
    if denominator == 0:
        return None
    if not _is_staff(viewer) and denominator < SUPPRESSION_THRESHOLD:
        return SUPPRESSED
    return round(numerator / denominator, 4)


def _visible_organisations(viewer: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(organisation_visibility_q(viewer=viewer))


def _organisations_in(filters: FigureFilter, viewer: Any) -> QuerySet[Any] | None:
    """The organisations the filter's country and sector leave (None: no such filter), as a subquery,
    limited for non-staff to those the directory lets the viewer see."""
    if not (filters.country or filters.sector):
        return None
    organisations = _visible_organisations(viewer)  # all for staff
    if filters.country:
        organisations = organisations.filter(country=filters.country.upper())
    organisations = filter_by_sector(organisations, filters.sector)
    return organisations.values("pk")


def _visible_event(filters: FigureFilter, viewer: Any) -> QuerySet[Any]:
    """The filter's event if the events app lets the viewer see it (`event_list`: staff every event,
    others published ones), as a subquery; empty otherwise."""
    return events_visible(viewer=viewer).filter(slug=filters.event).values("pk")


def _event_participants(filters: FigureFilter, viewer: Any) -> QuerySet[Any]:
    return Participant.objects.filter(event__in=_visible_event(filters, viewer)).values("organisation_id")


def event_visible(*, viewer: Any, slug: str) -> bool:
    """Whether an event with this short name exists and the viewer may see it (one answer for both)."""
    return event_list(viewer=viewer).filter(slug=slug).exists()


def too_narrow_field(*, viewer: Any, country: str = "", sector: str = "", event: str = "") -> str | None:
    """The first of country, sector, event (applied in that order) after which fewer than
    SUPPRESSION_THRESHOLD organisations the viewer may see are left, or None; always None for staff.
    Below that, "< 5" cannot protect a group: its figures would be one or two organisations'."""
    if _is_staff(viewer):
        return None
    organisations = _visible_organisations(viewer)
    for name, value in (("country", country), ("sector", sector), ("event", event)):
        if not value:
            continue
        if name == "country":
            organisations = organisations.filter(country=value.upper())
        elif name == "sector":
            organisations = filter_by_sector(organisations, value)
        else:
            organisations = organisations.filter(
                pk__in=_event_participants(replace(FigureFilter.default(), event=value), viewer)
            )
        if organisations.order_by().count() < SUPPRESSION_THRESHOLD:
            return name
    return None


# --- organisations ------------------------------------------------------------------------------------


def _organisations(viewer: Any, filters: FigureFilter) -> QuerySet[Organisation]:
    organisations = _visible_organisations(viewer).filter(filters.period_q("created_at"))
    scope = _organisations_in(filters, viewer)
    if scope is not None:
        organisations = organisations.filter(pk__in=scope)
    if filters.event:
        organisations = organisations.filter(pk__in=_event_participants(filters, viewer))
    return organisations.order_by()


def _count_rows(pairs: Iterable[tuple[Any, int]], label: Callable[[Any], str], viewer: Any) -> list[list[Cell]]:
    return [[label(key), shown_count(count, viewer=viewer)] for key, count in pairs]


# --- the summary (analytics.models; built by analytics.summary) ---------------------------------------


@dataclass(frozen=True)
class _SummaryRead:
    """A current summary as one viewer may read it: the generation, the organisation visibility classes
    the viewer sees as a class (None: all, staff), and whether the viewer's own private organisations
    must be counted live and added (signed-in non-staff: the summary cannot know whose they are)."""

    generation: SummaryGeneration
    visibilities: tuple[str, ...] | None
    private_live: bool

    def counts(self, measure: str, filters: FigureFilter) -> QuerySet[SummaryCount]:
        """The summary's rows of `measure` for the days of `filters.with_previous()`, the viewer's classes
        and the filter's country (use `current_q` / `previous_q` to tell the two periods apart)."""
        rows = SummaryCount.objects.filter(
            generation=self.generation,
            measure=measure,
            day__gte=filters.previous().start,
            day__lte=filters.end,
        )
        if self.visibilities is not None:
            rows = rows.filter(visibility__in=self.visibilities)
        if filters.country:
            rows = rows.filter(country=filters.country.upper())
        return rows.order_by()


def _summary_current_q(filters: FigureFilter) -> Q:
    return Q(day__gte=filters.start, day__lte=filters.end)


def _summary_previous_q(filters: FigureFilter) -> Q:
    previous = filters.previous()
    return Q(day__gte=previous.start, day__lte=previous.end)


def current_summary() -> SummaryGeneration | None:
    """The newest summary if it may be read now: valid (no bulk write since), at most
    settings.ANALYTICS_SUMMARY_MAX_AGE_SECONDS old (0: never read), counted in the days of the active time
    zone (the summary is counted for the site's zone and those most users chose; a viewer in another zone
    has other days: live). One query."""
    max_age = settings.ANALYTICS_SUMMARY_MAX_AGE_SECONDS
    if not max_age:
        return None
    zone = timezone.get_current_timezone_name()
    generation = SummaryGeneration.objects.filter(time_zone=zone).order_by("-pk").first()
    if generation is None or not generation.valid or generation.as_of < timezone.now() - timedelta(seconds=max_age):
        return None
    return generation


def _summary_for(viewer: Any, filters: FigureFilter, *, staff_only: bool = False) -> _SummaryRead | None:
    """How the viewer may read the current summary for these filters, or None (count live): no current
    summary, a sector or an event filter (the summary has neither), or a figure summarised for staff only."""
    if filters.sector or filters.event or (staff_only and not _is_staff(viewer)):
        return None
    generation = current_summary()
    if generation is None:
        return None
    if _is_staff(viewer):
        return _SummaryRead(generation, None, private_live=False)
    if not getattr(viewer, "is_authenticated", False):
        return _SummaryRead(generation, (Visibility.PUBLIC,), private_live=False)
    return _SummaryRead(generation, (Visibility.PUBLIC, Visibility.MEMBERS), private_live=True)


def _add_counts(into: dict[Any, list[int]], more: Iterable[tuple[Any, int, int]]) -> dict[Any, list[int]]:
    """Adds (key, this period, previous period) triples into a dict of [this, previous] per key."""
    for key, current, previous in more:
        pair = into.setdefault(key, [0, 0])
        pair[0] += current or 0
        pair[1] += previous or 0
    return into


def _organisation_figure(
    key: str, title: str, definition: str, group: str, label: Callable[[Any], str], viewer: Any, filters: FigureFilter
) -> Figure:
    # Both periods in one pass: the previous period's count rides along for the change.
    both = (
        _organisations(viewer, filters.with_previous())
        .values_list(group)
        .annotate(
            count=Count("pk", filter=filters.period_q("created_at")),
            previous=Count("pk", filter=filters.previous().period_q("created_at")),
        )
        .order_by("-count", group)
    )
    rows = list(both)
    counts = [(value, count) for value, count, _previous in rows if count]
    return Figure(
        key=key,
        title=title,
        definition=definition,
        headers=[_("Group"), _("Organisations")],
        rows=_count_rows(counts, label, viewer),
        total=shown_count(sum(count for _value, count, _previous in rows), viewer=viewer),
        previous_total=shown_count(sum(previous for _value, _count, previous in rows), viewer=viewer),
    )


def organisations_by_country(*, viewer: Any, filters: FigureFilter) -> Figure:
    """Organisations registered in the period (created_at), by the country of their address; only the
    organisations the directory lets the viewer see (private ones: their members and staff)."""
    language = content_language()
    return _organisation_figure(
        "organisations_by_country",
        _("Organisations by country"),
        _("Organisations registered in the period that you may see, by country."),
        "country",
        lambda code: country_name(code, language),
        viewer,
        filters,
    )


def organisations_by_city(*, viewer: Any, filters: FigureFilter) -> Figure:
    """Organisations registered in the period, by city as written in their address (empty: not given).
    Organisations record no province; this is the finest place they record."""
    return _organisation_figure(
        "organisations_by_city",
        _("Organisations by city"),
        _("Organisations registered in the period that you may see, by city (organisations record no province)."),
        "city",
        lambda city: city or _("Not given"),
        viewer,
        filters,
    )


def organisations_by_kind(*, viewer: Any, filters: FigureFilter) -> Figure:
    """Organisations registered in the period, by kind (company, research, investor, ...)."""
    return _organisation_figure(
        "organisations_by_kind",
        _("Organisations by kind"),
        _("Organisations registered in the period that you may see, by kind."),
        "kind",
        lambda kind: str(OrganisationKind(kind).label) if kind in OrganisationKind.values else kind,
        viewer,
        filters,
    )


def organisations_by_sector(*, viewer: Any, filters: FigureFilter) -> Figure:
    """Organisations registered in the period, by focus field: an organisation tagged with a field or
    any of its sub-fields counts once in that field, so one organisation may count in several fields
    (the total is the number of organisations with at least one field, each once)."""
    by_field, totals, as_of = _sector_counts(viewer, filters)
    counts = sorted(((code, count) for code, count in by_field.items() if count), key=lambda pair: (-pair[1], pair[0]))
    names = {sector.code: sector.name for sector in Sector.objects.filter(code__in=[code for code, _n in counts])}
    return Figure(
        key="organisations_by_sector",
        title=_("Organisations by focus field"),
        definition=_("Organisations registered in the period that you may see, by focus field (sub-fields included)."),
        headers=[_("Focus field"), _("Organisations")],
        rows=_count_rows(counts, lambda code: names.get(code, code), viewer),
        total=shown_count(totals[0], viewer=viewer),
        previous_total=shown_count(totals[1], viewer=viewer),
        as_of=as_of,
    )


def _field_code() -> Coalesce:
    return Coalesce("sectors__parent__code", "sectors__code")


def _sector_counts(
    viewer: Any, filters: FigureFilter, *, by_country: bool = False
) -> tuple[dict[Any, int], list[int], datetime | None]:
    """Organisations by focus field (`by_country`: by (field, country)) in the period, and the number
    of organisations with at least one field in this period and the previous one; from the summary
    where `_summary_for` allows (with the instant it is as of), the viewer's private organisations
    counted live and added; else live."""
    summary = _summary_for(viewer, filters)
    if summary is None:
        return (*_sector_counts_live(lambda period: _organisations(viewer, period), filters, by_country), None)
    group = ("group", "country") if by_country else ("group",)
    cells: dict[Any, int] = {}
    for *key, count in (
        summary.counts(SummaryMeasure.IN_FIELD, filters)
        .filter(_summary_current_q(filters))
        .values_list(*group)
        .annotate(total=Sum("count"))
    ):
        cells[tuple(key) if by_country else key[0]] = count
    totals = summary.counts(SummaryMeasure.WITH_FIELD, filters).aggregate(
        current=Sum("count", filter=_summary_current_q(filters)),
        previous=Sum("count", filter=_summary_previous_q(filters)),
    )
    both = [totals["current"] or 0, totals["previous"] or 0]
    if summary.private_live:
        private_cells, private_totals = _sector_counts_live(
            lambda period: _organisations(viewer, period).filter(visibility=Visibility.PRIVATE), filters, by_country
        )
        for key, count in private_cells.items():
            cells[key] = cells.get(key, 0) + count
        both = [both[0] + private_totals[0], both[1] + private_totals[1]]
    return cells, both, summary.generation.as_of


def _sector_counts_live(
    organisations: Callable[[FigureFilter], QuerySet[Organisation]], filters: FigureFilter, by_country: bool
) -> tuple[dict[Any, int], list[int]]:
    """`_sector_counts` counted live from `organisations(filters)` (the organisations of a period). The
    rows by field are this period's only (the previous period counts only in the total), so that query
    reads this period's organisations alone; the totals are organisations of both periods with a field,
    by EXISTS: each organisation read once (a semi-join), with no join to all its tags and no DISTINCT
    over them."""
    group = ("field_code", "country") if by_country else ("field_code",)
    cells: dict[Any, int] = {}
    for *key, count in (
        organisations(filters)
        .filter(sectors__isnull=False)
        .annotate(field_code=_field_code())
        .values_list(*group)
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    ):
        cells[tuple(key) if by_country else key[0]] = count
    tagged = Organisation.sectors.through.objects.filter(organisation_id=OuterRef("pk"))
    totals = (
        organisations(filters.with_previous())
        .filter(Exists(tagged))
        .aggregate(
            current=Count("pk", filter=filters.period_q("created_at")),
            previous=Count("pk", filter=filters.previous().period_q("created_at")),
        )
    )
    return cells, [totals["current"], totals["previous"]]


def organisations_by_sector_and_country(*, viewer: Any, filters: FigureFilter) -> Figure:
    """Organisations registered in the period that the viewer may see, by focus field (rows) and the
    country of their address (columns), as organisations by focus field counts them: a sub-field
    counts in its focus field, an organisation tagged in several fields counts in each (the total is
    the number of organisations with at least one field, each once, as in organisations by focus field)."""
    language = content_language()
    cells, totals, as_of = _sector_counts(viewer, filters, by_country=True)
    names = {sector.code: sector.name for sector in Sector.objects.filter(code__in={code for code, _c in cells})}
    rows, columns = _matrix(cells, viewer)
    return Figure(
        key="organisations_by_sector_and_country",
        title=_("Organisations by focus field and country"),
        definition=_(
            "Organisations registered in the period that you may see, by focus field (sub-fields included) and country."
        ),
        headers=[_("Focus field"), *(country_name(country, language) for country in columns)],
        rows=[[names.get(code, code), *cells_of_row] for code, cells_of_row in rows],
        total=shown_count(totals[0], viewer=viewer),
        previous_total=shown_count(totals[1], viewer=viewer),
        chart="heatmap",
        series=list(range(1, len(columns) + 1)),
        as_of=as_of,
    )


def _matrix(cells: dict[tuple[Any, Any], int], viewer: Any) -> tuple[list[tuple[Any, list[Cell]]], list[Any]]:
    """Rows and columns of a two-way count, each ordered by its sum (largest first, then by key; None,
    the group not known, last); each cell as the viewer may read it."""

    def order(sums: dict[Any, int]) -> list[Any]:
        return sorted(sums, key=lambda key: (-sums[key], key is None, str(key or "")))

    row_sums: dict[Any, int] = {}
    column_sums: dict[Any, int] = {}
    for (row, column), count in cells.items():
        row_sums[row] = row_sums.get(row, 0) + count
        column_sums[column] = column_sums.get(column, 0) + count
    columns = order(column_sums)
    rows: list[tuple[Any, list[Cell]]] = [
        (row, [shown_count(cells.get((row, column), 0), viewer=viewer) for column in columns])
        for row in order(row_sums)
    ]
    return rows, columns


# --- provinces (organisations record a city; analytics/data/provinces.yaml says which province it is in) --


def _province_code(path: str = "") -> Case:
    """SQL for the province code of the organisation at `path`, from its country and LOWER(TRIM(city))
    (analytics/data/provinces.yaml); NULL where the table does not list the city."""
    city = Lower(Trim(f"{path}city"))
    whens = []
    for province in provinces().values():
        spellings = sorted(set().union(*(database_keys(name) for name in province.cities)))
        whens.append(
            When(Q(**{f"{path}country": province.country}) & Q(In(city, spellings)), then=Value(province.code))
        )
    return Case(*whens, default=Value(None), output_field=CharField())


def _province_name(code: str | None, language: str) -> str:
    province = provinces().get(code or "")
    return province.name(language) if province else _("Province not known")


def organisations_by_province(*, viewer: Any, filters: FigureFilter) -> Figure:
    """Organisations registered in the period (created_at) that the viewer may see, by the province of
    the city in their address: China's provincial-level divisions and Pakistan's provinces and
    territories (analytics/data/provinces.yaml, with its sources; case and spaces around the city
    ignored). A city the table does not list, an empty city or a country without provinces in the
    table counts as "Province not known", one row per country. Each organisation counts once."""
    language = content_language()
    groups, as_of = _province_counts(viewer, filters)
    counted = sorted(
        ((country, province, count) for country, province, count, _previous in groups if count),
        key=lambda group: (-group[2], group[0], group[1] is None, group[1] or ""),
    )
    return Figure(
        key="organisations_by_province",
        title=_("Organisations by province"),
        definition=_(
            "Organisations registered in the period that you may see, by the province of their city (a city "
            "the province table does not list: province not known)."
        ),
        headers=[_("Province"), _("Country"), _("Organisations")],
        rows=[
            [_province_name(province, language), country_name(country, language), shown_count(count, viewer=viewer)]
            for country, province, count in counted
        ],
        total=shown_count(sum(count for _country, _province, count, _previous in groups), viewer=viewer),
        previous_total=shown_count(sum(previous for *_group, previous in groups), viewer=viewer),
        series=[2],
        as_of=as_of,
    )


def _province_counts(
    viewer: Any, filters: FigureFilter
) -> tuple[list[tuple[str, str | None, int, int]], datetime | None]:
    """(country, province or None, this period, previous period) per group of organisations, from the
    summary where `_summary_for` allows (with its instant), the viewer's private organisations counted
    live and added; else live."""
    summary = _summary_for(viewer, filters)
    if summary is None:
        return _province_counts_live(_organisations(viewer, filters.with_previous()), filters), None
    groups: dict[Any, list[int]] = _add_counts(
        {},
        (
            ((country, province or None), current, previous)
            for country, province, current, previous in summary.counts(SummaryMeasure.ORGANISATIONS, filters)
            .values_list("country", "group")
            .annotate(
                current=Sum("count", filter=_summary_current_q(filters)),
                previous=Sum("count", filter=_summary_previous_q(filters)),
            )
        ),
    )
    if summary.private_live:
        private = _organisations(viewer, filters.with_previous()).filter(visibility=Visibility.PRIVATE)
        _add_counts(
            groups,
            (
                ((country, province), current, previous)
                for country, province, current, previous in _province_counts_live(private, filters)
            ),
        )
    return [
        (country, province, current, previous) for (country, province), (current, previous) in groups.items()
    ], summary.generation.as_of


def _province_counts_live(
    organisations: QuerySet[Organisation], filters: FigureFilter
) -> list[tuple[str, str | None, int, int]]:
    """`_province_counts` counted live from `organisations` (of both periods): one aggregate query."""
    return list(
        organisations.annotate(province=_province_code())
        .values_list("country", "province")
        .annotate(
            count=Count("pk", filter=filters.period_q("created_at")),
            previous=Count("pk", filter=filters.previous().period_q("created_at")),
        )
        .order_by()
    )


# --- marketplace and matching -------------------------------------------------------------------------


def opportunities_by_type_and_status(*, viewer: Any, filters: FigureFilter) -> Figure:
    """Opportunity profiles created in the period (created_at) that the marketplace's profile selector
    lets the viewer see, by type (rows) and status (columns). Country and sector: the owning
    organisation's country, the profile's sectors."""
    profiles = (
        opportunities_visible_to(viewer).select_related(None).filter(filters.with_previous().period_q("created_at"))
    )
    if filters.country:
        profiles = profiles.filter(organisation__country=filters.country.upper())
    profiles = filter_by_sector(profiles, filters.sector)
    if filters.event:
        profiles = profiles.filter(organisation_id__in=_event_participants(filters, viewer))
    both = (
        profiles.order_by()
        .values_list("kind", "status")
        .annotate(
            count=Count("pk", filter=filters.period_q("created_at")),
            previous=Count("pk", filter=filters.previous().period_q("created_at")),
        )
    )
    counts: dict[tuple[str, str], int] = {}
    previous_total = 0
    for kind, status, count, previous in both:
        counts[(kind, status)] = count
        previous_total += previous
    rows: list[list[Cell]] = []
    for kind in OpportunityType:
        by_status = [counts.get((kind.value, status.value), 0) for status in OpportunityStatus]
        rows.append(
            [
                str(kind.label),
                *(shown_count(n, viewer=viewer) for n in by_status),
                shown_count(sum(by_status), viewer=viewer),
            ]
        )
    return Figure(
        key="opportunities_by_type_and_status",
        title=_("Opportunity profiles by type and status"),
        definition=_("Profiles created in the period that you may see, by type and status."),
        headers=[_("Type"), *(str(status.label) for status in OpportunityStatus), _("Total")],
        rows=rows,
        total=shown_count(sum(counts.values()), viewer=viewer),
        previous_total=shown_count(previous_total, viewer=viewer),
        chart="stacked",
        series=list(range(1, len(OpportunityStatus) + 1)),
    )


def matching_funnel(*, viewer: Any, filters: FigureFilter) -> Figure:
    """Matches first found in the period (first_seen_at), then how many of them a member of the
    profile's organisation judged useful (MatchFeedback.useful), then how many the profile's
    organisation turned into an expression of interest in the matched profile (at any time).
    Staff count every match; anyone else the matches of their own organisations' profiles whose matched
    profile the marketplace shows them. Country, sector, event: of the profile's organisation."""
    counts, previous, as_of = _funnel_counts(viewer, filters)
    return Figure(
        key="matching_funnel",
        title=_("Matches shown, judged useful, turned into interest"),
        definition=_(
            "Matches first found in the period; of them, those judged useful, and those whose profile's "
            "organisation expressed interest in the matched profile."
        ),
        headers=[_("Step"), _("Matches")],
        rows=[
            [_("Shown"), shown_count(counts["shown"], viewer=viewer)],
            [_("Judged useful"), shown_count(counts["useful"], viewer=viewer)],
            [_("Expression of interest"), shown_count(counts["interest"], viewer=viewer)],
        ],
        total=shown_count(counts["shown"], viewer=viewer),
        previous_total=shown_count(previous, viewer=viewer),
        chart="funnel",
        as_of=as_of,
    )


def _funnel_counts(viewer: Any, filters: FigureFilter) -> tuple[dict[str, int], int, datetime | None]:
    """The funnel's three counts and the previous period's matches shown. For staff from the summary
    where `_summary_for` allows (one query of a few hundred rows, with its instant); else live, three
    counts each with EXISTS in the WHERE clause, which the database answers as semi-joins (an EXISTS in
    the select list would run once per match), and the previous period's total as one count (figure_get
    would otherwise compute the whole funnel, semi-joins and all, a second time for it). Anyone but
    staff counts live: their own organisations' matches, a few rows read by index."""
    summary = _summary_for(viewer, filters, staff_only=True)
    if summary is not None:
        current, previous = _summary_current_q(filters), _summary_previous_q(filters)
        totals = (
            SummaryCount.objects.filter(
                generation=summary.generation,
                measure__in=[
                    SummaryMeasure.MATCHES_SHOWN,
                    SummaryMeasure.MATCHES_USEFUL,
                    SummaryMeasure.MATCHES_INTEREST,
                ],
                day__gte=filters.previous().start,
                day__lte=filters.end,
                **({"country": filters.country.upper()} if filters.country else {}),
            )
            .order_by()
            .aggregate(
                shown=Sum("count", filter=current & Q(measure=SummaryMeasure.MATCHES_SHOWN)),
                useful=Sum("count", filter=current & Q(measure=SummaryMeasure.MATCHES_USEFUL)),
                interest=Sum("count", filter=current & Q(measure=SummaryMeasure.MATCHES_INTEREST)),
                previous=Sum("count", filter=previous & Q(measure=SummaryMeasure.MATCHES_SHOWN)),
            )
        )
        counts = {step: totals[step] or 0 for step in ("shown", "useful", "interest")}
        return counts, totals["previous"] or 0, summary.generation.as_of
    matches = _matches(viewer, filters)
    counts = {
        "shown": matches.count(),
        "useful": matches.filter(Exists(_useful_feedback())).count(),
        "interest": matches.filter(Exists(_interest_expressed())).count(),
    }
    return counts, _matches(viewer, filters.previous()).count(), None


def _useful_feedback() -> QuerySet[MatchFeedback]:
    """A member of the match's profile's organisation judged it useful (for EXISTS, per match)."""
    return MatchFeedback.objects.filter(
        opportunity_id=OuterRef("opportunity_id"), other_id=OuterRef("other_id"), useful=True
    )


def _interest_expressed() -> QuerySet[ExpressionOfInterest]:
    """The match's profile's organisation expressed interest in the matched profile (for EXISTS, per match)."""
    return ExpressionOfInterest.objects.filter(
        opportunity_id=OuterRef("other_id"), organisation_id=OuterRef("opportunity__organisation_id")
    )


def _matches(viewer: Any, filters: FigureFilter) -> QuerySet[Match]:
    """The matches `matching_funnel` counts: first found in the period, seen by the viewer, filtered."""
    matches = Match.objects.filter(filters.period_q("first_seen_at"))
    if not _is_staff(viewer):
        from silkbridge.directory.selectors import organisation_ids_of

        matches = matches.filter(
            shown_to_others_q(viewer, "other__"), opportunity__organisation_id__in=organisation_ids_of(viewer)
        )
    scope = _organisations_in(filters, viewer)
    if scope is not None:
        matches = matches.filter(opportunity__organisation_id__in=scope)
    if filters.event:
        matches = matches.filter(opportunity__organisation_id__in=_event_participants(filters, viewer))
    return matches.order_by()


# --- events -------------------------------------------------------------------------------------------


def _event_rows_scope(rows: QuerySet[Any], viewer: Any, filters: FigureFilter, sides: tuple[str, ...]) -> QuerySet[Any]:
    """Rows of events the viewer may see (`events.selectors.event_list`); for non-staff only rows whose
    organisations (each side) the directory shows them; the filter's country/sector on either side."""
    rows = rows.filter(event_id__in=events_visible(viewer=viewer).values("pk")) if "event_id" in _fields(rows) else rows
    if filters.event:
        rows = rows.filter(**{_event_path(rows) + "in": _visible_event(filters, viewer)})
    if not _is_staff(viewer):
        visible = _visible_organisations(viewer).values("pk")
        for side in sides:
            rows = rows.filter(**{f"{side}organisation_id__in": visible})
    scope = _organisations_in(filters, viewer)
    if scope is not None:
        either = Q()
        for side in sides:
            either |= Q(**{f"{side}organisation_id__in": scope})
        rows = rows.filter(either)
    return rows.order_by()


def _fields(rows: QuerySet[Any]) -> set[str]:
    return {field.attname for field in rows.model._meta.concrete_fields}


def _event_path(rows: QuerySet[Any]) -> str:
    return "event__" if "event_id" in _fields(rows) else "meeting__event__"


def events_summary(*, viewer: Any, filters: FigureFilter) -> Figure:
    """Per event the viewer may see (staff: every event; others: published ones), with the definitions
    of the organiser's dashboard (`events.selectors.dashboard`):
    - requests: meeting requests sent in the period (created_at); accepted / declined by their status;
      acceptance = accepted / (accepted + declined);
    - meetings: meetings not cancelled whose slot starts in the period; held = checked in; no-shows;
    - ratings: ratings given in the period (created_at); leads = ratings "cooperation possible".
    Non-staff: only rows whose organisations (both sides; the rater for ratings) they may see."""
    requests = _event_rows_scope(
        MeetingRequest.objects.filter(filters.period_q("created_at")), viewer, filters, ("requester__", "recipient__")
    )
    meetings = _meetings(viewer, filters)
    ratings = MeetingRating.objects.filter(
        filters.period_q("created_at"), meeting__event_id__in=events_visible(viewer=viewer).values("pk")
    )
    ratings = _event_rows_scope(ratings, viewer, filters, ("participant__",))
    by_event: dict[int, dict[str, int]] = {}
    for row in requests.values("event_id").annotate(
        requests=Count("pk"),
        accepted=Count("pk", filter=Q(status=RequestStatus.ACCEPTED)),
        declined=Count("pk", filter=Q(status=RequestStatus.DECLINED)),
    ):
        by_event.setdefault(row.pop("event_id"), {}).update(row)
    for row in meetings.values("event_id").annotate(
        meetings=Count("pk"),
        held=Count("pk", filter=Q(status=MeetingStatus.CHECKED_IN)),
        no_shows=Count("pk", filter=Q(status=MeetingStatus.NO_SHOW)),
    ):
        by_event.setdefault(row.pop("event_id"), {}).update(row)
    for row in ratings.values("meeting__event_id").annotate(
        ratings=Count("pk"), leads=Count("pk", filter=Q(outcome=MeetingOutcome.COOPERATION_POSSIBLE))
    ):
        by_event.setdefault(row.pop("meeting__event_id"), {}).update(row)
    titles = dict(event_list(viewer=viewer).filter(pk__in=list(by_event)).values_list("pk", "title"))
    measures = ("requests", "accepted", "declined", "meetings", "held", "no_shows", "ratings", "leads")
    rows: list[list[Cell]] = []
    totals = dict.fromkeys(measures, 0)
    for event_id in sorted(by_event, key=lambda pk: titles.get(pk, "")):
        counts = {measure: by_event[event_id].get(measure, 0) for measure in measures}
        for measure in measures:
            totals[measure] += counts[measure]
        rows.append(_event_row(titles.get(event_id, "?"), counts, viewer))
    return Figure(
        key="events_summary",
        title=_("Events: requests, meetings, no-shows, ratings and leads"),
        definition=_(
            "Requests sent, meetings whose slot is in the period, ratings given in the period; acceptance is "
            "accepted / (accepted + declined), as on each event's dashboard."
        ),
        headers=[
            _("Event"),
            _("Requests"),
            _("Accepted"),
            _("Declined"),
            _("Acceptance"),
            _("Meetings"),
            _("Held"),
            _("No-shows"),
            _("Ratings"),
            _("Leads"),
        ],
        rows=rows,
        total=shown_count(totals["meetings"], viewer=viewer),
        # The previous period's total is its meetings, one count: figure_get would otherwise compute
        # every measure of the previous period for it.
        previous_total=shown_count(_meetings(viewer, filters.previous()).count(), viewer=viewer),
        chart="stacked",
        series=[5, 6, 7, 9],
    )


def _meetings(viewer: Any, filters: FigureFilter) -> QuerySet[Any]:
    """The meetings `events_summary` counts: not cancelled, slot starting in the period, in scope."""
    return _event_rows_scope(
        Meeting.objects.filter(filters.period_q("slot__starts_at")).exclude(status=MeetingStatus.CANCELLED),
        viewer,
        filters,
        ("request__requester__", "request__recipient__"),
    )


def _event_row(title: str, counts: dict[str, int], viewer: Any) -> list[Cell]:
    answered = counts["accepted"] + counts["declined"]
    return [
        title,
        shown_count(counts["requests"], viewer=viewer),
        shown_count(counts["accepted"], viewer=viewer),
        shown_count(counts["declined"], viewer=viewer),
        shown_rate(counts["accepted"], answered, viewer=viewer),
        shown_count(counts["meetings"], viewer=viewer),
        shown_count(counts["held"], viewer=viewer),
        shown_count(counts["no_shows"], viewer=viewer),
        shown_count(counts["ratings"], viewer=viewer),
        shown_count(counts["leads"], viewer=viewer),
    ]


# --- deals --------------------------------------------------------------------------------------------

# The way forward through the pipeline (the funnel); the last three stages end or pause a deal.
PIPELINE = [
    DealStage.LEAD,
    DealStage.PROPOSAL,
    DealStage.UNDER_REVIEW,
    DealStage.APPROVED,
    DealStage.MOU_DRAFTING,
    DealStage.VETTING,
    DealStage.SIGNED,
    DealStage.IMPLEMENTATION,
]


def _deals(viewer: Any, filters: FigureFilter) -> QuerySet[Any]:
    deals = (
        deals_visible(viewer=viewer)
        .select_related(None)
        .prefetch_related(None)
        .filter(filters.period_q("created_at"), track=DealTrack.DEAL)  # relocation cases: their own figure
    )
    scope = _organisations_in(filters, viewer)
    if scope is not None:
        deals = deals.filter(pk__in=DealParty.objects.filter(organisation_id__in=scope).values("deal_id"))
    if filters.sector:
        deals = filter_by_sector(deals, filters.sector, path="sector")
    if filters.event:
        deals = deals.filter(meeting__event__in=_visible_event(filters, viewer))
    return deals.order_by()


def deals_by_stage(*, viewer: Any, filters: FigureFilter) -> Figure:
    """Deals created in the period (created_at) that the deals' selector lets the viewer see (staff:
    all; others: deals their organisations are parties to), per stage:
    - now: deals in that stage today;
    - reached: deals whose history (DealEvent.to_stage) ever entered the stage;
    - conversion: reached the next stage of the pipeline / reached this one;
    - median days in stage: over every stay that ended (entered, then moved on), in days.
    Country and sector: a party's country, the deal's sector; event: the deal started from its meeting."""
    deals = _deals(viewer, filters)
    now = dict(deals.values_list("stage").annotate(count=Count("pk")))
    entries = DealEvent.objects.filter(deal_id__in=deals.values("pk")).exclude(to_stage="").order_by()
    reached = dict(entries.values_list("to_stage").annotate(count=Count("deal_id", distinct=True)))
    days = _stay_medians(entries)
    rows: list[list[Cell]] = []
    for index, stage in enumerate(DealStage):
        next_reached = reached.get(PIPELINE[index + 1], 0) if stage in PIPELINE[:-1] else None
        stage_days = days.get(stage.value)
        rows.append(
            [
                str(stage.label),
                shown_count(now.get(stage.value, 0), viewer=viewer),
                shown_count(reached.get(stage.value, 0), viewer=viewer),
                None if next_reached is None else shown_rate(next_reached, reached.get(stage.value, 0), viewer=viewer),
                _median_days(stage_days, viewer),
            ]
        )
    return Figure(
        key="deals_by_stage",
        title=_("Deals by stage"),
        definition=_(
            "Deals created in the period that you may see: in each stage now, ever reached, conversion to the "
            "next stage and median days spent in the stage."
        ),
        headers=[_("Stage"), _("Now"), _("Reached"), _("Conversion to next stage"), _("Median days in stage")],
        rows=rows,
        total=shown_count(sum(now.values()), viewer=viewer),
        # The previous period's total (its deals, whatever their stage) in one count, so that
        # figure_get does not compute the whole figure, stays and all, a second time for it.
        previous_total=shown_count(_deals(viewer, filters.previous()).count(), viewer=viewer),
        chart="funnel",
        series=[2],
    )


# The center's case: which provinces of one country work with which cities of the other.
PROVINCE_COUNTRY = "CN"
CITY_COUNTRY = "PK"


def deals_by_province_and_city(*, viewer: Any, filters: FigureFilter) -> Figure:
    """Cooperation links between Chinese provinces and Pakistani cities: deals created in the period
    (created_at) that the deals' selector lets the viewer see, with a Chinese party and a Pakistani
    party, by the Chinese party's province (rows; analytics/data/provinces.yaml, "Province not known"
    for a city it does not list) and the Pakistani party's city as its address gives it (columns).
    A deal is the link both sides entered (a match or an expression of interest is one side's); a deal
    counts once in a cell, and in each cell its parties make (two Chinese or two Pakistani parties:
    several cells). Total: deals with at least one such pair, each once. For anyone but staff a party
    counts only where the directory shows its organisation to the viewer. Country, sector and event
    filters: as for deals by stage."""
    language = content_language()
    cells, totals, as_of = _deal_link_counts(viewer, filters)
    rows, columns = _matrix(cells, viewer)
    return Figure(
        key="deals_by_province_and_city",
        title=_("Deals between provinces of %(provinces)s and cities of %(cities)s")
        % {"provinces": country_name(PROVINCE_COUNTRY, language), "cities": country_name(CITY_COUNTRY, language)},
        definition=_(
            "Deals created in the period that you may see, with a party in each country: by the province of "
            "the one and the city of the other. A deal with several such parties counts in each of their cells."
        ),
        headers=[
            _("Province (%(country)s)") % {"country": country_name(PROVINCE_COUNTRY, language)},
            *(city or _("Not given") for city in columns),
        ],
        rows=[[_province_name(province, language), *cells_of_row] for province, cells_of_row in rows],
        total=shown_count(totals[0], viewer=viewer),
        previous_total=shown_count(totals[1], viewer=viewer),
        chart="heatmap",
        series=list(range(1, len(columns) + 1)),
        as_of=as_of,
    )


def _deal_links(viewer: Any, deals: QuerySet[Any]) -> QuerySet[DealParty]:
    """The Chinese parties of `deals` joined to their deal's Pakistani parties (deal__parties__...): one
    row per pair. For anyone but staff a party counts only where the directory shows its organisation."""
    counterpart: dict[str, Any] = {"deal__parties__organisation__country": CITY_COUNTRY}
    parties = DealParty.objects.filter(deal_id__in=deals.values("pk"), organisation__country=PROVINCE_COUNTRY)
    if not _is_staff(viewer):
        visible = _visible_organisations(viewer).values("pk")
        parties = parties.filter(organisation_id__in=visible)
        counterpart["deal__parties__organisation_id__in"] = visible
    # One filter() call for both conditions on the other party, so that they hold for the same party.
    return parties.filter(**counterpart).order_by()


def _link_cells(links: QuerySet[DealParty], *group: str) -> QuerySet[Any]:
    """Distinct deals per (province of the Chinese party, city of the Pakistani party, *group)."""
    return (
        links.annotate(province=_province_code("organisation__"), city=Trim("deal__parties__organisation__city"))
        .values_list(*group, "province", "city")
        .annotate(count=Count("deal_id", distinct=True))
    )


def _deal_link_counts(
    viewer: Any, filters: FigureFilter
) -> tuple[dict[tuple[str | None, str], int], list[int], datetime | None]:
    """Deals per (province, city) in the period and the deals with a pair in this period and the
    previous one: for staff without a country filter from the summary where `_summary_for` allows (with
    its instant); else live."""
    summary = None if filters.country else _summary_for(viewer, filters, staff_only=True)
    if summary is not None:
        cells = {
            (province or None, city): count
            for province, city, count in summary.counts(SummaryMeasure.DEAL_LINKS, filters)
            .filter(_summary_current_q(filters))
            .values_list("group", "city")
            .annotate(total=Sum("count"))
        }
        totals = summary.counts(SummaryMeasure.DEALS_LINKED, filters).aggregate(
            current=Sum("count", filter=_summary_current_q(filters)),
            previous=Sum("count", filter=_summary_previous_q(filters)),
        )
        return cells, [totals["current"] or 0, totals["previous"] or 0], summary.generation.as_of
    deals = _deals(viewer, filters.with_previous())
    if not _is_staff(viewer):
        # Their own deals, read first: a few ids. As a subquery PostgreSQL guesses one deal and joins every
        # deal's parties to their organisations before it (about 230 ms at 100,000 organisations).
        deals = Deal.objects.filter(pk__in=list(deals.values_list("pk", flat=True)))
    links = _deal_links(viewer, deals)
    this_period = filters.period_q("deal__created_at")
    cells = {(province, city): count for province, city, count in _link_cells(links.filter(this_period))}
    totals = links.aggregate(
        current=Count("deal_id", distinct=True, filter=this_period),
        previous=Count("deal_id", distinct=True, filter=filters.previous().period_q("deal__created_at")),
    )
    return cells, [totals["current"], totals["previous"]], None


def _stay_medians(entries: QuerySet[Any], *, in_database: bool | None = None) -> dict[str, tuple[int, float]]:
    """Per stage: how many stays ended (entered, then moved on: the deal's next entry, by time then id)
    and their median length in days. One query. PostgreSQL takes the median itself (percentile_cont:
    the mean of the two middle stays for an even number, as `statistics.median`), so that tens of
    thousands of stays never travel to Python; other databases get the stays and take it here
    (`in_database`: which way; None, PostgreSQL's way on PostgreSQL)."""
    stays = entries.annotate(
        left_at=Window(Lead("created_at"), partition_by=[F("deal_id")], order_by=[F("created_at").asc(), F("pk").asc()])
    ).values_list("to_stage", "created_at", "left_at")
    if in_database is None:
        in_database = connection.vendor == "postgresql"
    if in_database:
        try:
            sql, params = stays.query.sql_with_params()
        except EmptyResultSet:  # a viewer who may see no deal: nothing to ask
            return {}
        with connection.cursor() as cursor:  # around the ORM's own SQL and parameters: nothing typed in
            cursor.execute(
                "SELECT to_stage, COUNT(*), percentile_cont(0.5) WITHIN GROUP "
                "(ORDER BY EXTRACT(EPOCH FROM left_at - created_at)::float8 / 86400) "
                f"FROM ({sql}) AS stays WHERE left_at IS NOT NULL GROUP BY to_stage",
                params,
            )
            return {stage: (count, median) for stage, count, median in cursor.fetchall()}
    days: dict[str, list[float]] = {}
    for stage, entered_at, left_at in stays:
        if left_at is not None:
            days.setdefault(stage, []).append((left_at - entered_at).total_seconds() / 86_400)
    return {stage: (len(values), statistics.median(values)) for stage, values in days.items()}


def _median_days(stays: tuple[int, float] | None, viewer: Any) -> float | str | None:
    """The median of `_stay_medians` as the viewer may read it (None: no stay ended)."""
    if not stays:
        return None
    count, median = stays
    if not _is_staff(viewer) and count < SUPPRESSION_THRESHOLD:
        return SUPPRESSED
    return round(median, 1)


def mous_signed(*, viewer: Any, filters: FigureFilter) -> Figure:
    """MoUs signed and sealed in the period (status signed, sealed_at), by month of sealing; only those
    the MoU selector lets the viewer read (staff: all; others: of deals their organisations are parties
    to). Country, sector and event: as for deals, through the MoU's deal."""
    mous = (
        mous_visible(viewer=viewer).select_related(None).filter(filters.period_q("sealed_at"), status=MouStatus.SIGNED)
    )
    scope = _organisations_in(filters, viewer)
    if scope is not None:
        mous = mous.filter(deal_id__in=DealParty.objects.filter(organisation_id__in=scope).values("deal_id"))
    if filters.sector:
        mous = filter_by_sector(mous, filters.sector, path="deal__sector")
    if filters.event:
        mous = mous.filter(deal__meeting__event__in=_visible_event(filters, viewer))
    counts = list(
        mous.order_by()
        .annotate(month=TruncMonth("sealed_at"))
        .values_list("month")
        .annotate(count=Count("pk"))
        .order_by("month")
    )
    return Figure(
        key="mous_signed",
        title=_("MoUs signed"),
        definition=_("MoUs signed and sealed in the period that you may read, by month."),
        headers=[_("Month"), _("MoUs signed")],
        rows=_count_rows(counts, lambda month: f"{month:%Y-%m}", viewer),
        total=shown_count(sum(count for _month, count in counts), viewer=viewer),
    )


# --- data centers -------------------------------------------------------------------------------------


def assessments_by_tier(*, viewer: Any, filters: FigureFilter) -> Figure:
    """Data-center design assessments made in the period (created_at) that the viewer may read (their
    own; reviewers and staff: all), by the Tier claimed (rows; "not claimed" when none) and the Tier
    the topology met (columns 0-4). Assessments belong to no organisation: the country, sector and
    event filters do not apply."""
    counts = {
        (claimed, met): count
        for claimed, met, count in assessment_list(viewer=viewer)
        .select_related(None)
        .filter(filters.period_q("created_at"))
        .order_by()
        .values_list("claimed_tier", "tier")
        .annotate(count=Count("pk"))
    }
    rows: list[list[Cell]] = []
    for claimed in (None, 1, 2, 3, 4):
        met = [counts.get((claimed, tier), 0) for tier in range(5)]
        if not any(met):
            continue
        label = _("Not claimed") if claimed is None else _("Tier %(tier)s claimed") % {"tier": claimed}
        meets_claim = sum(met[claimed:]) if claimed is not None else None
        rows.append(
            [
                label,
                *(shown_count(n, viewer=viewer) for n in met),
                None if meets_claim is None else shown_count(meets_claim, viewer=viewer),
            ]
        )
    return Figure(
        key="assessments_by_tier",
        title=_("Data-center assessments: Tier met against Tier claimed"),
        definition=_("Assessments made in the period that you may read, by Tier claimed and Tier met."),
        headers=[
            _("Tier claimed"),
            *(_("Met Tier %(tier)s") % {"tier": tier} for tier in range(5)),
            _("Met the claim"),
        ],
        rows=rows,
        total=shown_count(sum(counts.values()), viewer=viewer),
        chart="stacked",
        series=[1, 2, 3, 4, 5],
    )


# --- zones and relocation -----------------------------------------------------------------------------


def _relocation_cases(viewer: Any, filters: FigureFilter) -> QuerySet[Any]:
    cases = (
        deals_visible(viewer=viewer)
        .select_related(None)
        .prefetch_related(None)
        .filter(filters.period_q("created_at"), track=DealTrack.RELOCATION)
    )
    scope = _organisations_in(filters, viewer)
    if scope is not None:  # the company's country and sector
        cases = cases.filter(relocation_request__organisation_id__in=scope)
    return cases.order_by()


def relocation_cases_by_stage_and_zone(*, viewer: Any, filters: FigureFilter) -> Figure:
    """Relocation cases (a relocation request taken up by a zone: deals on the relocation track) opened in
    the period (created_at) that the deals' selector lets the viewer see (staff: all; a company: its own;
    a zone's members: the cases of requests still shared with their zone), one row per zone, one column
    per stage the case is in today (RelocationStage, in order), and the zone's total. Country and sector:
    the requesting company's. The event filter does not apply (a case starts from no meeting). Small counts
    read "< 5" for anyone but staff."""
    counts: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    language = content_language()
    rows_read = (
        _relocation_cases(viewer, filters)
        .values_list(
            "zone__key",
            "zone__name_en",
            f"zone__name_{language}" if language in ("zh", "ur") else "zone__name_en",
            "stage",
        )
        .annotate(count=Count("pk"))
    )
    for key, name_en, name, stage, count in rows_read:
        names[key] = name or name_en
        counts.setdefault(key, {})[stage] = count
    rows: list[list[Cell]] = []
    for key in sorted(counts, key=lambda key: names[key]):
        by_stage = counts[key]
        rows.append(
            [
                names[key],
                *(shown_count(by_stage.get(stage.value, 0), viewer=viewer) for stage in RelocationStage),
                shown_count(sum(by_stage.values()), viewer=viewer),
            ]
        )
    return Figure(
        key="relocation_cases_by_stage_and_zone",
        title=_("Relocation cases by stage and zone"),
        definition=_(
            "Relocation cases opened in the period that you may see (a company's request taken up by a zone), "
            "by zone and the stage each is in now."
        ),
        headers=[_("Zone"), *(str(stage.label) for stage in RelocationStage), _("Total")],
        rows=rows,
        total=shown_count(sum(sum(by_stage.values()) for by_stage in counts.values()), viewer=viewer),
        previous_total=shown_count(_relocation_cases(viewer, filters.previous()).count(), viewer=viewer),
        chart="stacked",
        series=list(range(1, len(RelocationStage) + 1)),
    )


# --- the registry that pages, API and downloads read --------------------------------------------------

FIGURES: dict[str, Callable[..., Figure]] = {
    "organisations_by_country": organisations_by_country,
    "organisations_by_city": organisations_by_city,
    "organisations_by_kind": organisations_by_kind,
    "organisations_by_sector": organisations_by_sector,
    "organisations_by_province": organisations_by_province,
    "organisations_by_sector_and_country": organisations_by_sector_and_country,
    "opportunities_by_type_and_status": opportunities_by_type_and_status,
    "matching_funnel": matching_funnel,
    "events_summary": events_summary,
    "deals_by_stage": deals_by_stage,
    "deals_by_province_and_city": deals_by_province_and_city,
    "mous_signed": mous_signed,
    "assessments_by_tier": assessments_by_tier,
    "relocation_cases_by_stage_and_zone": relocation_cases_by_stage_and_zone,
}

DASHBOARDS: dict[str, tuple[str, ...]] = {
    "overview": (
        "organisations_by_country",
        "organisations_by_province",
        "organisations_by_sector",
        "organisations_by_sector_and_country",
        "matching_funnel",
        "events_summary",
        "deals_by_stage",
        "deals_by_province_and_city",
        "mous_signed",
        "assessments_by_tier",
    ),
    "marketplace": (
        "organisations_by_country",
        "organisations_by_city",
        "organisations_by_province",
        "organisations_by_kind",
        "organisations_by_sector",
        "organisations_by_sector_and_country",
        "opportunities_by_type_and_status",
        "matching_funnel",
    ),
    "events": ("events_summary",),
    "deals": ("deals_by_stage", "deals_by_province_and_city", "mous_signed"),
    "datacenters": ("assessments_by_tier",),
    "zones": ("relocation_cases_by_stage_and_zone",),
}


# Figures for those who may manage events only: their counts (requests, declines, no-shows, ratings,
# leads) are otherwise visible only to event managers, and "< 5" cannot hide them (two overlapping
# periods, a total minus its parts, a rate over a small numerator would give them back).
MANAGER_FIGURES = frozenset({"events_summary"})


def may_read_figure(*, viewer: Any, key: str) -> bool:
    """Whether the viewer may read the figure (the events figure: `events.selectors.can_manage_events`)."""
    return key not in MANAGER_FIGURES or can_manage_events(user=viewer)


def may_open_dashboard(*, viewer: Any, name: str) -> bool:
    """Whether the viewer may open the dashboard: the overview is staff's; any other one, every figure of it."""
    if name == "overview":
        return _is_staff(viewer)
    return all(may_read_figure(viewer=viewer, key=key) for key in DASHBOARDS[name])


def figure_check(*, viewer: Any, key: str) -> None:
    """PermissionDenied unless the viewer may read the figure."""
    if not may_read_figure(viewer=viewer, key=key):
        raise PermissionDenied(_("The events figures are for those who may manage events."))


def figure_get(*, viewer: Any, key: str, filters: FigureFilter) -> Figure:
    """One figure for the period, with the previous period's total for the change. KeyError: no such
    figure; PermissionDenied: a figure the viewer may not read."""
    select = FIGURES[key]
    figure_check(viewer=viewer, key=key)
    figure = select(viewer=viewer, filters=filters)
    if figure.previous_total is None:  # a figure that does not count both periods in one pass
        figure.previous_total = select(viewer=viewer, filters=filters.previous()).total
    return figure


def dashboard_figures(*, viewer: Any, name: str, filters: FigureFilter) -> list[Figure]:
    """The figures of one dashboard (DASHBOARDS), in order. KeyError: no such dashboard."""
    return [figure_get(viewer=viewer, key=key, filters=filters) for key in DASHBOARDS[name]]


# --- the public figures page --------------------------------------------------------------------------

PUBLIC_PERIOD_DAYS = 365


def public_figure_keys() -> list[str]:
    """The figures the center publishes (settings.PUBLIC_FIGURES, in its order): those that exist and
    that a signed-out visitor may read (never the events figure); empty: the public page is off."""
    visitor = AnonymousUser()
    return [key for key in settings.PUBLIC_FIGURES if key in FIGURES and may_read_figure(viewer=visitor, key=key)]


def public_figures_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """`silkbridge check`: every key SILKBRIDGE_PUBLIC_FIGURES names is a figure a visitor may read (any
    other is left off the page; the check says which, so that a typo does not go unseen)."""
    visitor = AnonymousUser()
    return [
        checks.Warning(
            f"SILKBRIDGE_PUBLIC_FIGURES names {key!r}, which is not published: "
            + ("only those who may manage events read it." if key in FIGURES else "no figure has this key."),
            hint="Use keys of analytics.selectors.FIGURES: " + ", ".join(sorted(set(FIGURES) - MANAGER_FIGURES)),
            id="analytics.W001",
        )
        for key in settings.PUBLIC_FIGURES
        if key not in FIGURES or not may_read_figure(viewer=visitor, key=key)
    ]


def public_figures(*, today: date | None = None) -> tuple[FigureFilter, list[Figure]]:
    """The published figures for the last PUBLIC_PERIOD_DAYS days as a signed-out visitor reads them
    (public organisations and what they show to everyone; counts below 5 read "< 5"), in the active
    language. Cached per language, day and list of figures for settings.PUBLIC_FIGURES_CACHE_SECONDS,
    in the project's cache (shared by every web process in production)."""
    end = today or timezone.localdate()
    filters = FigureFilter(start=end - timedelta(days=PUBLIC_PERIOD_DAYS - 1), end=end)
    keys = public_figure_keys()
    # The list of keys hashed: every publishable figure named would pass the 250 characters a cache key
    # may have (the database cache's column), and the page would then never be cached.
    listed = hashlib.sha256(",".join(keys).encode()).hexdigest()[:32]
    cache_key = f"analytics:public:{get_language()}:{end:%Y-%m-%d}:{listed}"
    figures: list[Figure] | None = cache.get(cache_key)
    if figures is None:
        visitor = AnonymousUser()
        figures = [figure_get(viewer=visitor, key=key, filters=filters) for key in keys]
        cache.set(cache_key, figures, settings.PUBLIC_FIGURES_CACHE_SECONDS)
    return filters, figures
