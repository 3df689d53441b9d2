"""Reads for conversations. Who may read or write a thread is decided here and nowhere else.

- A thread exists for an accepted expression of interest and for a meeting. A pending, declined or
  withdrawn interest has none.
- Its two sides are organisations: the profile's owner and the interested organisation (an interest),
  the two participants' organisations (a meeting). Every member of either side reads and writes.
- Staff read every thread, and write only where they are a member of a side: a message always speaks
  for one of the two organisations, and staff speak for none.
- Anyone else, signed in or not, gets Thread.DoesNotExist (a 404), as if the thread did not exist. An
  interest whose profile the reader may no longer see (marketplace's `opportunity_visible`) hides its
  owner, so its thread is hidden too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from silkbridge.conversations.models import Attachment, Message, Thread
from silkbridge.directory.models import Membership, Organisation
from silkbridge.directory.selectors import organisation_ids_of
from silkbridge.events.models import Meeting
from silkbridge.marketplace.choices import InterestStatus
from silkbridge.marketplace.models import ExpressionOfInterest
from silkbridge.marketplace.selectors import interest_get, visible_to_q


@dataclass(frozen=True)
class Conversation:
    """What a thread is about, as one reader may see it: its subject, its two sides, the thread once it
    has a first message, and the side the reader writes for (None: the reader only reads)."""

    sides: tuple[Organisation, Organisation]
    interest: ExpressionOfInterest | None = None
    meeting: Meeting | None = None
    thread: Thread | None = None
    own_side: Organisation | None = None

    @property
    def can_post(self) -> bool:
        return self.own_side is not None

    def other_side(self, organisation: Organisation) -> Organisation:
        first, second = self.sides
        return second if first.pk == organisation.pk else first


def _conversation(viewer: Any, sides: tuple[Organisation, Organisation], **subject: Any) -> Conversation:
    own = set(organisation_ids_of(viewer))
    own_side = next((side for side in sides if side.pk in own), None)
    if own_side is None and not getattr(viewer, "is_staff", False):
        raise Thread.DoesNotExist
    thread = Thread.objects.filter(**subject).first()
    return Conversation(sides=sides, thread=thread, own_side=own_side, **subject)


def conversation_for_interest(*, viewer: Any, interest_id: int) -> Conversation:
    """The thread of an accepted expression of interest, for one of its two sides or staff;
    Thread.DoesNotExist for anyone else and for an interest not (or no longer) accepted."""
    try:
        interest = interest_get(viewer=viewer, pk=interest_id)
    except ExpressionOfInterest.DoesNotExist as error:
        raise Thread.DoesNotExist from error
    if interest.status != InterestStatus.ACCEPTED or not getattr(interest, "opportunity_visible", False):
        raise Thread.DoesNotExist
    return _conversation(viewer, (interest.opportunity.organisation, interest.organisation), interest=interest)


def conversation_for_meeting(*, viewer: Any, meeting_id: int) -> Conversation:
    """The thread of a meeting, for the two participants' organisations or staff; Thread.DoesNotExist
    for anyone else."""
    meeting = (
        Meeting.objects.select_related(
            "event", "slot", "request__requester__organisation", "request__recipient__organisation"
        )
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise Thread.DoesNotExist
    sides = (meeting.request.requester.organisation, meeting.request.recipient.organisation)
    return _conversation(viewer, sides, meeting=meeting)


def conversation_of_thread(*, viewer: Any, thread: Thread) -> Conversation:
    """The conversation of an existing thread, under the same rules as its subject's."""
    if thread.interest_id is not None:
        return conversation_for_interest(viewer=viewer, interest_id=thread.interest_id)
    return conversation_for_meeting(viewer=viewer, meeting_id=int(thread.meeting_id or 0))


def messages_of(*, conversation: Conversation) -> QuerySet[Message]:
    """The thread's messages, oldest first, with their author, organisation and attachments."""
    if conversation.interest is not None:
        of_subject = Message.objects.filter(thread__interest=conversation.interest)
    else:
        of_subject = Message.objects.filter(thread__meeting=conversation.meeting)
    return (
        of_subject.select_related("author", "organisation")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )


def attachment_get(*, viewer: Any, pk: int) -> Attachment:
    """An attachment of a thread the viewer may read; Attachment.DoesNotExist otherwise (a 404)."""
    attachment = Attachment.objects.select_related("message__thread").get(pk=pk)
    try:
        conversation_of_thread(viewer=viewer, thread=attachment.message.thread)
    except Thread.DoesNotExist as error:
        raise Attachment.DoesNotExist from error
    return attachment


def members_to_tell(*, conversation: Conversation, organisation: Organisation, except_user: Any) -> list[Any]:
    """The active members of one side who may read the thread, told of a message (never its author): a
    member the thread is hidden from (the profile gone private for the interested side) is told nothing,
    as the e-mail would carry the message and name the owner the marketplace hides."""
    memberships = Membership.objects.filter(organisation=organisation)
    if getattr(except_user, "pk", None) is not None:
        memberships = memberships.exclude(user_id=except_user.pk)
    users = list(get_user_model().objects.filter(is_active=True, pk__in=memberships.values("user_id")))
    if conversation.interest is None:
        return users
    readers = []
    for user in users:
        try:
            conversation_for_interest(viewer=user, interest_id=conversation.interest.pk)
        except Thread.DoesNotExist:
            continue
        readers.append(user)
    return readers


def inbox_of(*, viewer: Any) -> QuerySet[Thread]:
    """The threads the viewer's own organisations take part in, newest message first: accepted interests
    whose profile the viewer may still see, and meetings of the event participants their organisations
    are. Staff get their own organisations' threads only (they read others from the interest or meeting
    page). A subject with no message yet has no thread, so it is not listed. Each thread carries its last
    message's time and text (`last_at`, `last_body`) and the `own_ids` the reader's sides are told by."""
    own = list(organisation_ids_of(viewer))
    if not own:
        return Thread.objects.none()
    of_interest = (
        Q(interest__status=InterestStatus.ACCEPTED)
        & (Q(interest__organisation_id__in=own) | Q(interest__opportunity__organisation_id__in=own))
        & visible_to_q(viewer, "interest__opportunity__")
    )
    of_meeting = Q(meeting__request__requester__organisation_id__in=own) | Q(
        meeting__request__recipient__organisation_id__in=own
    )
    last = Message.objects.filter(thread=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Thread.objects.filter(of_interest | of_meeting)
        .select_related(
            "interest__opportunity__organisation",
            "interest__organisation",
            "meeting__event",
            "meeting__slot",
            "meeting__request__requester__organisation",
            "meeting__request__recipient__organisation",
        )
        .annotate(last_at=Subquery(last.values("created_at")[:1]), last_body=Subquery(last.values("body")[:1]))
        .filter(last_at__isnull=False)
        .order_by("-last_at", "-pk")
    )


def thread_sides(thread: Thread) -> tuple[Organisation, Organisation]:
    """A thread's two organisations, from the relations `inbox_of` selected."""
    if thread.interest is not None:
        return (thread.interest.opportunity.organisation, thread.interest.organisation)
    meeting = thread.meeting
    assert meeting is not None
    return (meeting.request.requester.organisation, meeting.request.recipient.organisation)
