"""The incentive calculator in the API: the dated rates with their sources, and a calculation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router

from silkbridge.accounts.api_auth import AUTH_OPTIONAL
from silkbridge.core.api_support import ErrorOut
from silkbridge.zones.engine.incentives import IncentiveError
from silkbridge.zones.incentives_messages import incentive_error_text
from silkbridge.zones.incentives_schemas import IncentiveIn, IncentiveRateOut, IncentiveResultOut
from silkbridge.zones.incentives_selectors import incentive_rate_list
from silkbridge.zones.incentives_services import incentives_run

router = Router(tags=["zones"])


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
def incentive_calculate(request: HttpRequest, payload: IncentiveIn) -> Any:
    """Taxes and duties year by year outside a zone, in an STZ and in a CPEC SEZ, with totals and the
    net present value in PKR, CNY and USD. Indicative figures, not tax advice. Stores nothing.
    A refusal (negative revenue, a missing rate for a year, an unknown zone) is a 422 naming the field."""
    document = payload.dict()
    document["sez_production_start"] = payload.sez_production_start.isoformat()
    document["years"] = [year.dict() for year in payload.years]
    try:
        return incentives_run(document=document)
    except IncentiveError as error:
        raise ValidationError({error.field or "__all__": [incentive_error_text(error)]}) from error
