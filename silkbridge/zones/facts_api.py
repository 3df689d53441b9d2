"""Zone facts over the API: the same selectors and services as the zone's facts page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from silkbridge.accounts.api_auth import AUTH_OPTIONAL, AUTH_REQUIRED
from silkbridge.core.api_support import ErrorOut, auth_user
from silkbridge.zones.facts_models import ZoneFactChange
from silkbridge.zones.facts_schemas import ZoneFactChangeIn, ZoneFactChangeOut, ZoneFactHistoryOut, ZoneFactRejectIn
from silkbridge.zones.facts_selectors import (
    can_propose_zone_facts,
    can_review_zone_facts,
    zone_fact_changes_for,
    zone_fact_changes_pending,
    zone_fact_history,
)
from silkbridge.zones.facts_services import ZoneFactProposal, zone_fact_approve, zone_fact_propose, zone_fact_reject
from silkbridge.zones.models import Zone
from silkbridge.zones.selectors import zone_get
from silkbridge.zones.views import person_shown

router = Router(tags=["zones"])
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _zone(key: str) -> Zone:
    try:
        return zone_get(key=key)
    except Zone.DoesNotExist as error:
        raise Http404(_("No such zone.")) from error


def _for_review(request: HttpRequest, pk: int) -> ZoneFactChange:
    if not can_review_zone_facts(actor=auth_user(request)):
        raise PermissionDenied(_("Only staff approve or reject changes to a zone's facts."))
    try:
        return ZoneFactChange.objects.select_related("zone").get(pk=pk)
    except ZoneFactChange.DoesNotExist as error:
        raise Http404(_("No such change.")) from error


@router.get(
    "/zones/{key}/fact-history",
    response={200: list[ZoneFactHistoryOut], 404: ErrorOut},
    auth=AUTH_OPTIONAL,
    summary="The approved changes of a zone's facts: who, when, source, old and new value",
)
def zone_fact_history_api(request: HttpRequest, key: str) -> list[dict[str, Any]]:
    return [
        {
            "field": change.field,
            "value": change.value,
            "old_value": change.old_value,
            "source": change.source,
            "source_date": change.source_date,
            "approved_at": change.decided_at,
            "proposed_by": person_shown(change.proposed_by),
            "approved_by": person_shown(change.decided_by),
        }
        for change in zone_fact_history(zone=_zone(key))
    ]


@router.get(
    "/zones/{key}/fact-changes",
    response={200: list[ZoneFactChangeOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Every proposed change of a zone's facts (its developer's members and staff)",
)
def zone_fact_changes_api(request: HttpRequest, key: str) -> QuerySet[ZoneFactChange]:
    zone = _zone(key)
    user = auth_user(request)
    if not can_propose_zone_facts(actor=user, zone=zone):
        raise PermissionDenied(_("Only the zone developer's members and staff propose changes to its facts."))
    return zone_fact_changes_for(viewer=user, zone=zone)


@router.post(
    "/zones/{key}/fact-changes",
    response={201: ZoneFactChangeOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Propose a new value for one of a zone's facts, with its source and date (staff approve it)",
)
def zone_fact_propose_api(request: HttpRequest, key: str, payload: ZoneFactChangeIn) -> Status:
    change = zone_fact_propose(
        actor=auth_user(request),
        zone=_zone(key),
        proposal=ZoneFactProposal(
            field=payload.field,
            value=payload.value,
            source=payload.source,
            source_date=payload.source_date,
            note=payload.note,
        ),
    )
    return Status(201, change)


@router.get(
    "/zone-fact-changes",
    response={200: list[ZoneFactChangeOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Changes of zone facts awaiting approval, oldest first (staff)",
)
def zone_fact_pending_api(request: HttpRequest) -> QuerySet[ZoneFactChange]:
    user = auth_user(request)
    if not can_review_zone_facts(actor=user):
        raise PermissionDenied(_("Only staff approve or reject changes to a zone's facts."))
    return zone_fact_changes_pending(viewer=user)


@router.post(
    "/zone-fact-changes/{pk}/approve",
    response={200: ZoneFactChangeOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Approve a change: the zone's public page shows the value with its source and date (staff)",
)
def zone_fact_approve_api(request: HttpRequest, pk: int) -> ZoneFactChange:
    return zone_fact_approve(actor=auth_user(request), change=_for_review(request, pk))


@router.post(
    "/zone-fact-changes/{pk}/reject",
    response={200: ZoneFactChangeOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Reject a change with a reason for the developer (staff)",
)
def zone_fact_reject_api(request: HttpRequest, pk: int, payload: ZoneFactRejectIn) -> ZoneFactChange:
    return zone_fact_reject(actor=auth_user(request), change=_for_review(request, pk), reason=payload.reason)
