"""The two sides write their first messages at the same moment: one thread, both messages.

On PostgreSQL (CI's second pass) the posts run in concurrent threads, each with its own connection; the
thread's one-to-one field decides, and the post that loses the insert reads the winner's thread."""

from __future__ import annotations

import pytest

from silkbridge.conversations import selectors, services
from silkbridge.conversations.models import Message, Thread
from silkbridge.conversations.tests.factories import accepted_interest
from silkbridge.core.tests.races import WON, race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """A transactional test empties every table when it ends, so it loads the reference data it reads."""
    from silkbridge.conftest import reference_data_load

    reference_data_load()


@pytest.fixture(autouse=True)
def _tasks_kept_for_later(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_two_first_messages_at_once_make_one_thread():
    interest, sender, owner = accepted_interest()

    def post(user, body):
        def attempt():
            conversation = selectors.conversation_for_interest(viewer=user, interest_id=interest.pk)
            services.message_post(actor=user, conversation=conversation, body=body)

        return attempt

    assert race(post(sender, "Hello from Lahore."), post(owner, "Hello from Hangzhou.")) == [WON, WON]
    (thread,) = Thread.objects.all()
    assert sorted(Message.objects.filter(thread=thread).values_list("body", flat=True)) == [
        "Hello from Hangzhou.",
        "Hello from Lahore.",
    ]
