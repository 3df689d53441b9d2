"""The weekly e-mail of new matches: each user of an organisation with a live profile gets the matches
found since their last digest (at most one a week), in their own language, with a one-click opt-out. It is an
opt-in: only users who ticked it in their notification settings get it.
`silkbridge matches digest` sends it; run it from cron once a day and it sends only where due."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from smtplib import SMTPException
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from silkbridge.core.i18n import content_language
from silkbridge.core.mail import send_now
from silkbridge.matching import selectors, services

logger = logging.getLogger(__name__)
WEEK = timedelta(days=7)
SALT = "silkbridge.matching.digest-opt-out"
MAX_ITEMS = 20


def opt_out_token(user: Any) -> str:
    return signing.dumps({"user": user.pk}, salt=SALT)


def user_for_token(token: str) -> int | None:
    """The user id a valid opt-out link names (links do not expire: opting out must always work)."""
    try:
        return int(signing.loads(token, salt=SALT)["user"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def digest_send(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    sent = skipped_opted_out = skipped_recent = nothing_new = failed = 0
    for user in services.users_with_live_profiles():
        if not services.digest_wanted(user=user):
            skipped_opted_out += 1
            continue
        subscription = services.digest_subscription(user=user)
        if subscription.last_sent_at is not None and now - subscription.last_sent_at < WEEK - timedelta(hours=12):
            skipped_recent += 1
            continue
        since = subscription.last_sent_at or now - WEEK
        new_matches = selectors.new_matches_of_user(user=user, since=since)
        matches = list(new_matches[:MAX_ITEMS])
        if not matches:
            nothing_new += 1
            continue
        more = new_matches.count() - len(matches)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            language = content_language(translation.get_language())
        labels = selectors.glossary()
        items = [
            {
                "match": match,
                "reasons": selectors.reasons_text(match.reasons, language, labels=labels)[:3],
                "link": settings.SITE_URL + reverse("matching:profile_matches", kwargs={"pk": match.opportunity_id}),
            }
            for match in matches
        ]
        opt_out = settings.SITE_URL + reverse("matching:digest_opt_out", kwargs={"token": opt_out_token(user)})
        context = {
            "items": items,
            "opt_out": opt_out,
            "count": len(items) + more,
            "more": more,
            "all_matches": settings.SITE_URL + reverse("matching:dashboard"),
        }
        try:
            send_now(users=[user], template="matching/email/digest.txt", context=context)
        except (OSError, SMTPException):
            # One unreachable mailbox must not stop everyone else's digest; it is tried again next run.
            logger.exception("digest to user %s failed", user.pk)
            failed += 1
            continue
        subscription.last_sent_at = now
        subscription.save(update_fields=["last_sent_at"])
        sent += 1
    return {
        "sent": sent,
        "opted_out": skipped_opted_out,
        "sent_less_than_a_week_ago": skipped_recent,
        "nothing_new": nothing_new,
        "failed": failed,
    }
