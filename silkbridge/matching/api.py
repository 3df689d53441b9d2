"""Matching endpoints: a profile's matches (its organisation and staff), the caller's matches (staff:
all, with filters), and feedback (the currency rates are the money app's). The other profile of every match is
re-checked against the visibility rules on each read."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from silkbridge.accounts.api_auth import AUTH_OPTIONAL, AUTH_REQUIRED
from silkbridge.core.api_support import ErrorOut, PagePagination, auth_user, filterset_qs
from silkbridge.core.i18n import content_language
from silkbridge.marketplace.models import Opportunity
from silkbridge.matching import selectors, services
from silkbridge.matching.filtersets import MatchFilterSet
from silkbridge.matching.schemas import (
    FeedbackIn,
    FeedbackOut,
    GlossarySuggestionQuery,
    GlossarySuggestionsOut,
    LanguageQuery,
    MatchFilters,
    MatchOut,
)

router = Router(tags=["matching"])
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _out(matches: Any, language: str) -> list[dict[str, Any]]:
    labels = selectors.glossary()
    rows = []
    for match in matches:
        shown, more = selectors.shown_reasons(match.reasons, language, labels=labels)
        rows.append(
            {
                "id": match.pk,
                "profile": match.opportunity_id,
                "other": match.other,
                "score": match.score,
                "rank": match.rank,
                "reasons": shown,
                "more_reasons": more,
                "reason_codes": match.reasons,
                "features": match.features,
                "first_found": match.first_seen_at,
            }
        )
    return rows


def _language(requested: str | None) -> str:
    return requested or content_language(get_language())


@router.get(
    "/opportunities/{pk}/matches",
    response={200: list[MatchOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="A profile's best matches with reasons (its organisation and staff)",
)
def profile_matches(request: HttpRequest, pk: int, query: Query[LanguageQuery]) -> Any:
    user = auth_user(request)
    try:
        opportunity = selectors.profile_for_matches(viewer=user, pk=pk)
    except Opportunity.DoesNotExist as error:
        raise Http404(_("No such profile.")) from error
    return _out(selectors.matches_for(viewer=user, opportunity=opportunity), _language(query.language))


@router.get(
    "/matches",
    response={200: list[MatchOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="The matches of your organisations' live profiles, best first (staff: every match); with filters",
)
@paginate(PagePagination)
def match_list(request: HttpRequest, filters: Query[MatchFilters]) -> Any:
    user = auth_user(request)
    data = filters.dict(exclude={"language"}, exclude_none=True)
    if "country" in data:
        data["country"] = data["country"].upper()
    visible = selectors.matches_visible(viewer=user)
    return _LazyOut(filterset_qs(MatchFilterSet(data, queryset=visible)), _language(filters.language))


class _LazyOut:
    """A queryset whose page is turned into MatchOut rows only after pagination slices it."""

    def __init__(self, matches: Any, language: str):
        self.matches, self.language = matches, language

    def count(self) -> int:
        return int(self.matches.count())

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return _out(self.matches[window], self.language)


@router.post(
    "/matches/{match_id}/feedback",
    response={200: FeedbackOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Mark a match of your profile useful or not (used to refit the weights)",
)
def match_feedback(request: HttpRequest, match_id: int, payload: FeedbackIn) -> Any:
    user = auth_user(request)
    match = selectors.match_to_judge(viewer=user, match_id=match_id)
    if match is None:
        raise Http404(_("No such match."))
    feedback = services.feedback_give(actor=user, match=match, useful=payload.useful)
    return {"match": match.pk, "useful": feedback.useful}


@router.get(
    "/glossary/suggestions",
    response={200: GlossarySuggestionsOut, **ERRORS},
    auth=AUTH_OPTIONAL,
    url_name="glossary_suggestions",
    summary="Type-ahead over the technology glossary in English, Chinese and Urdu, synonyms included",
)
def glossary_suggestions(request: HttpRequest, query: Query[GlossarySuggestionQuery]) -> Any:
    return selectors.glossary_suggestions(text=query.q, language=_language(query.language), limit=query.limit)
