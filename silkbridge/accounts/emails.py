"""The account e-mails that carry a secret link (password reset, address verification) or point to
them, each made by a worker from the user's id when it is sent (`core.mail.mail_queue_message`): the
task queue keeps only the id and the language, never a token or a link."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from silkbridge.accounts.models import User
from silkbridge.accounts.tokens import email_verification_token
from silkbridge.core.mail import Message, mail_message


def _recipient(user_id: int) -> User | None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return user if user is not None and user.email else None


def _site_link(view_name: str, **kwargs: str) -> str:
    """A link for a mail: SITE_URL (path prefix included, e.g. https://example.org/silkbridge) + the
    view's path, never the Host header of whoever asked. Every account mail builds its links here."""
    return settings.SITE_URL + reverse(view_name, kwargs=kwargs or None)


def verification_link(*, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    return _site_link("accounts:verify_email", uidb64=uid, token=token)


@mail_message
def password_reset_message(*, user_id: int, language: str) -> Message | None:
    """Django's password-reset message, its link on this site's address (SITE_URL with its path, not the
    Host header of whoever asked). Nothing for an account gone, deactivated or without a password since."""
    user = _recipient(user_id)
    if user is None or not user.has_usable_password():
        return None
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    context = {"user": user, "link": _site_link("accounts:password_reset_confirm", uidb64=uid, token=token)}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = "".join(render_to_string("accounts/email/password_reset_subject.txt", context).splitlines())
        body = render_to_string("accounts/email/password_reset.txt", context)
    return Message(recipient=user.email, subject=subject, body=body)


@mail_message
def verification_message(*, user_id: int) -> Message | None:
    """The link that verifies a new account's address, in the user's own language."""
    user = _recipient(user_id)
    if user is None or user.email_verified_at is not None:
        return None
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {"user": user, "link": verification_link(user=user)}
        return Message(
            recipient=user.email,
            subject=_("Confirm your e-mail address for Silkbridge"),
            body=render_to_string("accounts/email/verify_email.txt", context),
        )


@mail_message
def signup_existing_message(*, user_id: int) -> Message | None:
    """Tell an account's owner that someone signed up with their address, and how to get in."""
    user = _recipient(user_id)
    if user is None:
        return None
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "login_link": _site_link("accounts:login"),
            "reset_link": _site_link("accounts:password_reset"),
        }
        return Message(
            recipient=user.email,
            subject=_("Someone tried to sign up for Silkbridge with your address"),
            body=render_to_string("accounts/email/signup_existing.txt", context),
        )
