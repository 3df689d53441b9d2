"""The incentive calculator in the API: the dated rates with their sources, and a calculation."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.decorators import decorate_view

from silkbridge.accounts.api_auth import AUTH_OPTIONAL
from silkbridge.core.api_support import ErrorOut
from silkbridge.zones.engine.incentives import MAX_DOCUMENT_BYTES, IncentiveError, incentive_document_check
from silkbridge.zones.incentives_messages import incentive_error_message, incentive_error_text
from silkbridge.zones.incentives_schemas import IncentiveIn, IncentiveRateOut, IncentiveResultOut
from silkbridge.zones.incentives_selectors import incentive_rate_list
from silkbridge.zones.incentives_services import incentives_run

router = Router(tags=["zones"])


def _body_checked(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse a body over 64,000 bytes (413) or nested deeper than 6 levels (422) before django-ninja
    parses it, as the command refuses such a file: the same limits wherever a document comes in."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        body = request.body
        text = body[: MAX_DOCUMENT_BYTES + 1].decode("utf-8", errors="replace")
        try:
            if len(body) > MAX_DOCUMENT_BYTES:
                raise IncentiveError("", "too_large", limit=MAX_DOCUMENT_BYTES)
            incentive_document_check(text)
        except IncentiveError as error:
            too_large = error.code == "too_large"
            return JsonResponse(
                {
                    "code": "too_large" if too_large else "validation_error",
                    "message": _("The request body is too large.") if too_large else _("The request is not valid."),
                    "errors": [{"field": "body", "message": incentive_error_message(error)}],
                },
                status=413 if too_large else 422,
            )
        return view(request, *args, **kwargs)

    return checked


@router.get(
    "/incentives/rates", response=list[IncentiveRateOut], auth=AUTH_OPTIONAL, summary="Incentive calculator rates"
)
def incentive_rates(request: HttpRequest) -> Any:
    """Every dated rate the calculator uses, with its legal source and basis (reference, statute or assumption)."""
    return list(incentive_rate_list())


@router.post(
    "/incentives/calculate",
    response={200: IncentiveResultOut, 422: ErrorOut},
    auth=AUTH_OPTIONAL,
    summary="Incentive calculation",
)
@decorate_view(_body_checked)
def incentive_calculate(request: HttpRequest, payload: IncentiveIn) -> Any:
    """Taxes and duties year by year outside a zone, in an STZ and in a CPEC SEZ, with totals and the
    net present value in PKR, CNY and USD. Indicative figures, not tax advice. Stores nothing.
    A refusal (negative revenue, a missing rate for a year, an unknown zone) is a 422 naming the field;
    a body over 64,000 bytes is a 413 and one nested deeper than 6 levels a 422, refused before parsing."""
    document = payload.dict()
    document["sez_production_start"] = payload.sez_production_start.isoformat()
    document["years"] = [year.dict() for year in payload.years]
    try:
        return incentives_run(document=document)
    except IncentiveError as error:
        raise ValidationError({error.field or "__all__": [incentive_error_text(error)]}) from error
