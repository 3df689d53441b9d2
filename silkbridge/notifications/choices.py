from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a notification is about; each user turns the e-mail of each kind on or off (in-app is always on)."""

    REQUEST_RECEIVED = "request_received", _("Requests and interests received")
    ANSWER = "answer", _("Answers to your requests and interests")
    MEETING = "meeting", _("Meetings placed, moved or cancelled")
    REMINDER = "reminder", _("Reminders")
    PROFILE_REVIEW = "profile_review", _("Reviews of your profiles")
    MATCH = "match", _("New strong matches")
    EVENT = "event", _("Event registrations")
    MESSAGE = "message", _("Messages from the organisations you work with")
    REVIEW_ASSIGNED = "review_assigned", _("Proposals you are appointed to review")
    PROPOSAL_DECISION = "proposal_decision", _("Decisions on your proposals")
    CALL = "call", _("Calls you answered: openings, reports and grievances")
