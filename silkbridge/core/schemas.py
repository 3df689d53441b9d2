"""API shapes of the plumbing floor: the background run resource, and one row of an object's history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from silkbridge.core.models import Run, RunStatus
from silkbridge.core.runs import run_error_display


class RunOut(Schema):
    id: int
    kind: str = Field(..., description="What the run does, e.g. events.schedule or datacenters.assessment.")
    status: RunStatus = Field(..., description="queued → running → succeeded or failed.")
    progress: float = Field(..., description="0 to 1.")
    message: str = Field(..., description="What the run is doing now, in the language of its start.")
    result: Any = Field(None, description="Set when the run succeeded; its shape depends on the kind.")
    error: str = Field(..., description="Why the run failed, fit to show to the user; empty otherwise.")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    page_url: str = Field(..., description="The page that shows the run's progress to a person.")

    @staticmethod
    def resolve_error(obj: Run) -> str:
        return run_error_display(obj)

    @staticmethod
    def resolve_page_url(obj: Run) -> str:
        return reverse("core:run_detail", args=[obj.pk])


class HistoryEntryOut(Schema):
    """One change of an object: what, when, who, and what changed (`core.selectors.history_entries`)."""

    id: int
    kind: str = Field(..., description="What happened, e.g. created, submitted, published, verified, rated.")
    kind_label: str = Field(..., description="The same in the reader's language.")
    created_at: datetime
    by: str = Field(..., description="Who: you, staff, representative or system.")
    by_label: str = Field(..., description="The same in the reader's language.")
    actor_email: str | None = Field(None, description="The author's e-mail address: shown to staff only.")
    changes: dict[str, Any] = Field(..., description="Each changed field with its value before and after.")
