"""Every status and kind of the deals app, as translated choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DealStage(models.TextChoices):
    """Where a deal stands, from first contact to a signed MoU being carried out; the last three end it
    (or pause it) and need a reason."""

    LEAD = "lead", _("Lead")
    PROPOSAL = "proposal", _("Proposal")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    MOU_DRAFTING = "mou_drafting", _("MoU drafting")
    VETTING = "vetting", _("Vetting")
    SIGNED = "signed", _("Signed")
    IMPLEMENTATION = "implementation", _("In implementation")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    STALLED = "stalled", _("Stalled")


# The stages a deal can only enter with a reason.
STAGES_NEEDING_REASON = (DealStage.DECLINED, DealStage.WITHDRAWN, DealStage.STALLED)


class DealTrack(models.TextChoices):
    """Which sequence of stages a deal follows: a deal towards an MoU, or a relocation case (a company's
    relocation request taken up by a zone, towards operating in the zone)."""

    DEAL = "deal", _("Deal")
    RELOCATION = "relocation", _("Relocation case")


class RelocationStage(models.TextChoices):
    """Where a relocation case stands, in order; the last three end it (or pause it) and need a reason,
    as a deal's do (the same codes)."""

    INQUIRY = "inquiry", _("Inquiry")
    ADVISORY = "advisory", _("Advisory")
    SITE_VISIT = "site_visit", _("Site visit")
    LICENCE_APPLICATION = "licence_application", _("Licence application")
    LICENCE_GRANTED = "licence_granted", _("Licence granted")
    OPERATING = "operating", _("Operating")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    STALLED = "stalled", _("Stalled")


# A relocation case's stages that it moves through in order (the others end or pause it).
RELOCATION_SEQUENCE = tuple(stage for stage in RelocationStage if stage not in STAGES_NEEDING_REASON)
# Every stage of every track, for the stage columns: a deal's, then a case's own.
ALL_STAGES = [
    *DealStage.choices,
    *((value, label) for value, label in RelocationStage.choices if value not in DealStage.values),
]


def track_stages(track: str) -> list[tuple[str, str]]:
    """The stages of `track`, in order, as (code, label)."""
    stages = RelocationStage.choices if track == DealTrack.RELOCATION else DealStage.choices
    return [(value, str(label)) for value, label in stages]


class DealSubject(models.TextChoices):
    LICENCE = "licence", _("Technology licence")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    INVESTMENT = "investment", _("Investment")
    RELOCATION = "relocation", _("Relocation")
    DATA_CENTER = "data_center", _("Data-center project")
    JOINT_RESEARCH = "joint_research", _("Joint research and development")
    SERVICE = "service", _("Service contract")
    OTHER = "other", _("Other")


class DealOrigin(models.TextChoices):
    """What a deal started from."""

    INTEREST = "interest", _("An accepted expression of interest")
    MEETING = "meeting", _('A meeting rated "cooperation possible"')
    PROPOSAL = "proposal", _("A proposal")
    MANUAL = "manual", _("Entered by hand")
    RELOCATION = "relocation", _("A relocation request taken up by a zone")


class DealPartyRole(models.TextChoices):
    INITIATOR = "initiator", _("Initiator")
    PARTNER = "partner", _("Partner")
    AUTHORITY = "authority", _("Authority")
    INVESTOR = "investor", _("Investor")


class DealEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    STAGE_CHANGED = "stage_changed", _("Stage changed")
    EDITED = "edited", _("Details changed")
    PARTY_ADDED = "party_added", _("Organisation added")
    PARTY_REMOVED = "party_removed", _("Organisation removed")
    NEXT_STEP_SET = "next_step_set", _("Next step set")
    REMINDED = "reminded", _("Reminder sent")
    DOCUMENT_ADDED = "document_added", _("Document added")
    DOCUMENT_REMOVED = "document_removed", _("Document removed")


class CallVisibility(models.TextChoices):
    PUBLIC = "public", _("Public: every organisation may submit")
    INVITATION = "invitation", _("By invitation only")


class CallStatus(models.TextChoices):
    """A call's own state; whether its deadline has passed is read from the clock, not stored."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")
    DECIDED = "decided", _("Decided")


class EvaluationMethod(models.TextChoices):
    """How proposals to a call are evaluated (PPRA Consultancy Regulations: quality-based selection, or
    quality-and-cost-based selection with separate technical and financial envelopes)."""

    QUALITY = "quality", _("Quality-based: one envelope, rubric scores only")
    QUALITY_AND_COST = "quality_and_cost", _("Quality-and-cost-based: technical envelope first, then financial")


class OpeningKind(models.TextChoices):
    TECHNICAL = "technical", _("Opening of proposals (technical envelopes)")
    FINANCIAL = "financial", _("Opening of financial envelopes")


class CallEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Details changed")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")
    INVITED = "invited", _("Organisation invited")
    CLARIFICATION_ASKED = "clarification_asked", _("Question asked")
    CLARIFICATION_ANSWERED = "clarification_answered", _("Question answered and published")
    OPENED = "opened", _("Proposals opened")
    FINANCIAL_OPENED = "financial_opened", _("Financial envelopes opened")
    REPORT_PUBLISHED = "report_published", _("Evaluation report published")
    GRIEVANCE_FILED = "grievance_filed", _("Grievance filed")
    GRIEVANCE_ANSWERED = "grievance_answered", _("Grievance answered")
    DECIDED = "decided", _("Decision took effect")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    APPROVED = "approved", _("Approved")
    REVISE = "revise", _("Revise and resubmit")
    DECLINED = "declined", _("Declined")


class Decision(models.TextChoices):
    """The chair's decision on a proposal."""

    APPROVE = "approve", _("Approve")
    REVISE = "revise", _("Revise and resubmit")
    DECLINE = "decline", _("Decline")


class Envelope(models.TextChoices):
    """Which envelope a proposal's document belongs to (two-envelope calls open the financial one later)."""

    TECHNICAL = "technical", _("Technical")
    FINANCIAL = "financial", _("Financial")


class ProposalEventKind(models.TextChoices):
    CREATED = "created", _("Draft created")
    EDITED = "edited", _("Draft changed")
    DOCUMENT_ADDED = "document_added", _("Document added")
    DOCUMENT_REMOVED = "document_removed", _("Document removed")
    DESIGN_ASSESSED = "design_assessed", _("Data-center design assessed")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REVIEWER_APPOINTED = "reviewer_appointed", _("Reviewer appointed")
    REVIEWER_REMOVED = "reviewer_removed", _("Reviewer removed")
    CONFLICT_DECLARED = "conflict_declared", _("Conflict of interest declared")
    NO_CONFLICT_DECLARED = "no_conflict_declared", _("No conflict of interest declared")
    REVIEW_SAVED = "review_saved", _("Review draft saved")
    REVIEW_SUBMITTED = "review_submitted", _("Review submitted")
    DECIDED = "decided", _("Decision recorded")
    # A call's recorded decision changes the proposal's status only when the call's decision takes
    # effect (after the report's grievance window); this row records that change.
    DECISION_IN_EFFECT = "decision_in_effect", _("Decision took effect")


class ConflictStatus(models.TextChoices):
    """A reviewer's declaration; nothing of the proposal is shown until it is "none"."""

    PENDING = "pending", _("Not declared yet")
    NONE = "none", _("No conflict of interest")
    DECLARED = "declared", _("Conflict of interest declared")


class CounterpartKind(models.TextChoices):
    """Who signs on the other side (Cabinet Division guidelines, Jan 2024: a foreign government or a
    company it controls needs federal Cabinet approval)."""

    FOREIGN_PRIVATE = "foreign_private", _("A foreign private company")
    FOREIGN_GOVERNMENT = "foreign_government", _("A foreign government or state-owned enterprise")
    DOMESTIC = "domestic", _("A domestic party")


class MouStatus(models.TextChoices):
    DRAFTING = "drafting", _("Drafting")
    VETTING = "vetting", _("Routing and vetting")
    READY = "ready", _("Cleared for signature")
    SIGNED = "signed", _("Signed and sealed")


class RouteStepStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CURRENT = "current", _("With this office")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned with a note")


class MouEventKind(models.TextChoices):
    CREATED = "created", _("Drafted")
    SAVED = "saved", _("New version saved")
    COMMENTED = "commented", _("Comment on a clause")
    SENT = "sent", _("Sent on its route")
    STEP_APPROVED = "step_approved", _("Approved by a route step")
    STEP_RETURNED = "step_returned", _("Returned by a route step")
    SIGNATORY_RECORDED = "signatory_recorded", _("Signatory recorded")
    SIGNED = "signed", _("Signed and sealed")
