"""The caller's own notifications: list, unread count, mark read. Same selectors and services as the page."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from silkbridge.accounts.api_auth import AUTH_REQUIRED
from silkbridge.core.api_support import ErrorOut, PagePagination, auth_user
from silkbridge.notifications import selectors, services
from silkbridge.notifications.schemas import MarkedOut, NotificationOut, UnreadCountOut

router = Router(tags=["notifications"], auth=AUTH_REQUIRED)
# What any operation here may answer besides its result (a bad page or id is a 422, as everywhere).
ERRORS: dict[int, type] = {401: ErrorOut, 422: ErrorOut}


@router.get(
    "/notifications", response={200: list[NotificationOut], **ERRORS}, summary="Your notifications, newest first"
)
@paginate(PagePagination)
def notification_list(request: HttpRequest, unread: bool = False) -> Any:
    return selectors.notifications_of(viewer=auth_user(request), unread_only=unread)


@router.get(
    "/notifications/unread-count",
    response={200: UnreadCountOut, 401: ErrorOut},
    summary="How many of your notifications are unread",
)
def notification_unread_count(request: HttpRequest) -> Any:
    return {"unread": selectors.unread_count(viewer=auth_user(request))}


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, 404: ErrorOut, **ERRORS},
    summary="Mark one of your notifications read",
)
def notification_read(request: HttpRequest, notification_id: int) -> Any:
    return services.notification_mark_read(actor=auth_user(request), pk=notification_id)


@router.post(
    "/notifications/read-all", response={200: MarkedOut, 401: ErrorOut}, summary="Mark all your notifications read"
)
def notification_read_all(request: HttpRequest) -> Any:
    return {"marked": services.notifications_mark_all_read(actor=auth_user(request))}
