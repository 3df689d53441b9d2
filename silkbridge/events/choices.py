from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    VIRTUAL = "virtual", _("Virtual")
    PHYSICAL = "physical", _("Physical")
    HYBRID = "hybrid", _("Hybrid")
    DELEGATION = "delegation", _("Delegation visit")


class RequestPolicy(models.TextChoices):
    ANY = "any", _("Any participant may request any other")
    CROSS_COUNTRY = "cross_country", _("Only across countries")


class RequestMode(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Requests need the other side's acceptance")
    AUTOMATIC = "automatic", _("Requests are accepted automatically")


class SchedulingMode(models.TextChoices):
    PARTICIPANTS = "participants", _("Participants pick a free slot when they accept")
    ORGANISER = "organiser", _("The organiser runs the scheduler")


class ParticipantStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not admitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PreferenceLevel(models.TextChoices):
    MUST = "must", _("Must meet")
    WOULD_LIKE = "would_like", _("Would like to meet")
    NO_THANKS = "no_thanks", _("No thanks")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class DeclineReason(models.TextChoices):
    NOT_RELEVANT = "not_relevant", _("Not relevant to our business")
    NO_TIME = "no_time", _("Our schedule is full")
    ALREADY_IN_CONTACT = "already_in_contact", _("We are already in contact")
    TOO_EARLY = "too_early", _("Too early for us")
    OTHER = "other", _("Other")


class DayPart(models.TextChoices):
    ANY = "any", _("Any time")
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CHECKED_IN = "checked_in", _("Checked in")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingOutcome(models.TextChoices):
    DID_NOT_TAKE_PLACE = "did_not_take_place", _("Did not take place")
    INSUFFICIENT_INTEREST = "insufficient_interest", _("Insufficient interest")
    INFORMATIVE = "informative", _("Informative, no cooperation")
    COOPERATION_POSSIBLE = "cooperation_possible", _("Cooperation possible")


class ScheduleRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class ParticipantEventKind(models.TextChoices):
    """What a registration's history row records (events.history)."""

    REGISTERED = "registered", _("Registered")
    REPRESENTATIVE_ADDED = "representative_added", _("Representative added")
    UPDATED = "updated", _("Registration changed")
    STATUS_CHANGED = "status_changed", _("Status changed by staff")


class MeetingEventKind(models.TextChoices):
    """What a meeting's history row records, from the request to the rating (events.history)."""

    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Request accepted")
    DECLINED = "declined", _("Request declined")
    CANCELLED = "cancelled", _("Cancelled")
    BOOKED = "booked", _("Placed in a slot")
    UNBOOKED = "unbooked", _("Meeting cancelled")
    MARKED = "marked", _("Attendance marked")
    RATED = "rated", _("Rated")
    HOST_CONFIRMED = "host_confirmed", _("Confirmed by the host")
    HOST_DECLINED = "host_declined", _("Declined by the host")
