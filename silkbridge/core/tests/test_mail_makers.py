"""Mails made by a worker from a reference: only a function registered with @mail_message can be named,
and naming anything else imports nothing in the worker."""

from __future__ import annotations

import sys

import pytest

from silkbridge.core.mail import MAIL_MAKERS, mail_make_send, mail_queue_message


@pytest.mark.django_db
def test_a_task_naming_an_unregistered_maker_is_refused_without_importing_it():
    """A task row (or a future caller passing user input) that names any importable path makes the
    worker load nothing: the module `this` (which prints when imported) stays unloaded."""
    sys.modules.pop("this", None)
    with pytest.raises(ValueError, match="not marked @mail_message"):
        mail_make_send.call(maker="this.s", arguments={})
    assert "this" not in sys.modules, "the worker imported (and ran) the module `this` to look up the maker"


def test_the_account_mails_are_registered_when_the_apps_load():
    """The worker finds the password-reset and verification mails without importing them itself."""
    assert {
        "silkbridge.accounts.emails.password_reset_message",
        "silkbridge.accounts.emails.verification_message",
        "silkbridge.accounts.emails.signup_existing_message",
    } <= set(MAIL_MAKERS)


def test_a_function_not_marked_cannot_be_queued():
    def not_a_maker(**arguments):
        return None

    with pytest.raises(ValueError, match="not marked @mail_message"):
        mail_queue_message(not_a_maker, user_id=1)
