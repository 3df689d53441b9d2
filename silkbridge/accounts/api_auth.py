"""How the REST API knows who is calling: a personal API token or the browser session."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from silkbridge.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer sb_…` with a personal API token. A wrong token is a 401, never anonymous."""

    openapi_description = "A personal API token, created on the account's API tokens page."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(secret=token)
        if user is None:
            raise AuthenticationError
        return user


class SessionAuth(APIKeyCookie):
    """The browser session of a signed-in user (CSRF-checked for writes)."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        # CSRF protects a signed-in session from being used by another site. A request with no
        # signed-in session has nothing to forge: it is simply not authenticated, so it gets the
        # API's 401 (from the next step) instead of a CSRF 403 that would send clients looking
        # for a token they do not need.
        if not request.user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(
                403,
                _(
                    "The CSRF token is missing or wrong: send the csrftoken cookie's value as the "
                    "X-CSRFToken header, or use an API token."
                ),
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


class OptionalSessionAuth(SessionAuth):
    """Anonymous access allowed: the viewer is the session user or an anonymous one."""

    def __call__(self, request: HttpRequest) -> Any:
        return request.user


AUTH_REQUIRED = [TokenAuth(), SessionAuth()]
AUTH_OPTIONAL = [TokenAuth(), OptionalSessionAuth(csrf=False)]
