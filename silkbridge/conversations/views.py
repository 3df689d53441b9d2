"""Conversation pages: the thread of an accepted interest or of a meeting, and attachment downloads.
Every rule is the selectors' and services'; a reader they do not let in gets a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from silkbridge.conversations import selectors, services
from silkbridge.conversations.forms import MessageForm
from silkbridge.conversations.models import Attachment, Thread
from silkbridge.conversations.selectors import Conversation
from silkbridge.core.i18n import content_language
from silkbridge.directory.selectors import organisation_ids_of
from silkbridge.translations.selectors import readings_for_many

MESSAGES_PER_PAGE = 50
THREADS_PER_PAGE = 20


def _thread_page(request: HttpRequest, conversation: Conversation) -> HttpResponse:
    form = MessageForm()
    status = 200
    if request.method == "POST":
        if not conversation.can_post:
            raise PermissionDenied(_("Only the members of the two organisations write in this conversation."))
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.message_post(
                    actor=request.user,
                    conversation=conversation,
                    body=form.cleaned_data["body"],
                    uploads=form.cleaned_data["attachments"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                flash.success(request, _("Message sent."))
                return redirect(request.path)
        status = 422 if form.errors else 200
    return _render(request, conversation, form, status)


def _render(request: HttpRequest, conversation: Conversation, form: MessageForm, status: int) -> HttpResponse:
    # The latest fifty messages on the first page, older ones on the next; each page oldest first, so that
    # a reply follows the last message.
    newest_first = selectors.messages_of(conversation=conversation).reverse()
    page = Paginator(newest_first, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    message_list = list(reversed(page.object_list))
    # The messages came through the thread's selector: so do their translations.
    as_models: list[Model] = [*message_list]
    readings = readings_for_many(
        objects=as_models, reader_language=content_language(), show_original=request.GET.get("original") == "1"
    )
    rows: list[dict[str, Any]] = []
    for message in message_list:
        reading = readings[message.pk]
        rows.append(
            {
                "message": message,
                "reading": reading,
                "body": reading.fields["body"],
                "anchor": f"message-{message.pk}",
                "is_own": conversation.own_side is not None and message.organisation_id == conversation.own_side.pk,
            }
        )
    context = {"conversation": conversation, "rows": rows, "form": form, "page": page}
    return render(request, "conversations/thread.html", context, status=status)


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    """The threads of the reader's own organisations, newest message first, twenty a page."""
    page = Paginator(selectors.inbox_of(viewer=request.user), THREADS_PER_PAGE).get_page(request.GET.get("page"))
    own = set(organisation_ids_of(request.user))
    rows = []
    for thread in page.object_list:
        sides = selectors.thread_sides(thread)
        other = next((side for side in sides if side.pk not in own), sides[1])
        if thread.interest_id is not None:
            url = reverse("conversations:interest_thread", args=[thread.interest_id])
        else:
            url = reverse("conversations:meeting_thread", args=[thread.meeting_id])
        first_line = next((line.strip() for line in thread.last_body.splitlines() if line.strip()), "")
        rows.append({"thread": thread, "other": other, "url": url, "first_line": first_line})
    return render(request, "conversations/inbox.html", {"rows": rows, "page": page})


@login_required
def interest_thread_view(request: HttpRequest, interest_id: int) -> HttpResponse:
    try:
        conversation = selectors.conversation_for_interest(viewer=request.user, interest_id=interest_id)
    except Thread.DoesNotExist as error:
        raise Http404(_("No such conversation.")) from error
    return _thread_page(request, conversation)


@login_required
def meeting_thread_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    try:
        conversation = selectors.conversation_for_meeting(viewer=request.user, meeting_id=meeting_id)
    except Thread.DoesNotExist as error:
        raise Http404(_("No such conversation.")) from error
    return _thread_page(request, conversation)


@login_required
def attachment_view(request: HttpRequest, attachment_id: int) -> FileResponse:
    """An attachment as a download that no browser renders in place, for a reader of its thread."""
    try:
        attachment = selectors.attachment_get(viewer=request.user, pk=attachment_id)
    except Attachment.DoesNotExist as error:
        raise Http404(_("No such file.")) from error
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
