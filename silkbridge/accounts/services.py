"""Writes for accounts: sign-up and e-mail verification, preferences, API tokens, login throttling."""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.accounts import emails
from silkbridge.accounts.choices import PlatformRole
from silkbridge.accounts.models import ApiToken, User
from silkbridge.accounts.tokens import email_verification_token
from silkbridge.common.rates import DEFAULT_RATES
from silkbridge.core.mail import mail_queue_message

TOKEN_PREFIX = "sb_"


def _time_zone_validate(time_zone: str) -> None:
    if time_zone not in zoneinfo.available_timezones():
        raise ValidationError({"time_zone": _("Unknown time zone: %(zone)s.") % {"zone": time_zone}})


def _user_build(
    *, email: str, full_name: str, role: str, language: str, time_zone: str, is_email_verified: bool
) -> User:
    return User(
        email=(email or "").strip().lower(),
        full_name=full_name.strip(),
        role=role,
        language=language,
        time_zone=time_zone,
        email_verified_at=timezone.now() if is_email_verified else None,
    )


def _user_validate(*, user: User, password: str | None, check_unique: bool = True) -> None:
    """Every field's errors at once (and the password against the password rules)."""
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"], validate_unique=check_unique, validate_constraints=check_unique)
    except ValidationError as error:
        errors.update(error.message_dict)
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            errors["password"] = list(error.messages)
    if user.time_zone not in zoneinfo.available_timezones():
        errors["time_zone"] = [_("Unknown time zone: %(zone)s.") % {"zone": user.time_zone}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    role: str = PlatformRole.MEMBER,
    language: str = "",
    time_zone: str = "UTC",
    is_email_verified: bool = False,
) -> User:
    """Create a user after validating every field (and the password against the password rules)."""
    user = _user_build(
        email=email,
        full_name=full_name,
        role=role,
        language=language,
        time_zone=time_zone,
        is_email_verified=is_email_verified,
    )
    _user_validate(user=user, password=password)
    user.set_password(password)
    user.save()
    return user


def user_signup(*, email: str, password: str, full_name: str, language: str, time_zone: str = "UTC") -> User | None:
    """Sign up and send the e-mail that verifies the address (after the transaction commits).

    An address that already has an account creates nothing: its owner is told by e-mail instead,
    and the caller answers exactly as for a new account (None is returned), so sign-up never
    reveals who has an account. Errors in the other fields are reported as usual.
    """
    candidate = _user_build(
        email=email,
        full_name=full_name,
        role=PlatformRole.MEMBER,
        language=language,
        time_zone=time_zone,
        is_email_verified=False,
    )
    _user_validate(user=candidate, password=password, check_unique=False)
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=candidate.email).first()
        if existing is None:
            try:
                user = user_create(
                    email=email, password=password, full_name=full_name, language=language, time_zone=time_zone
                )
            except (ValidationError, IntegrityError):
                # Every other field was valid above: another sign-up took the address meanwhile.
                existing = User.objects.filter(email__iexact=candidate.email).first()
                if existing is None:
                    raise
            else:
                transaction.on_commit(lambda: verification_email_send(user=user))
                return user
        # Hash the password anyway: the answer takes as long as a real sign-up's.
        make_password(password)
        owner = existing
        transaction.on_commit(lambda: signup_existing_notice_send(user=owner))
    return None


def signup_existing_notice_send(*, user: User) -> None:
    """Tell an account's owner that someone signed up with their address (made and sent by a worker)."""
    mail_queue_message(emails.signup_existing_message, user_id=user.pk)


def verification_email_send(*, user: User) -> None:
    """E-mail the verification link, written in the user's own language; the worker makes the link, so
    the task queue never holds it."""
    mail_queue_message(emails.verification_message, user_id=user.pk)


def email_verify(*, user: User, token: str) -> bool:
    """Mark the address verified when the token is valid; False (and no change) otherwise."""
    if user.email_verified_at is not None:
        return True
    if not email_verification_token.check_token(user, token):
        return False
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    return True


def user_preferences_update(
    *,
    user: User,
    full_name: str | None = None,
    language: str | None = None,
    time_zone: str | None = None,
    currency: str | None = None,
) -> User:
    changed = []
    if currency is not None:
        code = currency.strip().upper()
        if code and not DEFAULT_RATES.knows(code):
            raise ValidationError({"currency": _("Choose a currency from the list, or none to follow your language.")})
        user.currency = code
        changed.append("currency")
    if full_name is not None:
        user.full_name = full_name.strip()
        changed.append("full_name")
    if language is not None:
        if language and language not in dict(settings.LANGUAGES):
            raise ValidationError({"language": _("Choose English, Simplified Chinese or Urdu.")})
        user.language = language
        changed.append("language")
    if time_zone is not None:
        _time_zone_validate(time_zone)
        user.time_zone = time_zone
        changed.append("time_zone")
    if changed:
        user.full_clean(exclude=["password"])
        user.save(update_fields=changed)
    return user


def _token_hash(token: str) -> str:
    # The tokens carry 256 random bits, so a fast unsalted hash is enough: nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(*, user: User, name: str, days_valid: int | None = None) -> tuple[ApiToken, str]:
    """Create a personal API token; the clear token is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the script that will use it.")})
    if days_valid is not None and not 1 <= days_valid <= 3650:
        raise ValidationError({"days_valid": _("A token is valid for 1 to 3,650 days.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name[:100],
        prefix=secret[:10],
        token_hash=_token_hash(secret),
        expires_at=timezone.now() + timedelta(days=days_valid) if days_valid else None,
    )
    token.full_clean()
    token.save()
    return token, secret


def api_token_revoke(*, user: User, token_id: int) -> bool:
    updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return updated == 1


def api_token_authenticate(*, secret: str) -> User | None:
    """The active user a token belongs to, or None; records when it was last used."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=_token_hash(secret)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def demo_staff_ensure(*, email: str, password: str) -> tuple[User, bool]:
    """The demo staff account of the embedded mode; its password is reset to the given one."""
    user = User.objects.filter(email=email).first()
    created = user is None
    if user is None:
        user = User(
            email=email,
            full_name="Demo Staff",
            role=PlatformRole.STAFF,
            is_superuser=True,
            email_verified_at=timezone.now(),
            time_zone="Asia/Karachi",
        )
    if created or not user.check_password(password):
        user.set_password(password)
        user.save()
    return user, created
