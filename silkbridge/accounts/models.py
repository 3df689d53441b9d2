"""Users (e-mail login), personal API tokens and login throttling (memberships are the directory's)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silkbridge.accounts.choices import PlatformRole


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("role", PlatformRole.STAFF)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address; staff, reviewer or member of the platform."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(_("platform role"), max_length=16, choices=PlatformRole, default=PlatformRole.MEMBER)
    language = models.CharField(_("language"), max_length=16, choices=settings.LANGUAGES, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # Empty: amounts are converted into the currency of the language the user reads in.
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints: ClassVar = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("A user with this e-mail address already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_staff(self) -> bool:
        """Platform staff run the admin; Django's admin asks for this attribute."""
        return self.is_active and (self.role == PlatformRole.STAFF or self.is_superuser)

    @property
    def is_reviewer(self) -> bool:
        return self.is_active and self.role in {PlatformRole.REVIEWER, PlatformRole.STAFF}

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        # Staff administer every model of the platform; the role is the permission.
        if self.is_staff:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_staff:
            return True
        return super().has_module_perms(app_label)

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash is stored; the token is shown once, when created."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("The first characters, to recognise it."))
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class LoginThrottle(models.Model):
    """Failed sign-ins counted under one key (an account, a client address, or the two together).

    The row is locked while an attempt is counted, so parallel attempts cannot all pass the check
    (accounts/throttle.py); the delay an attempt must wait follows from `failures` and `last_failure_at`.
    """

    key = models.CharField(_("key"), max_length=400, unique=True)
    email = models.CharField(
        _("e-mail address"),
        max_length=254,
        blank=True,
        db_index=True,
        help_text=_("The account the key counts for, so that a password reset can lift its delays."),
    )
    failures = models.PositiveIntegerField(_("failures"), default=0)
    last_failure_at = models.DateTimeField(_("last failure at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"
