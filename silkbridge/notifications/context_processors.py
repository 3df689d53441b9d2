from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from silkbridge.notifications import selectors


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The header's unread badge; counted only when a page shows it (one query)."""
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(viewer=request.user))}
