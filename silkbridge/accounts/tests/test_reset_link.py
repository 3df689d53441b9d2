"""The links in the account mails made by the worker lead to the site where it is served, path prefix
included (SILKBRIDGE_SITE_URL=https://example.org/silkbridge)."""

from __future__ import annotations

import pytest

from silkbridge.accounts import emails
from silkbridge.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_password_reset_link_keeps_the_path_of_site_url(settings):
    """A user of a site served under a prefix opens the reset link from the mail and lands on the
    reset page, not on a "not found" page of whatever the host serves at its root."""
    settings.SITE_URL = "https://example.org/silkbridge"
    user = UserFactory(email_verified_at=None)
    verification = emails.verification_message(user_id=user.pk)
    reset = emails.password_reset_message(user_id=user.pk, language="en")
    assert "https://example.org/silkbridge/accounts/verify/" in verification.body
    assert "\nhttps://example.org/silkbridge/accounts/password/reset/" in reset.body, reset.body
    assert "https://example.org/accounts/" not in reset.body
