"""Conversation endpoints: the messages of an accepted interest's or a meeting's thread, and posting one.
Same selectors and services as the page: a thread the caller may not read answers 404, as if it did not
exist; staff read and get 403 when they post. Attachments are sent from the page only (multipart)."""

from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from silkbridge.accounts.api_auth import AUTH_REQUIRED
from silkbridge.conversations import selectors, services
from silkbridge.conversations.models import Attachment, Thread
from silkbridge.conversations.schemas import MessageIn, MessageOut
from silkbridge.conversations.selectors import Conversation
from silkbridge.core.api_support import ErrorOut, PagePagination, auth_user

router = Router(tags=["conversations"], auth=AUTH_REQUIRED)
ERRORS: dict[int, type] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _interest(request: HttpRequest, interest_id: int) -> Conversation:
    try:
        return selectors.conversation_for_interest(viewer=auth_user(request), interest_id=interest_id)
    except Thread.DoesNotExist as error:
        raise Http404(_("No such conversation.")) from error


def _meeting(request: HttpRequest, meeting_id: int) -> Conversation:
    try:
        return selectors.conversation_for_meeting(viewer=auth_user(request), meeting_id=meeting_id)
    except Thread.DoesNotExist as error:
        raise Http404(_("No such conversation.")) from error


@router.get(
    "/conversations/interests/{interest_id}/messages",
    response={200: list[MessageOut], **ERRORS},
    summary="The messages about an accepted expression of interest, oldest first",
)
@paginate(PagePagination)
def interest_messages(request: HttpRequest, interest_id: int) -> Any:
    return selectors.messages_of(conversation=_interest(request, interest_id))


@router.post(
    "/conversations/interests/{interest_id}/messages",
    response={201: MessageOut, 403: ErrorOut, **ERRORS},
    summary="Write to the other side of an accepted expression of interest (its members are told)",
)
def interest_message_post(request: HttpRequest, interest_id: int, payload: MessageIn) -> Status:
    conversation = _interest(request, interest_id)
    message = services.message_post(actor=auth_user(request), conversation=conversation, body=payload.body)
    return Status(201, selectors.messages_of(conversation=conversation).get(pk=message.pk))


@router.get(
    "/conversations/meetings/{meeting_id}/messages",
    response={200: list[MessageOut], **ERRORS},
    summary="The messages about a meeting, oldest first",
)
@paginate(PagePagination)
def meeting_messages(request: HttpRequest, meeting_id: int) -> Any:
    return selectors.messages_of(conversation=_meeting(request, meeting_id))


@router.post(
    "/conversations/meetings/{meeting_id}/messages",
    response={201: MessageOut, 403: ErrorOut, **ERRORS},
    summary="Write to the other side of a meeting (its members are told)",
)
def meeting_message_post(request: HttpRequest, meeting_id: int, payload: MessageIn) -> Status:
    conversation = _meeting(request, meeting_id)
    message = services.message_post(actor=auth_user(request), conversation=conversation, body=payload.body)
    return Status(201, selectors.messages_of(conversation=conversation).get(pk=message.pk))


@router.get(
    "/conversations/files/{attachment_id}",
    response={200: None, **ERRORS},
    url_name="conversation_attachment",
    summary="Download a message's attachment",
)
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    try:
        attachment = selectors.attachment_get(viewer=auth_user(request), pk=attachment_id)
    except Attachment.DoesNotExist as error:
        raise Http404(_("No such file.")) from error
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
