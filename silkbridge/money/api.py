"""Currency-rate endpoints: the rates in use, their history, and (staff) setting a rate."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from silkbridge.core.api_support import ErrorOut, auth_user
from silkbridge.money import selectors, services
from silkbridge.money.schemas import RateIn, RateOut, RatesInUseOut

# Every endpoint needs a signed-in caller: the site mounts this router with accounts' authentication
# (money sits below accounts, so it does not import it). The tag and the operation ids are those the
# endpoints had when they lived in matching: generated clients name their methods after them, so moving
# the code changes nothing in docs/openapi.json.
router = Router(tags=["matching"])
OPERATION_ID = "silkbridge_matching_api_{}"
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get(
    "/currency-rates",
    response={200: RatesInUseOut, **ERRORS},
    operation_id=OPERATION_ID.format("rates_in_use"),
    summary="The rates matching converts with today (units per US dollar)",
)
def rates_in_use(request: HttpRequest) -> Any:
    return selectors.current_rates()


@router.get(
    "/currency-rates/history",
    response={200: list[RateOut], **ERRORS},
    operation_id=OPERATION_ID.format("rate_history"),
    summary="Every rate staff have set, newest first per currency",
)
def rate_history(request: HttpRequest) -> Any:
    return list(selectors.currency_rate_history())


@router.post(
    "/currency-rates",
    response={201: RateOut, **ERRORS},
    operation_id=OPERATION_ID.format("rate_set"),
    summary="Staff: set a currency's rate from a date on (every match list is then recomputed)",
)
def rate_set(request: HttpRequest, payload: RateIn) -> Status:
    rate = services.currency_rate_set(actor=auth_user(request), **payload.dict())
    return Status(201, rate)
