"""The notification centre and the notification settings. Thin: reads in selectors, writes in services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.notifications import selectors, services
from silkbridge.notifications.choices import NotificationKind
from silkbridge.notifications.forms import NotificationSettingsForm

PAGE_SIZE = 20


@login_required
def notification_list_view(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    notifications = selectors.notifications_of(viewer=request.user, unread_only=unread_only)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "unread_only": unread_only, "unread": selectors.unread_count(viewer=request.user)}
    return render(request, "notifications/list.html", context)


def _local_target(request: HttpRequest, url: str) -> str:
    """A notification's address as a path on this site (e-mails carry the full address, pages need only the
    path); anything pointing elsewhere, or not a path from the root, goes back to the list."""
    if url == settings.SITE_URL or url.startswith(settings.SITE_URL + "/"):
        url = url[len(settings.SITE_URL) :] or "/"
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return ""


@login_required
@require_POST
def notification_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go where it points."""
    notification = services.notification_mark_read(actor=request.user, pk=pk)
    return redirect(_local_target(request, notification.url) or "notifications:list")


@login_required
@require_POST
def notification_read_all_view(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:list")


@login_required
def notification_settings_view(request: HttpRequest) -> HttpResponse:
    current = selectors.settings_of(user=request.user)
    initial = {
        "email_kinds": [kind for kind in NotificationKind.values if current.wants_email(kind)],
        "weekly_digest": current.weekly_digest,
    }
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_settings_update(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("email_kinds", error.message_dict.get("email_kinds", error.messages)[0])
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
