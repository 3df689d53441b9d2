"""The figures' summary: counts per day read from the live tables by a background run, so that the
heaviest figures add up a few hundred rows instead of joining a hundred thousand organisations to their
tags (docs/analytics.md, "Summary"). A summary is one generation: the counts of the data as it was at
`as_of`; the selectors use it only while it is younger than settings.ANALYTICS_SUMMARY_MAX_AGE_SECONDS,
was counted in the viewer's time zone and was not invalidated, and say "figures as of HH:MM" when
they do; otherwise they count live."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SummaryGeneration(models.Model):
    """One complete summary (its counts are written in the same transaction as this row)."""

    # The instant whose data the counts are, and the time zone whose days they are.
    as_of = models.DateTimeField(_("as of"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    # False once a write around the services (an import, demo scale) made it out of date.
    valid = models.BooleanField(_("valid"), default=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    seconds = models.FloatField(_("seconds to build"), default=0)

    class Meta:
        verbose_name = _("figures' summary")
        verbose_name_plural = _("figures' summaries")

    def __str__(self) -> str:
        return f"summary {self.pk} as of {self.as_of:%Y-%m-%d %H:%M}"


class SummaryMeasure(models.TextChoices):
    # Organisations registered that day, by their province ("" where the table does not list the city).
    ORGANISATIONS = "organisations", "organisations"
    # Organisations registered that day tagged in the focus field `group` (its sub-fields included).
    IN_FIELD = "in_field", "in_field"
    # Organisations registered that day tagged in at least one field.
    WITH_FIELD = "with_field", "with_field"
    # Matches first found that day (shown), of them judged useful, turned into interest (now).
    MATCHES_SHOWN = "matches_shown", "matches_shown"
    MATCHES_USEFUL = "matches_useful", "matches_useful"
    MATCHES_INTEREST = "matches_interest", "matches_interest"
    # Deals created that day with a Chinese and a Pakistani party, by the one's province (`group`) and the
    # other's city (`city`): each deal once per cell; and each deal with at least one such pair once.
    DEAL_LINKS = "deal_links", "deal_links"
    DEALS_LINKED = "deals_linked", "deals_linked"


class SummaryCount(models.Model):
    """How many rows of `measure` a day had, per organisation visibility, country and group (a province
    or a focus field's code; "" where the measure has none). Matches: the country of the profile's
    organisation, no visibility (the funnel is read from the summary by staff only). Deal links: no
    visibility or country either (staff only, without a country filter)."""

    generation = models.ForeignKey(SummaryGeneration, on_delete=models.CASCADE, related_name="counts")
    measure = models.CharField(max_length=20, choices=SummaryMeasure)
    day = models.DateField()
    visibility = models.CharField(max_length=10)
    country = models.CharField(max_length=2)
    group = models.CharField(max_length=64, blank=True)
    city = models.CharField(max_length=100, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["generation", "measure", "day"], name="analytics_summary_day")]

    def __str__(self) -> str:
        return f"{self.measure} {self.day} {self.visibility} {self.country} {self.group}: {self.count}"
