"""Directory endpoints: organisations (search, filters, create, update, verify), sectors, concepts."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from silkbridge.accounts.api_auth import AUTH_OPTIONAL, AUTH_REQUIRED
from silkbridge.core.api_support import (
    ErrorOut,
    PagePagination,
    SearchPagination,
    auth_user,
    filterset_check,
)
from silkbridge.core.i18n import content_language
from silkbridge.core.schemas import HistoryEntryOut
from silkbridge.core.selectors import history_entries
from silkbridge.directory import selectors, services
from silkbridge.directory.choices import ContentLanguage
from silkbridge.directory.filtersets import OrganisationFilterSet
from silkbridge.directory.models import Concept, HeldRequest, Organisation, OrganisationClaim
from silkbridge.directory.schemas import (
    ClaimDecisionIn,
    ClaimIn,
    ClaimOut,
    ConceptOut,
    HeldRequestOut,
    OrganisationDetailOut,
    OrganisationFilters,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    OrganisationReadOut,
    SectorTreeOut,
    VerificationIn,
)
from silkbridge.directory.search import RankedResults
from silkbridge.translations.selectors import reading_for

router = Router(tags=["directory"])
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _detail(request: HttpRequest, key: str) -> Organisation:
    try:
        organisation = selectors.organisation_get(viewer=auth_user(request), key=key)
    except Organisation.DoesNotExist as error:
        raise Http404(_("No such organisation.")) from error
    contacts = selectors.contact_list(viewer=auth_user(request), organisation=organisation)
    organisation.visible_contacts = list(contacts)  # type: ignore[attr-defined]
    return organisation


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **ERRORS},
    auth=AUTH_OPTIONAL,
    summary="Search and filter organisations",
)
@paginate(SearchPagination)
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]) -> RankedResults:
    """The same search as the directory page: names, descriptions and technologies in English,
    Chinese and Urdu. Private organisations appear only to their members and staff. The count stops
    at 1,000 (`count_is_capped` is then true)."""
    data = filters.dict()
    data["country"] = data["country"].upper()
    data["verified"] = {True: "yes", False: "no"}.get(data["verified"], "")
    filterset = OrganisationFilterSet(data, queryset=selectors.organisations_visible(viewer=auth_user(request)))
    filterset_check(filterset)
    return filterset.results()


@router.get(
    "/organisations/{key}",
    response={200: OrganisationReadOut, **ERRORS},
    auth=AUTH_OPTIONAL,
    summary="One organisation, with its description translated into the reader's language where a translation exists",
)
def organisation_detail(request: HttpRequest, key: str, lang: ContentLanguage | None = None) -> Organisation:
    organisation = _detail(request, key)
    # The organisation came through its selector: its translations are as visible as it is.
    reading = reading_for(obj=organisation, reader_language=lang or content_language())
    organisation.translation = None  # type: ignore[attr-defined]
    if reading.needs_translation:
        organisation.translation = {  # type: ignore[attr-defined]
            "language": reading.reader_language,
            **{
                name: {"text": shown.text, "source": shown.source, "backend": shown.backend}
                for name, shown in reading.translations.items()
            },
        }
    return organisation


@router.post(
    "/organisations",
    response={201: OrganisationDetailOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Create an organisation (you become its owner)",
)
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Status:
    fields = payload.dict(exclude={"sectors", "technologies"})
    fields["size_band"] = fields["size_band"] or ""
    organisation = services.organisation_create(
        actor=auth_user(request),
        fields=fields,
        sector_codes=payload.sectors,
        concept_terms=payload.technologies,
    )
    return Status(201, _detail(request, organisation.key))


@router.patch(
    "/organisations/{key}",
    response={200: OrganisationDetailOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Change an organisation (owners and staff)",
)
def organisation_update(request: HttpRequest, key: str, payload: OrganisationPatch) -> Organisation:
    organisation = _detail(request, key)
    changes: dict[str, Any] = payload.dict(exclude_unset=True)
    sectors = changes.pop("sectors", None)
    technologies = changes.pop("technologies", None)
    translations = changes.pop("translations", None)
    if "size_band" in changes and changes["size_band"] is None:
        changes["size_band"] = ""
    services.organisation_update(
        actor=auth_user(request),
        organisation=organisation,
        fields=changes,
        sector_codes=sectors,
        concept_terms=technologies,
        translations=translations,
    )
    return _detail(request, key)


@router.post(
    "/organisations/{key}/verification",
    response={200: OrganisationDetailOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Verify an organisation or withdraw verification (staff)",
)
def organisation_verify(request: HttpRequest, key: str, payload: VerificationIn) -> Organisation:
    organisation = _detail(request, key)
    services.organisation_verify(
        actor=auth_user(request),
        organisation=organisation,
        is_verified=payload.verified,
    )
    return _detail(request, key)


@router.get(
    "/organisations/{key}/history",
    response={200: list[HistoryEntryOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="An organisation's history: created, changed, verified (owners and staff)",
)
@paginate(PagePagination)
def organisation_history(request: HttpRequest, key: str) -> list[dict[str, Any]]:
    """Newest first, as the organisation's page shows it; the authors' e-mail addresses to staff only.
    403 for anyone else who may see the organisation, 404 for those who may not."""
    user = auth_user(request)
    rows = selectors.organisation_history(viewer=user, organisation=_detail(request, key))
    return history_entries(viewer=user, rows=rows)


@router.get("/sectors", response=list[SectorTreeOut], auth=AUTH_OPTIONAL, summary="The sector taxonomy")
def sector_list(request: HttpRequest) -> list[Any]:
    return selectors.sector_tree()


@router.get(
    "/concepts",
    response={200: list[ConceptOut], **ERRORS},
    auth=AUTH_OPTIONAL,
    summary="The technology concept glossary",
)
@paginate(PagePagination)
def concept_list(request: HttpRequest, q: str = "", sector: str = "") -> QuerySet[Concept]:
    return selectors.concept_list(query=q[:200], sector=sector[:40])


@router.get("/concepts/{code}", response={200: ConceptOut, **ERRORS}, auth=AUTH_OPTIONAL, summary="One concept")
def concept_detail(request: HttpRequest, code: str) -> Concept:
    concept = Concept.objects.select_related("sector").filter(code=code).first()
    if concept is None:
        raise Http404(_("No such concept."))
    return concept


# --- claims of organisations (join or take over), and staff's queue of requests nobody could read ---


def _claim(request: HttpRequest, pk: int) -> OrganisationClaim:
    try:
        return selectors.claim_get(viewer=auth_user(request), pk=pk)
    except OrganisationClaim.DoesNotExist as error:
        raise Http404(_("No such request.")) from error


@router.post(
    "/organisations/{key}/claims",
    response={201: ClaimOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Ask to join or claim an organisation",
)
def organisation_claim(request: HttpRequest, key: str, payload: ClaimIn) -> Status:
    """Approved at once (`status` approved, `proof` email_domain) when your confirmed e-mail address is at the
    organisation's website domain (public mail providers never count); otherwise pending until the
    organisation's owners, or staff where it has none, decide. 422 when you are a member already or have
    an open request."""
    organisation = _detail(request, key)
    claim = services.organisation_claim(actor=auth_user(request), organisation=organisation, message=payload.message)
    return Status(201, _claim(request, claim.pk))


@router.get("/claims", response={200: list[ClaimOut], **ERRORS}, auth=AUTH_REQUIRED, summary="Your requests to join")
@paginate(PagePagination)
def claim_list(request: HttpRequest) -> QuerySet[OrganisationClaim]:
    return selectors.claims_of(user=auth_user(request))


@router.get(
    "/claims/to-decide",
    response={200: list[ClaimOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Open requests to join that you decide (staff; owners for their organisations)",
)
@paginate(PagePagination)
def claim_to_decide_list(request: HttpRequest) -> QuerySet[OrganisationClaim]:
    return selectors.claims_to_decide(viewer=auth_user(request))


@router.get("/claims/{pk}", response={200: ClaimOut, **ERRORS}, auth=AUTH_REQUIRED, summary="One request to join")
def claim_detail(request: HttpRequest, pk: int) -> OrganisationClaim:
    """For its author and whoever decides it; 404 for anyone else."""
    return _claim(request, pk)


@router.post(
    "/claims/{pk}/decision",
    response={200: ClaimOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Approve or reject a request to join (staff; the organisation's owners)",
)
def claim_decide(request: HttpRequest, pk: int, payload: ClaimDecisionIn) -> OrganisationClaim:
    claim = services.organisation_claim_decide(
        actor=auth_user(request), claim=_claim(request, pk), approve=payload.approve, reason=payload.reason
    )
    return _claim(request, claim.pk)


@router.get(
    "/held-requests",
    response={200: list[HeldRequestOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Requests to organisations without members, newest first (staff)",
)
@paginate(PagePagination)
def held_request_list(request: HttpRequest) -> QuerySet[HeldRequest]:
    return selectors.held_requests(viewer=auth_user(request))
