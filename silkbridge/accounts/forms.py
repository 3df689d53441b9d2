from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from silkbridge.accounts import emails
from silkbridge.accounts.backends import RETRY_AT_ATTRIBUTE
from silkbridge.accounts.throttle import login_wait_message
from silkbridge.common.rates import DEFAULT_RATES
from silkbridge.core.mail import mail_queue_message

COMMON_TIME_ZONES = ["Asia/Karachi", "Asia/Shanghai", "Asia/Urumqi", "Asia/Dubai", "Europe/London", "UTC"]


def currency_choices() -> list[tuple[str, Any]]:
    """The currencies the rate table knows, after 'follow my language' (the default)."""
    codes = sorted(DEFAULT_RATES.per_usd)
    return [("", _("The currency of my language")), *((code, code) for code in codes)]


def time_zone_choices() -> list[tuple[str, str]]:
    others = sorted(zone for zone in zoneinfo.available_timezones() if "/" in zone and zone not in COMMON_TIME_ZONES)
    return [(zone, zone) for zone in COMMON_TIME_ZONES + others]


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in form; the throttle itself runs in the backend, this form says how long to wait."""

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            retry_at = getattr(self.request, RETRY_AT_ATTRIBUTE, None)
            if retry_at is not None:
                raise ValidationError(login_wait_message(retry_at=retry_at), code="throttled") from None
            raise


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class SignupForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common password."),
    )
    password_again = forms.CharField(
        label=_("Password, again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    # Pakistan's zone unless the browser says otherwise: site.js chooses the browser's zone on a fresh form
    # (data-browser-zone), and the person can still change it.
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        initial="Asia/Karachi",
        widget=forms.Select(attrs={"data-browser-zone": ""}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:  # sent back with an error: keep the zone the person chose
            self.fields["time_zone"].widget.attrs.pop("data-browser-zone", None)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


class PreferencesForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=currency_choices,
        required=False,
        help_text=_("Amounts in other currencies are also shown converted into this one."),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What will use it, e.g. “CRM sync script”.")
    )
    days_valid = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("Leave empty for a token that does not expire."),
    )


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset form, with the message handed to the mail task (retried by a worker)
    instead of sent to the mail server inside the request. Only the user's id and the language go into
    the queue: the worker makes the token and the link when it sends the message."""

    def send_mail(
        self,
        _subject_template_name: str,
        _email_template_name: str,
        context: dict[str, Any],
        _from_email: str | None,
        _to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Django calls this with the templates, the address and a context holding the token; only the
        # user is kept. (Its other arguments are positional, so their names here are free.)
        del html_email_template_name
        language = translation.get_language() or settings.LANGUAGE_CODE
        mail_queue_message(emails.password_reset_message, user_id=context["user"].pk, language=language)
