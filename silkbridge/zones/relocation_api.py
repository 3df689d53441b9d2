"""Relocation requests over the API: the same selectors and services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from silkbridge.accounts.api_auth import AUTH_REQUIRED
from silkbridge.core.api_support import ErrorOut, PagePagination, auth_user
from silkbridge.directory.models import Organisation
from silkbridge.directory.selectors import user_organisations
from silkbridge.zones.models import RelocationRequest
from silkbridge.zones.relocation_messages import reason_text, sector_names
from silkbridge.zones.relocation_schemas import RelocationRequestIn, RelocationRequestOut, ZoneAdviceOut
from silkbridge.zones.relocation_selectors import (
    relocation_request_get,
    relocation_requests_managed_by,
    relocation_requests_visible_to,
)
from silkbridge.zones.relocation_services import (
    RelocationRequestData,
    relocation_advice,
    relocation_request_create,
    relocation_request_update,
)

router = Router(tags=["zones"])
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _data(payload: RelocationRequestIn) -> RelocationRequestData:
    fields = payload.dict(exclude={"organisation"})
    fields["space_kind"] = str(payload.space_kind)
    return RelocationRequestData(**fields)


def _company(request: HttpRequest, key: str) -> Organisation:
    user = auth_user(request)
    organisations = Organisation.objects.all() if user.is_staff else user_organisations(user=user)
    try:
        return organisations.get(key=key)
    except Organisation.DoesNotExist as error:
        raise ValidationError({"organisation": _("You are not a member of an organisation with this key.")}) from error


def _managed(request: HttpRequest, pk: int) -> RelocationRequest:
    try:
        return relocation_requests_managed_by(auth_user(request)).get(pk=pk)
    except RelocationRequest.DoesNotExist as error:
        raise Http404(_("No such relocation request.")) from error


def _fresh(pk: int) -> RelocationRequest:
    return RelocationRequest.objects.select_related("organisation").prefetch_related("sectors").get(pk=pk)


@router.get(
    "/relocation-requests",
    response={200: list[RelocationRequestOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Relocation requests: your company's and those shared with your zones",
)
@paginate(PagePagination)
def relocation_request_list(request: HttpRequest) -> QuerySet[RelocationRequest]:
    return relocation_requests_visible_to(auth_user(request))


@router.post(
    "/relocation-requests",
    response={201: RelocationRequestOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="File a relocation request for your company",
)
def relocation_request_create_api(request: HttpRequest, payload: RelocationRequestIn) -> Status:
    created = relocation_request_create(
        actor=auth_user(request), organisation=_company(request, payload.organisation), data=_data(payload)
    )
    return Status(201, _fresh(created.pk))


@router.get(
    "/relocation-requests/{pk}",
    response={200: RelocationRequestOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="One relocation request",
)
def relocation_request_detail_api(request: HttpRequest, pk: int) -> RelocationRequest:
    try:
        return relocation_request_get(viewer=auth_user(request), pk=pk)
    except RelocationRequest.DoesNotExist as error:
        raise Http404(_("No such relocation request.")) from error


@router.put(
    "/relocation-requests/{pk}",
    response={200: RelocationRequestOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Change a relocation request (the whole of it) and whom it is shared with",
)
def relocation_request_update_api(request: HttpRequest, pk: int, payload: RelocationRequestIn) -> RelocationRequest:
    relocation_request = _managed(request, pk)
    if payload.organisation != relocation_request.organisation.key:
        raise ValidationError({"organisation": _("A request cannot move to another company.")})
    relocation_request_update(actor=auth_user(request), relocation_request=relocation_request, data=_data(payload))
    return _fresh(pk)


@router.get(
    "/relocation-requests/{pk}/zones",
    response={200: list[ZoneAdviceOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Every zone ranked for a relocation request, with reasons in your language",
)
def relocation_advice_api(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    ranked = relocation_advice(actor=auth_user(request), relocation_request=_managed(request, pk))
    names = sector_names()
    return [
        {
            "rank": number,
            "zone": item.zone.key,
            "zone_name": item.zone.name,
            "score": item.advice.score,
            "disqualified": item.advice.disqualified,
            "reasons": [
                {
                    "code": reason.code,
                    "effect": reason.effect,
                    "params": {
                        name: list(value) if isinstance(value, tuple) else value for name, value in reason.params
                    },
                    "text": reason_text(reason, names),
                }
                for reason in item.advice.reasons
            ],
        }
        for number, item in enumerate(ranked, start=1)
    ]
