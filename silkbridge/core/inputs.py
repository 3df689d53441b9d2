"""Text a user sends that the database cannot store, refused in one place with the field's name.

PostgreSQL refuses NUL characters in text, and no UTF-8 encoder takes a lone surrogate (a JSON body
may carry "\\ud800"); either reached the database as a 500 and stopped an import halfway. Every
text input passes here first:

- `unstorable_problem` is the check itself (the importer calls it on every cell);
- `StorableInputMiddleware` checks every query-string and form field of every request,
  and every string of a JSON body, naming the field as the API does (`body.name_en`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_problem(value: str) -> str | None:
    """Why the database cannot store this text, in the reader's language, or None when it can."""
    match = _UNSTORABLE.search(value)
    if match is None:
        return None
    if match.group() == "\x00":
        return _("The text contains a NUL character (\\x00), which cannot be stored; remove it.")
    return _("The text contains an invalid character (a lone UTF-16 surrogate), which cannot be stored; remove it.")


_UNSAFE_IN_FILE_NAME = re.compile(r'[\x00-\x1f\x7f"\\/<>:|?*\ud800-\udfff]')


def safe_file_name(name: str, *, default: str, max_length: int = 255) -> str:
    """A user's file name as it may be stored and sent back in a Content-Disposition header: no
    control characters (a CR/LF made the header, and so the download, impossible), no path or
    quoting characters, never empty."""
    cleaned = _UNSAFE_IN_FILE_NAME.sub("_", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip(" ._")
    return cleaned[-max_length:] or default


def _strings(value: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, (*path, str(key)))
            yield from _strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, str(index)))


def first_unstorable(value: Any, path: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """The first string in a JSON-like value the database cannot store: (dotted place, reason)."""
    for place, text in _strings(value, path):
        problem = unstorable_problem(text)
        if problem is not None:
            return ".".join(place), problem
    return None


def _api_error(status: int, code: str, message: str, errors: list[dict[str, str]] | None = None) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "errors": errors or []}, status=status)


def bad_request_response(request: HttpRequest, status: int, code: str, message: str, field: str = "") -> HttpResponse:
    """A 4xx in the shape the caller reads: the API's JSON error, or the 400 page with the reason."""
    if request.path.startswith("/api/"):
        return _api_error(status, code, message, [{"field": field, "message": message}] if field else [])
    return render(request, "400.html", {"reason": message}, status=status)


def request_problem(exc: Exception) -> tuple[int, str, str] | None:
    """The status, code and message for a request Django could not read (too big, too many fields,
    a broken multipart body), or None for any other exception."""
    if isinstance(exc, RequestDataTooBig):
        return 413, "too_large", _("The request body is too large.")
    if isinstance(exc, MultiPartParserError):
        return 400, "bad_request", _("The upload could not be read: %(reason)s") % {"reason": exc}
    if isinstance(exc, SuspiciousOperation):
        # TooManyFieldsSent, TooManyFilesSent and their kind: the request, not the server, is at fault.
        return 400, "bad_request", _("The request has too many fields or is malformed.")
    return None


class StorableInputMiddleware:
    """Refuse a request whose query string or form fields hold text the database cannot store, and
    answer a request Django cannot parse (too many fields, a broken multipart body) with a 4xx."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            refusal = self._refusal(request)
        except (SuspiciousOperation, MultiPartParserError) as error:
            answer = request_problem(error)
            if answer is None:
                raise
            return bad_request_response(request, *answer)
        return refusal or self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        content_type = request.content_type or ""
        # The API parses any body that is not a form as JSON, whatever its Content-Type says, so such
        # a body is checked as JSON too (a `text/plain` body must not carry a NUL past this check).
        is_form = content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded"))
        is_json = content_type.startswith("application/json") or (request.path_info.startswith("/api/") and not is_form)
        fields = [request.GET]
        if request.method == "POST" and not is_json:
            fields.append(request.POST)
        for source in fields:
            for name, values in source.lists():
                for value in [name, *values]:
                    problem = unstorable_problem(value)
                    if problem is not None:
                        return bad_request_response(request, 400, "unstorable_character", problem, name)
        if is_json and request.method in {"POST", "PUT", "PATCH"} and request.body:
            try:
                data = json.loads(request.body)
            except (ValueError, RecursionError):
                return None  # not JSON: the API's own parser answers 400
            found = first_unstorable(data, ("body",))
            if found is not None:
                place, problem = found
                return bad_request_response(request, 422, "validation_error", problem, place)
        return None
