from typing import Any

from django.http import HttpRequest
from ninja import Router

from silkbridge.accounts.api_auth import AUTH_REQUIRED
from silkbridge.accounts.schemas import UserOut, UserPatch
from silkbridge.accounts.services import user_preferences_update
from silkbridge.core.api_support import ErrorOut, auth_user

router = Router(tags=["accounts"])


@router.get("/me", response={200: UserOut, 401: ErrorOut}, auth=AUTH_REQUIRED, summary="The current user")
def me(request: HttpRequest) -> Any:
    return auth_user(request)


@router.patch(
    "/me",
    response={200: UserOut, 401: ErrorOut, 422: ErrorOut},
    auth=AUTH_REQUIRED,
    summary="Change the current user's name, language or time zone",
)
def me_update(request: HttpRequest, payload: UserPatch) -> Any:
    return user_preferences_update(user=auth_user(request), **payload.dict(exclude_unset=True))
