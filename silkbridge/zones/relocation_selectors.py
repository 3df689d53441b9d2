"""Reads of relocation requests. Who may see a request is decided here and nowhere else.

A request is private. It is seen by
- the members of the company (organisation) that filed it, and platform staff;
- the members of the organisation of each zone the company shared it with (Zone.organisation: the
  zone developer or authority on Silkbridge), for as long as it stays shared.
Nobody else: not other companies, not other zones, not anonymous visitors. Pages, API, exports and
search all read through `relocation_requests_visible_to`, so they cannot disagree.
Only the company's members and staff may change a request or see its ranking of zones
(`relocation_requests_managed_by`): a zone it is shared with sees the request, not how it compares.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from silkbridge.directory.selectors import organisation_ids_of
from silkbridge.zones.models import RelocationRequest, Zone


def _base() -> QuerySet[RelocationRequest]:
    return RelocationRequest.objects.select_related("organisation").prefetch_related("sectors", "shared_with")


def relocation_requests_visible_to(viewer: Any) -> QuerySet[RelocationRequest]:
    """Every request the viewer may read (as its company, as a zone it is shared with, or as staff)."""
    if getattr(viewer, "is_staff", False):
        return _base().all()
    organisations = organisation_ids_of(viewer)
    if not organisations:
        return RelocationRequest.objects.none()
    shared = RelocationRequest.objects.filter(shared_with__organisation_id__in=organisations).values("pk")
    return _base().filter(Q(organisation_id__in=organisations) | Q(pk__in=shared))


def relocation_requests_managed_by(viewer: Any) -> QuerySet[RelocationRequest]:
    """The requests the viewer may change and have ranked: their own company's, or any for staff."""
    if getattr(viewer, "is_staff", False):
        return _base().all()
    return _base().filter(organisation_id__in=organisation_ids_of(viewer))


def relocation_request_get(*, viewer: Any, pk: int) -> RelocationRequest:
    """One request the viewer may read; RelocationRequest.DoesNotExist otherwise (a 404, never a 403)."""
    return relocation_requests_visible_to(viewer).get(pk=pk)


def can_manage(*, viewer: Any, relocation_request: RelocationRequest) -> bool:
    return relocation_requests_managed_by(viewer).filter(pk=relocation_request.pk).exists()


def zones_for_advice() -> QuerySet[Zone]:
    """Every zone with what the advisor reads."""
    return Zone.objects.prefetch_related("sectors").order_by("key")
