"""Building the figures' summary (analytics.models; the selectors read it, docs/analytics.md "Summary").

`summary_build` counts, in one repeatable-read transaction (one snapshot of the data on PostgreSQL),
every summarised measure per day, visibility class and country, for the days of the site's time zone and
of the zones most users chose (`summary_zones`: a viewer in another zone has other days, and is counted
live), writes them as a new generation per zone and deletes the older ones, so readers see either the
old complete summary or the new complete one. A background run builds it (`summary_refresh_start`,
kind `analytics.summary`, one at a time: a request while one runs makes it run again), started by
`silkbridge analytics refresh-summary` (cron, every 10 minutes); `silkbridge demo scale` builds it inline.
Writes that go around the services call `summary_invalidate` first where they can (imports and demo
scale do): the selectors then count live until the next build. Any other change shows up at the next
build, and a summary older than settings.ANALYTICS_SUMMARY_MAX_AGE_SECONDS is never read.
"""

from __future__ import annotations

import time
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from silkbridge.accounts.models import User
from silkbridge.analytics.models import SummaryCount, SummaryGeneration, SummaryMeasure
from silkbridge.analytics.report_runs import report_reader
from silkbridge.analytics.selectors import (
    _deal_links,
    _interest_expressed,
    _link_cells,
    _province_code,
    _useful_feedback,
)
from silkbridge.core.runs import Progress, run_enqueue_coalesced
from silkbridge.deals.choices import DealTrack
from silkbridge.deals.selectors.pipeline import deals_visible
from silkbridge.directory.models import Organisation
from silkbridge.matching.models import Match

RUN_KIND = "analytics.summary"
BATCH = 5000


def _noop(_fraction: float, _message: str = "") -> None:
    return None


# The summary is counted in days of the site's time zone and of the time zones most users read in (the
# selectors read it only in the zone it was counted in: other days are other counts), at most this many.
ZONES = 4


def summary_zones() -> list[str]:
    """The site's time zone, then the zones most active users chose (most users first), ZONES in all."""
    zones = [settings.TIME_ZONE]
    for zone in (
        User.objects.filter(is_active=True)
        .values_list("time_zone", flat=True)
        .annotate(users=Count("pk"))
        .order_by("-users", "time_zone")
    ):
        if zone and zone not in zones and len(zones) < ZONES:
            zones.append(zone)
    return zones


def summary_build(*, progress: Progress | None = None) -> list[SummaryGeneration]:
    """Count every summarised measure now, per day of each of `summary_zones()`, and make these the
    current summary, one generation per zone (see the module's docstring)."""
    progress = progress or _noop
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    zones = summary_zones()
    generations: list[SummaryGeneration] = []
    with transaction.atomic():
        if snapshot:  # one snapshot for every count (SQLite has one writer anyway; a caller's transaction, its own)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        as_of = timezone.now()
        for index, zone_name in enumerate(zones):
            started = time.perf_counter()
            generation = SummaryGeneration.objects.create(as_of=as_of, time_zone=zone_name, valid=False)
            generation.rows = _write(generation, zoneinfo.ZoneInfo(zone_name))
            generation.seconds = round(time.perf_counter() - started, 2)
            generations.append(generation)
            progress((index + 1) / len(zones), zone_name)
        first = generations[0].pk
        SummaryCount.objects.filter(generation__lt=first).delete()
        SummaryGeneration.objects.filter(pk__lt=first).delete()
        for generation in generations:
            generation.valid = True
            generation.save(update_fields=["valid", "rows", "seconds"])
    return generations


def _write(generation: SummaryGeneration, zone: Any) -> int:
    """Write every measure's counts per day of `zone` for the generation; the number of rows."""
    rows = 0
    for measure, counts in _measures(zone):
        batch: list[SummaryCount] = []
        for day, visibility, country, group, count, *city in counts:
            if not count:
                continue
            batch.append(
                SummaryCount(
                    generation=generation,
                    measure=measure,
                    day=day,
                    visibility=visibility or "",
                    country=country or "",
                    group=group or "",
                    city=(city[0] or "") if city else "",
                    count=count,
                )
            )
            if len(batch) >= BATCH:
                SummaryCount.objects.bulk_create(batch)
                rows += len(batch)
                batch = []
        SummaryCount.objects.bulk_create(batch)
        rows += len(batch)
    return rows


def _measures(zone: Any) -> Iterable[tuple[str, Iterable[tuple[Any, ...]]]]:
    """(measure, rows of (day, visibility, country, group, count[, city])) for every SummaryMeasure."""
    day = TruncDate("created_at", tzinfo=zone)
    organisations = Organisation.objects.order_by()
    yield (
        SummaryMeasure.ORGANISATIONS,
        organisations.annotate(day=day, province=Coalesce(_province_code(), Value("")))
        .values_list("day", "visibility", "country", "province")
        .annotate(count=Count("pk")),
    )
    # Each organisation once per focus field however many of the field's sub-fields it has.
    yield (
        SummaryMeasure.IN_FIELD,
        organisations.filter(sectors__isnull=False)
        .annotate(day=day, field_code=Coalesce("sectors__parent__code", "sectors__code"))
        .values_list("day", "visibility", "country", "field_code")
        .annotate(count=Count("pk", distinct=True)),
    )
    tagged = Organisation.sectors.through.objects.filter(organisation_id=OuterRef("pk"))
    yield (
        SummaryMeasure.WITH_FIELD,
        organisations.filter(Exists(tagged))
        .annotate(day=day, group=Value(""))
        .values_list("day", "visibility", "country", "group")
        .annotate(count=Count("pk")),
    )
    matches = (
        Match.objects.order_by()
        .annotate(
            day=TruncDate("first_seen_at", tzinfo=zone),
            visibility=Value(""),
            country=F("opportunity__organisation__country"),
            group=Value(""),
        )
        .values_list("day", "visibility", "country", "group")
        .annotate(
            shown=Count("pk"),
            useful=Count("pk", filter=Q(Exists(_useful_feedback()))),
            interest=Count("pk", filter=Q(Exists(_interest_expressed()))),
        )
    )
    funnel = list(matches)
    yield SummaryMeasure.MATCHES_SHOWN, ((*row[:4], row[4]) for row in funnel)
    yield SummaryMeasure.MATCHES_USEFUL, ((*row[:4], row[5]) for row in funnel)
    yield SummaryMeasure.MATCHES_INTEREST, ((*row[:4], row[6]) for row in funnel)
    # Every deal on the deals track, as staff see them (`_deals` for staff, without the period).
    deals = deals_visible(viewer=report_reader()).select_related(None).prefetch_related(None)
    links = _deal_links(report_reader(), deals.filter(track=DealTrack.DEAL).order_by())
    link_day = TruncDate("deal__created_at", tzinfo=zone)
    yield (
        SummaryMeasure.DEAL_LINKS,
        (
            (day, "", "", province, count, city)
            for day, province, city, count in _link_cells(links.annotate(day=link_day), "day")
        ),
    )
    yield (
        SummaryMeasure.DEALS_LINKED,
        (
            (day, "", "", "", count)
            for day, count in links.annotate(day=link_day)
            .values_list("day")
            .annotate(count=Count("deal_id", distinct=True))
        ),
    )


def summary_invalidate() -> bool:
    """The data changed around the services (an import, demo scale): count live until the next build.
    Whether there was a valid summary."""
    return bool(SummaryGeneration.objects.filter(valid=True).update(valid=False))


def organisations_bulk_changed_received() -> None:
    """directory's `organisations_bulk_changed` (an import): the summary is out of date; if there was
    one, it is rebuilt in the background (without one, the figures are counted live already)."""
    if summary_invalidate():
        summary_refresh_start()


def summary_refresh_start(*, actor: Any = None) -> Any:
    """Queue a rebuild as a background run (one at a time; a request while one runs makes it run again
    once it is done, so a change made meanwhile is not missed). The run, or None when folded in."""
    from silkbridge.analytics.tasks import summary_refresh_task

    return run_enqueue_coalesced(kind=RUN_KIND, key=RUN_KIND, task=summary_refresh_task, created_by=actor)


def summary_refresh_run(progress: Progress) -> dict[str, Any]:
    """The work of a refresh run: build, and say how big and how long."""
    return summary_figures(summary_build(progress=progress))


def summary_figures(generations: list[SummaryGeneration]) -> dict[str, Any]:
    """What a build made: its instant, and rows and seconds per time zone."""
    return {
        "as_of": generations[0].as_of.isoformat(),
        "zones": {
            generation.time_zone: {"rows": generation.rows, "seconds": generation.seconds} for generation in generations
        },
    }
