"""The deals app's models, one module per part of the story: the pipeline of deals, calls for
proposals, proposals, committee reviews, and MoUs with their route and signatures."""

from silkbridge.deals.models.calls import Call, CallEvent, Clarification, Criterion, Grievance, Opening
from silkbridge.deals.models.mou import (
    ApprovalRoute,
    ApprovalRouteStep,
    ClauseComment,
    ClauseTemplate,
    Mou,
    MouClause,
    MouEvent,
    MouRouteStep,
    MouVersion,
    Signatory,
)
from silkbridge.deals.models.pipeline import Deal, DealDocument, DealEvent, DealParty
from silkbridge.deals.models.proposals import Proposal, ProposalDocument, ProposalEvent, ProposalVersion
from silkbridge.deals.models.reviews import ReviewAssignment, ReviewScore

__all__ = [
    "ApprovalRoute",
    "ApprovalRouteStep",
    "Call",
    "CallEvent",
    "Clarification",
    "ClauseComment",
    "ClauseTemplate",
    "Criterion",
    "Deal",
    "DealDocument",
    "DealEvent",
    "DealParty",
    "Grievance",
    "Mou",
    "MouClause",
    "MouEvent",
    "MouRouteStep",
    "MouVersion",
    "Opening",
    "Proposal",
    "ProposalDocument",
    "ProposalEvent",
    "ProposalVersion",
    "ReviewAssignment",
    "ReviewScore",
    "Signatory",
]
