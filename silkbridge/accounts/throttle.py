"""The login throttle: one rule for every password check (site, admin, anything that calls authenticate).

Failures are counted under three keys, each with its own allowance and ceiling:

- the account from one client: a few free failures, then a delay that doubles with each failure
  (stops one client guessing one password);
- the client address: more free failures (stops one client trying many accounts);
- the account from anywhere: more free failures and a short ceiling, so failures from many
  addresses slow guessing down, but nobody can keep the owner out for longer than that ceiling.

After `free` failures under a key, the next attempt waits `base * 2 ** (failures - free)` seconds
(capped) from the last failure; an attempt made during the wait is refused without checking the
password and counts for nothing, so a trickle of attempts never extends the wait. Failures are
forgotten a window after the last one; signing in clears the account's keys, and a completed
password reset lifts every delay of the account.

The check and the count are one step: the rows are locked (SELECT … FOR UPDATE; SQLite's
IMMEDIATE transactions serialise writers) and the attempt is counted as a failure *before* the
password is checked, then refunded if the password was right. Parallel attempts therefore cannot
all pass the check: exactly the allowed number reach the password hasher.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from silkbridge.accounts.models import LoginThrottle

MAX_DOUBLINGS = 40  # 2**40 seconds is far above any ceiling; keeps the arithmetic finite


@dataclass(frozen=True)
class Scope:
    name: str
    free_failures: int
    max_delay_seconds: float


@dataclass(frozen=True)
class LoginAttempt:
    """An attempt the throttle let through (already counted as a failure), or one it refused."""

    email: str
    keys: dict[str, str]  # scope name -> key
    retry_at: datetime | None = None

    @property
    def is_refused(self) -> bool:
        return self.retry_at is not None


def _scopes() -> dict[str, Scope]:
    return {
        "account-client": Scope("account-client", settings.LOGIN_FREE_FAILURES, settings.LOGIN_MAX_DELAY_SECONDS),
        "client": Scope("client", settings.LOGIN_FREE_FAILURES_PER_CLIENT, settings.LOGIN_MAX_DELAY_SECONDS),
        "account": Scope(
            "account", settings.LOGIN_FREE_FAILURES_PER_ACCOUNT, settings.LOGIN_MAX_DELAY_PER_ACCOUNT_SECONDS
        ),
    }


def login_delay_seconds(*, failures: int, free_failures: int, base_seconds: float, max_seconds: float) -> float:
    """How long after the last failure the next attempt must wait (0 while failures are free)."""
    if failures < free_failures:
        return 0.0
    return float(min(base_seconds * 2 ** min(failures - free_failures, MAX_DOUBLINGS), max_seconds))


def _client_key(address: str) -> str:
    # An IPv6 user holds a whole /64; counting single addresses would give an attacker 2**64 of them.
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        # A dual-stack server sees IPv4 clients as ::ffff:a.b.c.d; grouped by /64 they would all be one.
        ip = ip.ipv4_mapped
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _keys(*, email: str, client_address: str | None) -> dict[str, str]:
    keys = {"account": f"account:{email}"}
    if client_address:
        client = _client_key(client_address)
        keys["client"] = f"client:{client}"
        keys["account-client"] = f"account-client:{email}|{client}"
    return keys


def _retry_at(row: LoginThrottle, scope: Scope, now: datetime) -> datetime | None:
    if row.last_failure_at is None:
        return None
    delay = login_delay_seconds(
        failures=row.failures,
        free_failures=scope.free_failures,
        base_seconds=settings.LOGIN_DELAY_BASE_SECONDS,
        max_seconds=scope.max_delay_seconds,
    )
    if delay <= 0:
        return None  # a free failure: never a wait, whatever the clocks of concurrent attempts say
    retry_at = row.last_failure_at + timedelta(seconds=delay)
    return retry_at if retry_at > now else None


def login_attempt_begin(*, email: str, client_address: str | None) -> LoginAttempt:
    """Let an attempt through (counting it as a failure until it succeeds) or refuse it with a time."""
    email = email.strip().lower()[:254]
    keys = _keys(email=email, client_address=client_address)
    scopes = _scopes()
    with transaction.atomic():
        rows = _locked_rows(keys=keys, email=email)
        # The time is read once the rows are ours: an attempt that waited for the lock must not compare
        # a clock read before the wait with a failure that a concurrent attempt stamped after it.
        now = timezone.now()
        forget_before = now - timedelta(seconds=settings.LOGIN_FORGET_AFTER_SECONDS)
        for row in rows.values():
            if row.last_failure_at is not None and row.last_failure_at < forget_before:
                row.failures = 0
        waits = [_retry_at(rows[key], scopes[name], now) for name, key in keys.items()]
        retry_at = max((wait for wait in waits if wait is not None), default=None)
        if retry_at is not None:
            return LoginAttempt(email=email, keys=keys, retry_at=retry_at)
        for row in rows.values():
            row.failures += 1
            row.last_failure_at = now
        LoginThrottle.objects.bulk_update(list(rows.values()), ["failures", "last_failure_at"])
    return LoginAttempt(email=email, keys=keys)


def _locked_rows(*, keys: dict[str, str], email: str) -> dict[str, LoginThrottle]:
    """The rows of these keys, created if missing, locked until the transaction ends (in key order,
    so that two attempts sharing keys never wait for each other in a circle)."""
    for _try in range(3):
        LoginThrottle.objects.bulk_create(
            [LoginThrottle(key=key, email=email if name != "client" else "") for name, key in keys.items()],
            ignore_conflicts=True,
        )
        rows = {
            row.key: row
            for row in LoginThrottle.objects.select_for_update().filter(key__in=keys.values()).order_by("key")
        }
        if len(rows) == len(keys):
            return rows
    # Only a clean-up deleting the same stale rows three times in a row gets here.
    raise RuntimeError("Login throttle rows could not be locked.")


def login_attempt_succeeded(*, attempt: LoginAttempt) -> None:
    """The password was right: clear the account's keys and give the client back its one count."""
    account_keys = [key for name, key in attempt.keys.items() if name != "client"]
    LoginThrottle.objects.filter(key__in=account_keys).update(failures=0, last_failure_at=None)
    if "client" in attempt.keys:
        # A client's successes must not wash out its failures on other accounts: refund, never reset.
        LoginThrottle.objects.filter(key=attempt.keys["client"]).update(failures=Greatest(F("failures") - 1, Value(0)))
    _forget_old_rows()


def login_throttle_lift(*, email: str) -> int:
    """Lift every delay of an account (after a completed password reset); the number of keys cleared."""
    return LoginThrottle.objects.filter(email=email.strip().lower()).update(failures=0, last_failure_at=None)


def _forget_old_rows() -> None:
    cutoff = timezone.now() - timedelta(seconds=settings.LOGIN_FORGET_AFTER_SECONDS)
    LoginThrottle.objects.filter(last_failure_at__lt=cutoff).delete()
    LoginThrottle.objects.filter(last_failure_at__isnull=True, failures=0).delete()


def login_wait_message(*, retry_at: datetime) -> str:
    """What a refused user reads: how long to wait, until when (in their time zone), and the way out."""
    seconds = max(1, math.ceil((retry_at - timezone.now()).total_seconds()))
    if seconds <= 30:
        wait = ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    else:
        minutes = math.ceil(seconds / 60)
        wait = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    local = timezone.localtime(retry_at)
    return _(
        "Too many failed sign-in attempts. You may try again in %(wait)s (at %(time)s), or reset your password."
    ) % {"wait": wait, "time": local.strftime("%H:%M:%S ") + (local.tzname() or "")}
