"""Reads of assessments. Designs are confidential: the uploader, reviewers and staff see them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

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


def can_delete(*, user: Any, assessment: Assessment) -> bool:
    """Its uploader and staff may delete an assessment; reviewers only read."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff) or assessment.created_by_id == user.pk


def delete_check(*, viewer: Any, assessment: Assessment) -> None:
    if not can_delete(user=viewer, assessment=assessment):
        raise PermissionDenied(_("Only the assessment's uploader and staff may delete it."))
