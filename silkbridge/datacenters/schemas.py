from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from silkbridge.datacenters.services import MAX_YEARS, MIN_YEARS


class AssessmentIn(Schema):
    design: str = Field(..., min_length=1, max_length=1_000_000, description="The design document, YAML or JSON text.")
    file_name: str = Field("design.yaml", max_length=255, description="Shown in lists; .json or .yaml.")
    years: int = Field(
        100_000,
        ge=MIN_YEARS,
        le=MAX_YEARS,
        description="Simulated years for the Monte Carlo run; at most SILKBRIDGE_DATACENTER_MAX_YEARS "
        "(200,000 by default), counted against the caller's hourly budget.",
    )
    seed: int = Field(1, ge=0, le=2**31 - 1, description="Random seed; the same seed gives the same figures.")


class ValidateIn(Schema):
    design: str = Field(..., min_length=1, max_length=1_000_000, description="The design document, YAML or JSON text.")


class IssueOut(Schema):
    path: str = Field(..., description="Place in the document, e.g. `power.ups[0].modules`.")
    code: str = Field(..., description="Stable machine code of the problem.")
    message: str = Field(..., description="The problem in the reader's language.")


class ValidationOut(Schema):
    valid: bool
    errors: list[IssueOut]
    warnings: list[IssueOut]


class AssessmentOut(Schema):
    reference: str
    name: str
    file_name: str
    tier: int = Field(..., description="Tier met by the topology, 1–4, or 0 when not even Tier I is met.")
    claimed_tier: int | None
    availability: float = Field(..., description="Analytical steady-state availability.")
    downtime_minutes: float = Field(..., description="Analytical expected downtime, minutes per year.")
    pue: float | None
    years: int
    seed: int
    created_at: datetime
    created_by: str = Field(..., alias="created_by.email")


class AssessmentDetailOut(AssessmentOut):
    result: dict[str, Any] = Field(..., description="The whole assessment; docs/datacenters.md documents every key.")
