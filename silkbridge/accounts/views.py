"""Sign-in, sign-up, e-mail verification, preferences and personal API tokens. Thin: the work is in
services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.accounts import hooks, services
from silkbridge.accounts.backends import RETRY_AT_ATTRIBUTE
from silkbridge.accounts.forms import ApiTokenForm, LoginForm, PreferencesForm, ResendVerificationForm, SignupForm
from silkbridge.accounts.models import User
from silkbridge.accounts.throttle import login_throttle_lift, login_wait_message


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return next_url
    return default


def _add_form_errors(form: Any, error: ValidationError) -> None:
    for field_name, field_messages in error.message_dict.items():
        for message in field_messages:
            form.add_error(field_name if field_name in form.fields else None, message)


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # authenticate() runs the login throttle (accounts/backends.py) before it checks the password.
        user = authenticate(request, username=form.cleaned_data["email"], password=form.cleaned_data["password"])
        retry_at = getattr(request, RETRY_AT_ATTRIBUTE, None)
        if retry_at is not None:
            form.add_error(None, login_wait_message(retry_at=retry_at))
        elif user is None:
            form.add_error(None, _("The e-mail address or the password is wrong."))
        elif not user.is_email_verified:
            form.add_error(None, _("Confirm your e-mail address first: we sent you a link when you signed up."))
        else:
            login(request, user)
            # Without a page to go back to, "My Silkbridge": what needs the user now.
            return redirect(_safe_next(request, reverse("core:my_silkbridge")))
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request, "")})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset form (the link proves the address); a completed reset also lifts the account's
    login delays, so whoever was kept waiting by someone else's failures gets in at once."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        login_throttle_lift(email=self.user.email)
        return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("core:home")


def signup_view(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_signup(
                email=data["email"],
                password=data["password"],
                full_name=data["full_name"],
                language=data["language"],
                time_zone=data["time_zone"],
            )
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            return render(request, "accounts/signup_done.html", {"email": data["email"]})
    return render(request, "accounts/signup.html", {"form": form})


def verify_email_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    verified = user is not None and services.email_verify(user=user, token=token)
    return render(request, "accounts/verify_email.html", {"verified": verified}, status=200 if verified else 400)


def resend_verification_view(request: HttpRequest) -> HttpResponse:
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"], email_verified_at__isnull=True).first()
        if user is not None:
            services.verification_email_send(user=user)
        # Same answer whether or not the address exists, so the form cannot be used to probe accounts.
        messages.success(request, _("If that address has an unconfirmed account, a new link is on its way."))
        return redirect("accounts:login")
    return render(request, "accounts/resend_verification.html", {"form": form})


@login_required
def preferences_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    initial = {
        "full_name": user.full_name,
        "language": user.language or request.LANGUAGE_CODE,
        "time_zone": user.time_zone,
        "currency": user.currency,
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_preferences_update(user=user, **form.cleaned_data)
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            messages.success(request, _("Your preferences are saved."))
            response = redirect("accounts:preferences")
            response.set_cookie("django_language", user.language, samesite="Lax")
            return response
    context = {"form": form, "organisations": hooks.organisations_of_user.ask([], user=user)}
    return render(request, "accounts/preferences.html", context)


@login_required
def tokens_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ApiTokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_secret = services.api_token_create(user=user, **form.cleaned_data)
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            form = ApiTokenForm()
    tokens = user.api_tokens.all()
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens, "new_secret": new_secret})


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    if services.api_token_revoke(user=request.user, token_id=token_id):  # type: ignore[arg-type]
        messages.success(request, _("The token is revoked; programs using it are refused from now on."))
    return redirect("accounts:tokens")
