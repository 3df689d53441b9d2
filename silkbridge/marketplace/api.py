"""Marketplace endpoints: profiles (browse, publish, edit, review, close, renew) and expressions of
interest. A profile the caller may not see answers 404, as if it did not exist."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from silkbridge.accounts.api_auth import AUTH_OPTIONAL, AUTH_REQUIRED
from silkbridge.core.api_support import ErrorOut, PagePagination, auth_user, filterset_qs
from silkbridge.core.i18n import content_language
from silkbridge.core.schemas import HistoryEntryOut
from silkbridge.core.selectors import history_entries
from silkbridge.directory.choices import ContentLanguage
from silkbridge.directory.models import Organisation
from silkbridge.marketplace import selectors, services
from silkbridge.marketplace.filtersets import InterestFilterSet, OpportunityFilterSet
from silkbridge.marketplace.models import ExpressionOfInterest, Opportunity
from silkbridge.marketplace.schemas import (
    AnswerIn,
    InterestFilters,
    InterestIn,
    InterestOut,
    OpportunityDetailOut,
    OpportunityFields,
    OpportunityFilters,
    OpportunityIn,
    OpportunityOut,
    ReviewIn,
    ReviewOut,
)
from silkbridge.translations.selectors import reading_for

router = Router(tags=["marketplace"])
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _opportunity(request: HttpRequest, pk: int) -> Opportunity:
    try:
        return selectors.opportunity_get(viewer=auth_user(request), pk=pk)
    except Opportunity.DoesNotExist as error:
        raise Http404(_("No such profile.")) from error


def _managed(request: HttpRequest, pk: int) -> Opportunity:
    opportunity = _opportunity(request, pk)
    if not selectors.can_manage(user=auth_user(request), opportunity=opportunity):
        raise Http404(_("No such profile."))
    return opportunity


def _own_organisation(request: HttpRequest, key: str) -> Organisation:
    organisations = selectors.organisations_acting_for(actor=auth_user(request))
    try:
        return organisations.get(key=key)
    except Organisation.DoesNotExist as error:
        raise ValidationError({"organisation": _("You are not a member of an organisation with this key.")}) from error


def _fresh(pk: int) -> Opportunity:
    return Opportunity.objects.select_related("organisation").prefetch_related("sectors", "concepts").get(pk=pk)


@router.get(
    "/opportunities",
    response={200: list[OpportunityOut], **ERRORS},
    auth=AUTH_OPTIONAL,
    summary="Published profiles the caller may see",
)
@paginate(PagePagination)
def opportunity_list(request: HttpRequest, filters: Query[OpportunityFilters]) -> QuerySet[Opportunity]:
    data = filters.dict(exclude_none=True)
    data["country"] = data.get("country", "").upper()
    filterset = OpportunityFilterSet(data, queryset=selectors.opportunities_browse(auth_user(request)))
    return filterset_qs(filterset).prefetch_related("sectors", "concepts")


@router.get(
    "/opportunities/mine",
    response={200: list[OpportunityOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Every profile of the caller's organisations, whatever its status",
)
@paginate(PagePagination)
def opportunity_mine(request: HttpRequest) -> QuerySet[Opportunity]:
    return selectors.opportunities_of_user(user=auth_user(request)).prefetch_related("sectors", "concepts")


@router.post(
    "/opportunities",
    response={201: OpportunityOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Create a profile (a draft, or sent for review with submit=true)",
)
def opportunity_create(request: HttpRequest, payload: OpportunityIn) -> Status:
    fields = payload.dict(exclude_unset=True, exclude={"organisation", "submit"})
    opportunity = services.opportunity_create(
        actor=auth_user(request),
        organisation=_own_organisation(request, payload.organisation),
        fields=fields,
        submit=payload.submit,
    )
    return Status(201, _fresh(opportunity.pk))


@router.get(
    "/opportunities/{pk}",
    response={200: OpportunityDetailOut, **ERRORS},
    auth=AUTH_OPTIONAL,
    summary="One profile, with its free text translated into the reader's language where a translation exists",
)
def opportunity_detail(request: HttpRequest, pk: int, lang: ContentLanguage | None = None) -> Opportunity:
    opportunity = _fresh(_opportunity(request, pk).pk)
    # The profile came through its selector: its translations are as visible as it is.
    reading = reading_for(obj=opportunity, reader_language=lang or content_language())
    opportunity.translation = None  # type: ignore[attr-defined]
    if reading.needs_translation:
        opportunity.translation = {  # type: ignore[attr-defined]
            "language": reading.reader_language,
            **{
                name: {"text": shown.text, "source": shown.source, "backend": shown.backend}
                for name, shown in reading.translations.items()
            },
        }
    return opportunity


@router.patch(
    "/opportunities/{pk}",
    response={200: OpportunityOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Edit a profile (an owner's edit of a published profile goes back to review)",
)
def opportunity_update(request: HttpRequest, pk: int, payload: OpportunityFields) -> Opportunity:
    opportunity = _managed(request, pk)
    services.opportunity_update(
        actor=auth_user(request), opportunity=opportunity, fields=payload.dict(exclude_unset=True)
    )
    return _fresh(pk)


@router.post(
    "/opportunities/{pk}/review",
    response={201: ReviewOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Staff: approve (publish), request changes, or comment",
)
def opportunity_review(request: HttpRequest, pk: int, payload: ReviewIn) -> Status:
    try:
        opportunity = selectors.opportunity_for_review(viewer=auth_user(request), pk=pk)
    except Opportunity.DoesNotExist as error:
        raise Http404(_("No such profile.")) from error
    review = services.opportunity_review(
        actor=auth_user(request),
        opportunity=opportunity,
        decision=payload.decision,
        comment=payload.comment,
    )
    return Status(201, review)


@router.get(
    "/opportunities/{pk}/reviews",
    response={200: list[ReviewOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Staff review comments on a profile (its organisation and staff)",
)
def opportunity_reviews(request: HttpRequest, pk: int) -> Any:
    return list(_managed(request, pk).review_comments.all())


@router.get(
    "/opportunities/{pk}/history",
    response={200: list[HistoryEntryOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="A profile's history: created, sent for review, published, edited, closed (its organisation and staff)",
)
@paginate(PagePagination)
def opportunity_history(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """Newest first, as the profile's page shows it to its organisation; the authors' e-mail addresses
    to staff only. Anyone else gets 404, as for the review comments."""
    user = auth_user(request)
    return history_entries(
        viewer=user, rows=selectors.opportunity_history(viewer=user, opportunity=_managed(request, pk))
    )


@router.post(
    "/opportunities/{pk}/interests",
    response={201: InterestOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Express interest in a profile on behalf of one of your organisations",
)
def interest_create(request: HttpRequest, pk: int, payload: InterestIn) -> Status:
    interest = services.interest_express(
        actor=auth_user(request),
        organisation=_own_organisation(request, payload.organisation),
        opportunity=_opportunity(request, pk),
        message=payload.message,
        translations=payload.dict(include={"translations"})["translations"],
    )
    return Status(201, _interest(request, interest.pk))


def _interest(request: HttpRequest, pk: int) -> ExpressionOfInterest:
    try:
        return selectors.interest_get(viewer=auth_user(request), pk=pk)
    except ExpressionOfInterest.DoesNotExist as error:
        raise Http404(_("No such expression of interest.")) from error


@router.get(
    "/interests",
    response={200: list[InterestOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Expressions of interest your organisations received (or sent, with direction=sent)",
)
@paginate(PagePagination)
def interest_list(request: HttpRequest, filters: Query[InterestFilters]) -> QuerySet[ExpressionOfInterest]:
    filterset = InterestFilterSet(
        filters.dict(exclude_none=True), queryset=selectors.interests_of_user(user=auth_user(request))
    )
    return filterset_qs(filterset)


@router.get(
    "/interests/{pk}", response={200: InterestOut, **ERRORS}, auth=AUTH_REQUIRED, summary="One expression of interest"
)
def interest_detail(request: HttpRequest, pk: int) -> ExpressionOfInterest:
    return _interest(request, pk)


@router.post(
    "/interests/{pk}/answer",
    response={200: InterestOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Accept (reveals both sides' contacts) or decline with a reason",
)
def interest_answer(request: HttpRequest, pk: int, payload: AnswerIn) -> ExpressionOfInterest:
    services.interest_answer(
        actor=auth_user(request),
        interest=_interest(request, pk),
        accept=payload.accept,
        reason=payload.reason or "",
        note=payload.note,
    )
    return _interest(request, pk)


@router.post(
    "/interests/{pk}/withdraw",
    response={200: InterestOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Withdraw an unanswered expression of interest you sent",
)
def interest_withdraw(request: HttpRequest, pk: int) -> ExpressionOfInterest:
    services.interest_withdraw(actor=auth_user(request), interest=_interest(request, pk))
    return _interest(request, pk)


def _action(request: HttpRequest, pk: int, function: Any) -> Opportunity:
    function(actor=auth_user(request), opportunity=_managed(request, pk))
    return _fresh(pk)


@router.post(
    "/opportunities/{pk}/submit",
    response={200: OpportunityOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Send a draft for review",
)
def opportunity_submit(request: HttpRequest, pk: int) -> Opportunity:
    return _action(request, pk, services.opportunity_submit)


@router.post(
    "/opportunities/{pk}/close",
    response={200: OpportunityOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Close a profile (no longer shown to others)",
)
def opportunity_close(request: HttpRequest, pk: int) -> Opportunity:
    return _action(request, pk, services.opportunity_close)


@router.post(
    "/opportunities/{pk}/renew",
    response={200: OpportunityOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Renew a published or expired profile for another year",
)
def opportunity_renew(request: HttpRequest, pk: int) -> Opportunity:
    return _action(request, pk, services.opportunity_renew)


@router.delete(
    "/opportunities/{pk}",
    response={204: None, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Delete a draft that was never published (close a published profile instead)",
)
def opportunity_draft_delete(request: HttpRequest, pk: int) -> tuple[int, None]:
    services.opportunity_draft_delete(actor=auth_user(request), opportunity=_managed(request, pk))
    return 204, None
