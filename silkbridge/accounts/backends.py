"""The authentication backend: Django's model backend behind the login throttle.

Every password check in the platform goes through `django.contrib.auth.authenticate` (the site's
sign-in, the admin's, and whatever comes later), and so through this backend: one throttle for all.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from silkbridge.accounts import throttle
from silkbridge.core.client_address import client_address

# Set on the request when the throttle refused an attempt: the time the next one is allowed.
RETRY_AT_ATTRIBUTE = "login_retry_at"


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is None:
            username = kwargs.pop("email", None)
        if not username or password is None:
            return None
        attempt = throttle.login_attempt_begin(email=username, client_address=client_address(request))
        if attempt.is_refused:
            if request is not None:
                setattr(request, RETRY_AT_ATTRIBUTE, attempt.retry_at)
            # PermissionDenied stops authenticate() at once: no other backend checks the password either.
            raise PermissionDenied
        user = super().authenticate(request, username=attempt.email, password=password, **kwargs)
        if user is not None:
            throttle.login_attempt_succeeded(attempt=attempt)
        return user
