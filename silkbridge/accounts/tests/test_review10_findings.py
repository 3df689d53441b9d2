"""Review of w-review10: links in the mails made by the worker."""

from __future__ import annotations

import pytest

from silkbridge.accounts import emails
from silkbridge.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_password_reset_link_keeps_the_path_of_site_url(settings):
    """The verification link is SITE_URL + path; the reset link keeps only SITE_URL's scheme and host,
    so a site served under a prefix (SILKBRIDGE_SITE_URL=https://example.org/silkbridge) mails a reset
    link that misses it."""
    settings.SITE_URL = "https://example.org/silkbridge"
    user = UserFactory(email_verified_at=None)
    verification = emails.verification_message(user_id=user.pk)
    reset = emails.password_reset_message(user_id=user.pk, language="en")
    assert "https://example.org/silkbridge/" in verification.body
    assert "https://example.org/silkbridge/" in reset.body, reset.body
