"""Committee review: a reviewer appointed to a proposal declares any conflict of interest first, then
scores each criterion of the call's rubric with a comment."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from silkbridge.deals.choices import ConflictStatus


class ReviewAssignment(models.Model):
    """One reviewer on one proposal: the conflict declaration and, once submitted, the review."""

    proposal = models.ForeignKey(
        "deals.Proposal", verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="deal_review_assignments",
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("appointed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    appointed_at = models.DateTimeField(_("appointed at"), auto_now_add=True)
    conflict = models.CharField(
        _("conflict of interest"), max_length=16, choices=ConflictStatus, default=ConflictStatus.PENDING
    )
    conflict_note = models.TextField(_("what the conflict is"), blank=True, max_length=2_000)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    # What the reviewer says of the proposal as a whole; for an unsolicited proposal (no rubric) the
    # review's only text.
    comment = models.TextField(_("overall comment"), blank=True, max_length=4_000)
    submitted_at = models.DateTimeField(_("review submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reviewer appointment")
        verbose_name_plural = _("reviewer appointments")
        ordering = ("proposal", "appointed_at", "pk")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["proposal", "reviewer"],
                name="deals_assignment_once_per_reviewer",
                violation_error_message=_("This reviewer is already appointed to the proposal."),
            ),
            models.CheckConstraint(
                condition=Q(conflict=ConflictStatus.PENDING) | Q(declared_at__isnull=False),
                name="deals_assignment_declaration_has_time",
                violation_error_message=_("A declaration has a time."),
            ),
            models.CheckConstraint(
                condition=~Q(conflict=ConflictStatus.DECLARED) | ~Q(conflict_note=""),
                name="deals_assignment_conflict_has_note",
                violation_error_message=_("Say what the conflict of interest is."),
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(conflict=ConflictStatus.NONE),
                name="deals_assignment_review_needs_clear_declaration",
                violation_error_message=_("Only a reviewer who declared no conflict of interest can submit a review."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} on {self.proposal_id}"


class ReviewScore(models.Model):
    """A reviewer's score (0–5) for one criterion, with a comment."""

    assignment = models.ForeignKey(
        ReviewAssignment, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        "deals.Criterion", verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(0), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True, max_length=4_000)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ("assignment", "criterion__position")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="deals_score_once_per_criterion"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=5),
                name="deals_score_range",
                violation_error_message=_("A score is a whole number from 0 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.criterion_id}: {self.score}"
