"""What the matching engine's Django layer stores: the matches of each live profile (directed: the
reasons are written from the profile's side), feedback on them, the
fitted score weights in use, and each user's weekly digest setting.

Stored matches are a cache of the engine's answer; whether a viewer may see the other profile is
checked again on every read (`selectors`), so a profile that turns private or expires disappears
from every page at once, before the background refresh has run.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WeightSet(models.Model):
    """Score weights per pair family; the newest active set is the one in use."""

    weights = models.JSONField(_("weights"))
    evaluation = models.JSONField(_("evaluation"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("weight set")
        verbose_name_plural = _("weight sets")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"weights of {self.created_at:%Y-%m-%d %H:%M}"


class Match(models.Model):
    """One of a profile's best complementary profiles, as the engine scored it from the profile's side."""

    opportunity = models.ForeignKey(
        "marketplace.Opportunity", verbose_name=_("profile"), on_delete=models.CASCADE, related_name="matches"
    )
    other = models.ForeignKey(
        "marketplace.Opportunity", verbose_name=_("matched profile"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(_("score"))
    rank = models.PositiveSmallIntegerField(_("rank"))
    features = models.JSONField(_("features"), default=dict)
    reasons = models.JSONField(_("reasons"), default=list)
    first_seen_at = models.DateTimeField(_("first found"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ("opportunity", "rank")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["opportunity", "other"], name="matching_match_once"),
            models.CheckConstraint(condition=~models.Q(opportunity=models.F("other")), name="matching_match_not_self"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["opportunity", "rank"], name="matching_match_rank"),
            models.Index(fields=["other"], name="matching_match_other"),
            # Analytics (matches first found in a period, with their feedback and interest): the pair
            # rides along, so the period's matches are read from this index alone (index-only scan).
            models.Index(fields=["first_seen_at", "opportunity", "other"], name="matching_match_seen_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id} → {self.other_id} ({self.score:.2f})"


class MatchFeedback(models.Model):
    """A user's verdict on one match of one of their organisation's profiles."""

    opportunity = models.ForeignKey(
        "marketplace.Opportunity", verbose_name=_("profile"), on_delete=models.CASCADE, related_name="+"
    )
    other = models.ForeignKey(
        "marketplace.Opportunity", verbose_name=_("matched profile"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="match_feedback"
    )
    useful = models.BooleanField(_("useful"))
    features = models.JSONField(_("features when judged"), default=dict)
    family = models.CharField(_("family"), max_length=16)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("match feedback")
        verbose_name_plural = _("match feedback")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "opportunity", "other"], name="matching_feedback_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.opportunity_id} → {self.other_id}: {'useful' if self.useful else 'not useful'}"


class DigestSubscription(models.Model):
    """When the weekly e-mail of new matches last went to a user (whether they want it at all is their
    notification setting, notifications.NotificationSettings.weekly_digest: an opt-in, off by default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="match_digest"
    )
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")

    def __str__(self) -> str:
        return f"{self.user}: {self.last_sent_at}"


class TextEmbedding(models.Model):
    """A profile text's sentence embedding, kept so that a new process (a web worker, a task worker, a
    rebuild) loads it instead of running the model again: at 100,000 profiles, embedding every text
    anew would take the better part of an hour. Keyed by the model and the text's SHA-256."""

    model = models.CharField(_("model"), max_length=80)
    text_hash = models.CharField(_("text hash"), max_length=64)
    vector = models.BinaryField(_("vector (float32)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("text embedding")
        verbose_name_plural = _("text embeddings")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["model", "text_hash"], name="matching_embedding_once"),
        ]

    def __str__(self) -> str:
        return f"{self.model}: {self.text_hash[:12]}…"
