"""The deals API: calls for proposals, their clarifications, openings, evaluation report, grievances and
decision. A call the caller may not see answers 404, as if it did not exist; every rule is the
service's (services.calls) or the selector's (selectors.calls)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from silkbridge.accounts.api_auth import AUTH_OPTIONAL, AUTH_REQUIRED
from silkbridge.core.api_support import ErrorOut, PagePagination, auth_user
from silkbridge.deals.models import Call, Clarification, Grievance, Opening
from silkbridge.deals.schemas.calls import (
    CallAnswerIn,
    CallCancelIn,
    CallFields,
    CallFilters,
    CallGrievanceIn,
    CallGrievanceOut,
    CallIn,
    CallOpeningIn,
    CallOpeningOut,
    CallOut,
    CallReportIn,
    CallReportOut,
    ClarificationIn,
    ClarificationOut,
)
from silkbridge.deals.selectors import calls as selectors
from silkbridge.deals.services import calls as services
from silkbridge.directory.models import Organisation
from silkbridge.directory.selectors import organisations_visible, user_organisations

router = Router(tags=["deals"])
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _call(request: HttpRequest, slug: str) -> Call:
    try:
        return selectors.call_get(viewer=auth_user(request), slug=slug)
    except Call.DoesNotExist as error:
        raise Http404(_("No such call for proposals.")) from error


def _out(request: HttpRequest, call: Call) -> Call:
    """The call as the caller sees it: the count of submissions only for those who may read the opening
    record, and only after the deadline (selectors.submissions_count)."""
    call = Call.objects.select_related("issuer", "sector").prefetch_related("criteria").get(pk=call.pk)
    viewer = auth_user(request)
    call.submissions = (  # type: ignore[attr-defined]
        selectors.submissions_count(call=call) if selectors.may_read_record(viewer=viewer, call=call) else None
    )
    return call


def _organisation(queryset: QuerySet[Organisation], key: str, field: str) -> Organisation:
    try:
        return queryset.get(key=key)
    except Organisation.DoesNotExist as error:
        raise ValidationError({field: _("You cannot act for an organisation with this key here.")}) from error


def _invited(request: HttpRequest, keys: list[str] | None) -> list[Organisation] | None:
    if keys is None:
        return None
    found = {
        organisation.key: organisation
        for organisation in organisations_visible(viewer=auth_user(request)).filter(key__in=keys)
    }
    missing = [key for key in keys if key not in found]
    if missing:
        raise ValidationError({"invited": _("No organisation with the key: %(keys)s.") % {"keys": ", ".join(missing)}})
    return [found[key] for key in dict.fromkeys(keys)]


def _rubric(criteria: list[Any] | None) -> list[dict[str, Any]] | None:
    return None if criteria is None else [criterion.dict() for criterion in criteria]


@router.get(
    "/deals/calls",
    response={200: list[CallOut], **ERRORS},
    auth=AUTH_OPTIONAL,
    summary="Calls for proposals the caller may see (state=open|closed, sector, issuer)",
)
@paginate(PagePagination)
def call_list(request: HttpRequest, filters: Query[CallFilters]) -> QuerySet[Call]:
    calls = selectors.calls_visible(viewer=auth_user(request))
    return selectors.calls_filtered(calls, **filters.dict(exclude_none=True)).prefetch_related("criteria")


@router.post(
    "/deals/calls",
    response={201: CallOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Create a draft call (staff of a government body or zone developer)",
)
def call_create(request: HttpRequest, payload: CallIn) -> Status:
    actor = auth_user(request)
    issuer = _organisation(selectors.issuers_for(actor=actor), payload.issuer, "issuer")
    fields = payload.dict(exclude_unset=True, exclude={"issuer", "criteria", "invited"})
    fields.setdefault("time_zone", payload.time_zone)
    call = services.call_create(
        actor=actor,
        issuer=issuer,
        fields=fields,
        criteria=_rubric(payload.criteria) or [],
        invited=_invited(request, payload.invited) or [],
    )
    return Status(201, _out(request, call))


@router.get("/deals/calls/{slug}", response={200: CallOut, **ERRORS}, auth=AUTH_OPTIONAL, summary="One call")
def call_detail(request: HttpRequest, slug: str) -> Call:
    return _out(request, _call(request, slug))


@router.patch(
    "/deals/calls/{slug}",
    response={200: CallOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Edit a call (staff of the calling body; a published call only before its deadline)",
)
def call_update(request: HttpRequest, slug: str, payload: CallFields) -> Call:
    call = services.call_update(
        actor=auth_user(request),
        call=_call(request, slug),
        fields=payload.dict(exclude_unset=True, exclude={"criteria", "invited"}),
        criteria=_rubric(payload.criteria),
        invited=_invited(request, payload.invited),
    )
    return _out(request, call)


@router.post(
    "/deals/calls/{slug}/publish",
    response={200: CallOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Publish a draft call (it needs a rubric and a deadline ahead)",
)
def call_publish(request: HttpRequest, slug: str) -> Call:
    return _out(request, services.call_publish(actor=auth_user(request), call=_call(request, slug)))


@router.post(
    "/deals/calls/{slug}/cancel",
    response={200: CallOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Cancel a call, with the reason",
)
def call_cancel(request: HttpRequest, slug: str, payload: CallCancelIn) -> Call:
    call = services.call_cancel(actor=auth_user(request), call=_call(request, slug), reason=payload.reason)
    return _out(request, call)


@router.get(
    "/deals/calls/{slug}/clarifications",
    response={200: list[ClarificationOut], **ERRORS},
    auth=AUTH_OPTIONAL,
    summary="Questions and published answers (for those who may submit; the asker is not named)",
)
def clarification_list(request: HttpRequest, slug: str) -> QuerySet[Clarification]:
    call = _call(request, slug)
    return selectors.clarifications_visible(viewer=auth_user(request), call=call)


@router.post(
    "/deals/calls/{slug}/clarifications",
    response={201: ClarificationOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Ask a question about a call (an organisation that may submit, until the deadline)",
)
def clarification_ask(request: HttpRequest, slug: str, payload: ClarificationIn) -> Status:
    actor = auth_user(request)
    call = _call(request, slug)
    organisation = _organisation(user_organisations(user=actor), payload.organisation, "organisation")
    clarification = services.clarification_ask(
        actor=actor, call=call, organisation=organisation, question=payload.question
    )
    return Status(201, clarification)


@router.post(
    "/deals/calls/{slug}/clarifications/{clarification_id}/answer",
    response={200: ClarificationOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Answer a question and publish it (staff of the calling body)",
)
def clarification_answer(
    request: HttpRequest, slug: str, clarification_id: int, payload: CallAnswerIn
) -> Clarification:
    actor = auth_user(request)
    call = _call(request, slug)
    try:
        clarification = selectors.clarifications_visible(viewer=actor, call=call).get(pk=clarification_id)
    except (Clarification.DoesNotExist, OverflowError) as error:
        raise Http404(_("No such question.")) from error
    return services.clarification_answer(actor=actor, clarification=clarification, answer=payload.answer)


@router.get(
    "/deals/calls/{slug}/openings",
    response={200: list[CallOpeningOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="The opening records (submitters and staff of the calling body; empty for others)",
)
def opening_list(request: HttpRequest, slug: str) -> QuerySet[Opening]:
    call = _call(request, slug)
    return selectors.openings_visible(viewer=auth_user(request), call=call)


@router.post(
    "/deals/calls/{slug}/opening",
    response={201: CallOpeningOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Open the proposals after the deadline (staff of the calling body)",
)
def call_open(request: HttpRequest, slug: str, payload: CallOpeningIn) -> Status:
    opening = services.call_open(actor=auth_user(request), call=_call(request, slug), attendees=payload.attendees)
    return Status(201, opening)


@router.post(
    "/deals/calls/{slug}/financial-opening",
    response={201: CallOpeningOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Open the financial envelopes of those above the pass mark (quality-and-cost-based calls)",
)
def call_open_financial(request: HttpRequest, slug: str, payload: CallOpeningIn) -> Status:
    opening = services.call_open_financial(
        actor=auth_user(request), call=_call(request, slug), attendees=payload.attendees
    )
    return Status(201, opening)


def _report(call: Call, report: dict[str, Any]) -> dict[str, Any]:
    return {**report, "published_at": call.report_published_at, "grievances_until": call.grievances_until}


@router.get(
    "/deals/calls/{slug}/report",
    response={200: CallReportOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="The evaluation report (submitters and staff of the calling body, once published)",
)
def report_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    call = _call(request, slug)
    report = selectors.report_visible(viewer=auth_user(request), call=call)
    if report is None:
        raise Http404(_("No evaluation report is published for you here."))
    return _report(call, report)


@router.post(
    "/deals/calls/{slug}/report",
    response={201: CallReportOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Publish the evaluation report, opening the grievance window (staff of the calling body)",
)
def report_publish(request: HttpRequest, slug: str, payload: CallReportIn) -> Status:
    call = services.report_publish(
        actor=auth_user(request), call=_call(request, slug), grievance_days=payload.grievance_days
    )
    return Status(201, _report(call, call.report or {}))


@router.get(
    "/deals/calls/{slug}/grievances",
    response={200: list[CallGrievanceOut], **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Grievances: the caller's organisations' own (staff of the calling body: all)",
)
def grievance_list(request: HttpRequest, slug: str) -> QuerySet[Grievance]:
    return selectors.grievances_visible(viewer=auth_user(request), call=_call(request, slug))


@router.post(
    "/deals/calls/{slug}/grievances",
    response={201: CallGrievanceOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="File a grievance about the evaluation report (a submitter, within the window)",
)
def grievance_file(request: HttpRequest, slug: str, payload: CallGrievanceIn) -> Status:
    actor = auth_user(request)
    call = _call(request, slug)
    organisation = _organisation(user_organisations(user=actor), payload.organisation, "organisation")
    grievance = services.grievance_file(actor=actor, call=call, organisation=organisation, text=payload.text)
    return Status(201, grievance)


@router.post(
    "/deals/calls/{slug}/grievances/{grievance_id}/answer",
    response={200: CallGrievanceOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Answer a grievance (staff of the calling body; the answer is recorded)",
)
def grievance_answer(request: HttpRequest, slug: str, grievance_id: int, payload: CallAnswerIn) -> Grievance:
    actor = auth_user(request)
    call = _call(request, slug)
    try:
        grievance = selectors.grievances_visible(viewer=actor, call=call).get(pk=grievance_id)
    except (Grievance.DoesNotExist, OverflowError) as error:
        raise Http404(_("No such grievance.")) from error
    return services.grievance_answer(actor=actor, grievance=grievance, answer=payload.answer)


@router.post(
    "/deals/calls/{slug}/decision",
    response={200: CallOut, **ERRORS},
    auth=AUTH_REQUIRED,
    summary="Let the decision take effect (after the grievance window, every grievance answered)",
)
def call_decide(request: HttpRequest, slug: str) -> Call:
    return _out(request, services.call_decide(actor=auth_user(request), call=_call(request, slug)))
