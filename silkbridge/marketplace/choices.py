"""The fixed lists of the marketplace; values are the engine's codes (see matching.engine.profiles)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OpportunityType(models.TextChoices):
    TECHNOLOGY_OFFER = "technology_offer", _("Technology offer")
    TECHNOLOGY_REQUEST = "technology_request", _("Technology request")
    BUSINESS_OFFER = "business_offer", _("Business offer")
    BUSINESS_REQUEST = "business_request", _("Business request")
    RND_REQUEST = "rnd_request", _("R&D cooperation request")
    INVESTMENT_OFFER = "investment_offer", _("Investment offer (an investor's mandate)")
    INVESTMENT_REQUEST = "investment_request", _("Investment request")


class DealType(models.TextChoices):
    LICENCE = "licence", _("Licence")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    EQUITY = "equity", _("Equity")
    ACQUISITION = "acquisition", _("Acquisition")
    JOINT_RND = "joint_rnd", _("Joint R&D")
    TECHNICAL_COOPERATION = "technical_cooperation", _("Technical cooperation")
    SUBCONTRACTING = "subcontracting", _("Subcontracting")
    DISTRIBUTION = "distribution", _("Distribution")
    SERVICE = "service", _("Service agreement")
    LOAN = "loan", _("Loan")


class IprStatus(models.TextChoices):
    PATENT_GRANTED = "patent_granted", _("Patent granted")
    PATENT_APPLIED = "patent_applied", _("Patent applied for")
    SECRET_KNOW_HOW = "secret_know_how", _("Secret know-how")
    COPYRIGHT = "copyright", _("Copyright")
    REGISTERED_DESIGN = "registered_design", _("Registered design or trademark")
    NONE = "none", _("No protection")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNDER_REVIEW = "under_review", _("Under review by staff")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")
    CLOSED = "closed", _("Closed")


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("Approve and publish")
    REQUEST_CHANGES = "request_changes", _("Send back for changes")
    COMMENT = "comment", _("Comment only")


class InterestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class InterestDeclineReason(models.TextChoices):
    """The reasons EEN profile owners give most often; a fixed list so that they can be counted."""

    TOO_EARLY = "too_early", _("Too early stage")
    BENEFIT_UNCLEAR = "benefit_unclear", _("Benefit unclear")
    COMMERCIAL_ROUTE_UNCLEAR = "commercial_route_unclear", _("Commercial route unclear")
    DESCRIPTION_UNCLEAR = "description_unclear", _("Description unclear")
    NOT_OUR_FIELD = "not_our_field", _("Not our field")
    OTHER = "other", _("Other")


class OpportunityEventKind(models.TextChoices):
    """What a profile's history row records: one kind per state change (marketplace.history)."""

    CREATED = "created", _("Created as a draft")
    EDITED = "edited", _("Edited")
    SUBMITTED = "submitted", _("Sent for review")
    PUBLISHED = "published", _("Approved and published by staff")
    CHANGES_REQUESTED = "changes_requested", _("Sent back for changes by staff")
    CLOSED = "closed", _("Closed")
    RENEWED = "renewed", _("Renewed")
    EXPIRED = "expired", _("Expired")
