"""Reads for relocation cases: a company's relocation request taken up by a zone, followed as a deal on
the relocation track (its stages: choices.RelocationStage, its moves: pipeline.stage_moves).

Who sees a case is `pipeline.deals_visible` (staff; the company's members; the zone's members while the
request is still shared with that zone), so the case pages, the board, its export and the deals pages
cannot disagree. The board of cases is open to everyone who sees a case: the zone authority works its
own cases there, a company follows its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.deals.choices import DealTrack, RelocationStage
from silkbridge.deals.models import Deal, DealEvent
from silkbridge.deals.selectors.pipeline import (
    BoardCard,
    BoardColumn,
    age_days,
    can_move_stage,
    days_in_stage,
    deals_visible,
    export_record,
    is_overdue,
    stage_moves,
)
from silkbridge.directory.selectors import organisation_ids_of
from silkbridge.zones.models import RelocationRequest, Zone
from silkbridge.zones.relocation_selectors import relocation_request_get


def cases_visible(*, viewer: Any) -> QuerySet[Deal]:
    """Every relocation case the viewer may see, with its zone and request loaded."""
    return (
        deals_visible(viewer=viewer)
        .filter(track=DealTrack.RELOCATION)
        .select_related("zone", "relocation_request__organisation")
    )


def case_zones_for(*, viewer: Any, relocation_request: RelocationRequest) -> list[Zone]:
    """The zones the viewer may take the request up for: the zones it is shared with, all of them for
    staff, those whose organisation the viewer belongs to for anyone else (none for the company)."""
    zones = relocation_request.shared_with.select_related("organisation").order_by("key")
    if getattr(viewer, "is_staff", False):
        return list(zones)
    return list(zones.filter(organisation_id__in=organisation_ids_of(viewer)))


def cases_of_request(*, viewer: Any, relocation_request: RelocationRequest) -> QuerySet[Deal]:
    """The request's cases the viewer may see, by zone."""
    return cases_visible(viewer=viewer).filter(relocation_request=relocation_request).order_by("zone__key", "pk")


def request_for_case(*, viewer: Any, pk: int) -> RelocationRequest:
    """The request as the viewer may see it (zones.relocation_selectors decides); RelocationRequest.DoesNotExist
    otherwise, so a request one may not see stays a 404."""
    return relocation_request_get(viewer=viewer, pk=pk)


def case_board(*, viewer: Any, cases: QuerySet[Deal]) -> list[BoardColumn]:
    """The board of cases: one column per relocation stage (empty ones too), each card with the stages
    the viewer may move it to (none when they may not move it). `cases` is `cases_visible`, filtered."""
    now, today = timezone.now(), timezone.localdate()
    columns = {stage.value: BoardColumn(stage=stage.value, label=str(stage.label)) for stage in RelocationStage}
    listed = list(cases.order_by("stage_changed_at", "pk"))
    reached: dict[int, set[str]] = {}
    for deal_id, stage in DealEvent.objects.filter(deal__in=[case.pk for case in listed]).values_list(
        "deal_id", "to_stage"
    ):
        reached.setdefault(deal_id, set()).add(stage)
    for case in listed:
        card = CaseCard(
            deal=case,
            days_in_stage=days_in_stage(case, now=now),
            age_days=age_days(case, now=now),
            is_overdue=is_overdue(case, today=today),
            moves=stage_moves(case, reached=reached.get(case.pk, set()))
            if can_move_stage(user=viewer, deal=case)
            else [],
        )
        columns[case.stage].cards.append(card)
    return list(columns.values())


@dataclass
class CaseCard(BoardCard):
    """A board card with the stages the viewer may move the case to."""

    moves: list[tuple[str, str]] = field(default_factory=list)


def case_export_records(*, viewer: Any, cases: QuerySet[Deal]) -> list[dict[str, Any]]:
    """One plain record per case the viewer sees: the zone's key and the request's number, then the deal's
    record (pipeline.EXPORT_FIELDS)."""
    now, today = timezone.now(), timezone.localdate()
    return [
        {
            "zone": case.zone.key if case.zone else "",
            "relocation_request": case.relocation_request_id,
            **export_record(case, now=now, today=today),
        }
        for case in cases.order_by("zone__key", "stage", "stage_changed_at", "pk")
    ]


def board_zones(*, viewer: Any) -> list[Zone]:
    """The zones of the cases the viewer sees, for the board's zone filter."""
    return list(Zone.objects.filter(pk__in=cases_visible(viewer=viewer).values("zone_id")).order_by("key"))


def zone_filter(*, value: str) -> Zone | None:
    """The zone a board is filtered to (?zone=key), or a ValidationError naming `zone`."""
    if not value:
        return None
    zone = Zone.objects.filter(key=value).first()
    if zone is None:
        raise ValidationError({"zone": _("Unknown zone: %(keys)s.") % {"keys": value}})
    return zone
