"""Conversation endpoints: the messages of an accepted interest's or a meeting's thread, and posting one.
Same selectors and services as the page: a thread the caller may not read answers 404, as if it did not
exist; staff read and get 403 when they post. Attachments are sent from the page only (multipart); the
list gives each message as written and its translation into the reader's language where one exists."""

from typing import Any

from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from silkbridge.accounts.api_auth import AUTH_REQUIRED
from silkbridge.conversations import selectors, services
from silkbridge.conversations.models import Attachment, Thread
from silkbridge.conversations.schemas import MessageIn, MessageOut, MessagePageOut
from silkbridge.conversations.selectors import Conversation
from silkbridge.core.api_support import ErrorOut, PagePagination, auth_user
from silkbridge.core.i18n import content_language
from silkbridge.directory.choices import ContentLanguage
from silkbridge.translations.selectors import readings_for_many

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


def _page(request: HttpRequest, conversation: Conversation, pagination: Any, lang: str | None) -> dict[str, Any]:
    """One page of the thread's messages, each with its translation into the reader's language (one query
    for the page's translations: they came through the thread's selector, so are as visible as it is)."""
    page: dict[str, Any] = PagePagination().paginate_queryset(
        selectors.messages_of(conversation=conversation), pagination, request
    )
    language = lang or content_language()
    messages: list[Model] = list(page["items"])
    readings = readings_for_many(objects=messages, reader_language=language)
    for message in messages:
        shown = readings[message.pk].translations.get("body")
        message.translation = (  # type: ignore[attr-defined]
            {"language": language, "text": shown.text, "source": shown.source, "backend": shown.backend}
            if shown
            else None
        )
    return page


@router.get(
    "/conversations/interests/{interest_id}/messages",
    response={200: MessagePageOut, **ERRORS},
    summary="The messages about an accepted expression of interest, oldest first, translated for the reader",
)
def interest_messages(
    request: HttpRequest,
    interest_id: int,
    pagination: Query[PagePagination.Input],
    lang: ContentLanguage | None = None,
) -> dict[str, Any]:
    return _page(request, _interest(request, interest_id), pagination, lang)


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
    response={200: MessagePageOut, **ERRORS},
    summary="The messages about a meeting, oldest first, translated for the reader",
)
def meeting_messages(
    request: HttpRequest,
    meeting_id: int,
    pagination: Query[PagePagination.Input],
    lang: ContentLanguage | None = None,
) -> dict[str, Any]:
    return _page(request, _meeting(request, meeting_id), pagination, lang)


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
