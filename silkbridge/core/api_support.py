"""Shared pieces of the REST API: pagination and the error format (authentication is accounts.api_auth).

Errors always have the shape {"code": "...", "message": "...", "errors": [{"field", "message"}]},
with 401, 403, 404 or 422 as appropriate; nothing a client sends makes the API answer with a 500
page or a stack trace.
"""

import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase

from silkbridge.core.budgets import BudgetExceeded
from silkbridge.core.inputs import request_problem

logger = logging.getLogger(__name__)


def auth_user(request: HttpRequest) -> Any:
    """The user that the endpoint's authentication resolved (anonymous on public endpoints)."""
    return getattr(request, "auth", None)


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[ErrorItem] = []


class PageInput(Schema):
    page: int = Field(1, ge=1, le=100_000, description="Page number, from 1.")
    page_size: int = Field(20, ge=1, le=100, description="Items per page, 1–100.")


class PagePagination(PaginationBase):
    """Page-number pagination: {count, page, page_size, pages, items}."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int = Field(20, ge=1, le=100)

    class Output(Schema):
        count: int
        page: int
        page_size: int
        pages: int
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        count = queryset.count() if hasattr(queryset, "count") and not isinstance(queryset, list) else len(queryset)
        start = (pagination.page - 1) * pagination.page_size
        return {
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
            "pages": max(1, math.ceil(count / pagination.page_size)),
            "items": list(queryset[start : start + pagination.page_size]),
        }


class SearchPagination(PagePagination):
    """PagePagination for a search's ranked results (directory.search.RankedResults): the count
    stops at 1,000, and `count_is_capped` says when more match."""

    class Output(Schema):
        count: int = Field(description="Matches, counted up to 1,000.")
        count_is_capped: bool = Field(description="More match than `count` (a list shows “1,000+”).")
        page: int
        page_size: int
        pages: int
        items: list[Any]

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        return {
            **super().paginate_queryset(queryset, pagination, request, **params),
            "count_is_capped": queryset.is_capped,
        }


def document_common_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the answers every operation can give to the OpenAPI document, where a route did not list them.

    They come from the plumbing, not from one handler: any operation with authentication answers 401
    for a wrong or revoked token (even where anonymous callers are welcome, a bad token is never
    treated as anonymous); any operation answers 400 for a request that cannot be read or that holds
    text the database cannot store (a NUL in `?q=`, too many fields); and any operation with a body
    answers 413 when the body is over the size limit.
    """
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            listed = {str(status) for status in responses}  # django-ninja keys them by int
            if operation.get("security") and "401" not in listed:
                responses[401] = {**error, "description": "Unauthorized"}
            if "400" not in listed:
                responses[400] = {**error, "description": "Bad Request"}
            if operation.get("requestBody") and "413" not in listed:
                responses[413] = {**error, "description": "Content Too Large"}
    return schema


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    errors: list[dict[str, str]] | None = None,
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "errors": errors or []}, status=status)


def _location(loc: Any) -> str:
    """Where a schema error points, named as the client wrote it: django-ninja puts the handler's parameter
    after "body" ("body", "payload", "trl"), which is our code's name, not the client's; every operation
    takes its whole body as one schema, so it is dropped and a schema error reads "body.trl" like a
    service's error about the same field."""
    parts = [part for part in loc if part not in ("", None)]
    if len(parts) >= 2 and parts[0] == "body":
        del parts[1]
    return ".".join(str(part) for part in parts)


def _domain_field(name: str) -> str:
    """Where a service's (or FilterSet's) error points: a body field, or a query parameter ("query.sector")."""
    if name == "__all__":
        return "body"
    return name if name.startswith("query.") else f"body.{name}"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [{"field": _location(item.get("loc", [])), "message": str(item.get("msg", ""))} for item in exc.errors]
        return error_response(api, request, 422, "validation_error", _("The request is not valid."), errors)

    @api.exception_handler(DjangoValidationError)
    def domain_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = [
                {"field": _domain_field(name), "message": " ".join(messages)}
                for name, messages in exc.message_dict.items()
            ]
        else:
            errors = [{"field": "body", "message": " ".join(exc.messages)}]
        return error_response(api, request, 422, "validation_error", _("The request is not valid."), errors)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            api,
            request,
            401,
            "not_authenticated",
            _("Sign in, or send a valid API token as “Authorization: Bearer …”."),
        )

    @api.exception_handler(PermissionError)
    def permission_error(request: HttpRequest, exc: PermissionError) -> HttpResponse:
        return error_response(api, request, 403, "permission_denied", str(exc) or _("You may not do this."))

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        # Services raise Django's PermissionDenied (the pages turn it into a 403 page); the API answers JSON.
        return error_response(api, request, 403, "permission_denied", str(exc) or _("You may not do this."))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", str(exc) or _("Not found."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        codes = {
            400: "bad_request",
            401: "not_authenticated",
            403: "permission_denied",
            404: "not_found",
            405: "method_not_allowed",
            409: "conflict",
            413: "too_large",
            422: "validation_error",
        }
        return error_response(api, request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))

    @api.exception_handler(SuspiciousOperation)
    def unreadable_request(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        # A body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields: the client's fault, never a 500.
        status, code, message = request_problem(exc) or (400, "bad_request", str(exc))
        return error_response(api, request, status, code, message)

    @api.exception_handler(MultiPartParserError)
    def unreadable_upload(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        status, code, message = request_problem(exc) or (400, "bad_request", str(exc))
        return error_response(api, request, status, code, message)

    @api.exception_handler(BudgetExceeded)
    def budget_exceeded(request: HttpRequest, exc: BudgetExceeded) -> HttpResponse:
        response = error_response(api, request, 429, "budget_exceeded", exc.message)
        response["Retry-After"] = str(exc.retry_after_seconds)
        return response

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled API error on %s %s", request.method, request.path)
        return error_response(
            api, request, 500, "server_error", _("Something went wrong on our side; it has been logged.")
        )


def filterset_qs(filterset: Any) -> Any:
    """A django-filter FilterSet's rows, or a 422 naming each query parameter it refused (an unknown
    sector code, a country not in the list), in the reader's language: never a silent empty list."""
    filterset_check(filterset)
    return filterset.qs


def filterset_check(filterset: Any) -> None:
    """`filterset_qs`'s 422 for a FilterSet whose rows the caller reads otherwise (a search's pages)."""
    if not filterset.is_valid():
        raise DjangoValidationError(
            {f"query.{name}": [str(message) for message in messages] for name, messages in filterset.errors.items()}
        )
