"""Reads for the incentive calculator: the dated rates (public reference data) and their history."""

from __future__ import annotations

from django.db.models import QuerySet

from silkbridge.zones.engine.incentives import DatedRate, RateBook
from silkbridge.zones.incentives_models import IncentiveRate


def incentive_rate_list() -> QuerySet[IncentiveRate]:
    return IncentiveRate.objects.order_by("kind", "-valid_from")


def incentive_rate_book() -> RateBook:
    """Every stored rate as the engine's RateBook (a few dozen rows at most)."""
    return RateBook(
        rates=tuple(
            DatedRate(
                kind=rate.kind,
                value=rate.value,
                valid_from=rate.valid_from,
                source=f"{rate.legal_source} ({rate.get_basis_display()})",
            )
            for rate in incentive_rate_list()
        )
    )
