"""Reads of assessments. Designs are confidential: the uploader, reviewers and staff see them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from silkbridge.datacenters.models import Assessment


def assessment_list(*, viewer: Any) -> QuerySet[Assessment]:
    """The assessments the viewer may see, newest first."""
    if not getattr(viewer, "is_authenticated", False):
        return Assessment.objects.none()
    assessments = Assessment.objects.select_related("created_by")
    if getattr(viewer, "is_reviewer", False):
        return assessments
    return assessments.filter(created_by=viewer)


def assessment_get(*, viewer: Any, reference: str) -> Assessment:
    """One visible assessment; Assessment.DoesNotExist when it does not exist or is not the viewer's to see."""
    return assessment_list(viewer=viewer).get(reference=reference)
