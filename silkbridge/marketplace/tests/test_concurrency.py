"""Two answers to one expression of interest, and two staff reviews of one profile, at the same moment.

Exactly one wins; the other gets the service's ValidationError, and nothing is half-written: one
status, one answer, one review row, one e-mail. On PostgreSQL (CI's second pass) the writes run in
concurrent threads, each with its own connection, and the row lock (select_for_update) decides.
"""

from __future__ import annotations

import pytest
from django.core import mail

from silkbridge.accounts.tests.factories import StaffFactory
from silkbridge.core.tests.races import WON, race
from silkbridge.marketplace import services
from silkbridge.marketplace.models import ExpressionOfInterest, Opportunity, ReviewComment
from silkbridge.marketplace.tests.factories import XRAY_OFFER_ZH, draft, member, published

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """A transactional test empties every table when it ends (pytest-django runs these tests after
    all others), so each one loads the taxonomy, glossary, zones and organisations it reads first."""
    from silkbridge.conftest import reference_data_load

    reference_data_load()


@pytest.fixture(autouse=True)
def _tasks_kept_for_later(settings):
    # Approving a profile queues the refresh of its matches; the races are about the review itself,
    # so the queued task is kept (the dummy backend) instead of computing matches in every thread.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_an_accept_and_a_decline_at_once_give_one_answer(settings):
    owner, organisation = member(country="CN")
    offer = published(organisation, owner, refresh=False, **XRAY_OFFER_ZH)
    sender, sender_organisation = member()
    interest = services.interest_express(
        actor=sender, organisation=sender_organisation, opportunity=offer, message="We want to license this."
    )
    mail.outbox.clear()
    # The answer's e-mail is a task: here it runs in the thread whose answer commits.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    outcomes = race(
        lambda: services.interest_answer(actor=owner, interest=interest, accept=True),
        lambda: services.interest_answer(actor=owner, interest=interest, accept=False, reason="not_our_field"),
    )

    assert sorted(outcomes) == sorted([WON, "This expression of interest has already been answered."])
    interest.refresh_from_db()
    assert interest.status == ("accepted" if outcomes[0] == WON else "declined")
    assert interest.decline_reason == ("" if outcomes[0] == WON else "not_our_field")
    assert interest.answered_by == owner
    assert [message.to for message in mail.outbox] == [[sender.email]]  # one answer, told once
    assert ExpressionOfInterest.objects.filter(opportunity=offer).count() == 1


def test_an_approval_and_a_send_back_at_once_give_one_review():
    owner, organisation = member()
    profile = draft(organisation, owner, **XRAY_OFFER_ZH)
    services.opportunity_submit(actor=owner, opportunity=profile)
    first, second = StaffFactory(), StaffFactory()

    outcomes = race(
        lambda: services.opportunity_review(actor=first, opportunity=profile, decision="approve"),
        lambda: services.opportunity_review(
            actor=second, opportunity=profile, decision="request_changes", comment="Add the TRL evidence."
        ),
    )

    assert sorted(outcomes) == sorted([WON, "This profile is not waiting for review."])
    (review,) = ReviewComment.objects.filter(opportunity=profile)
    profile = Opportunity.objects.get(pk=profile.pk)
    if outcomes[0] == WON:
        assert (review.decision, review.author, profile.status) == ("approve", first, "published")
        assert profile.published_at is not None
    else:
        assert (review.decision, review.author, profile.status) == ("request_changes", second, "draft")
        assert profile.published_at is None
