"""The deals' mails to users are notifications: they are in the notification centre and each kind's
e-mail follows the user's settings (reviewer appointments, decisions, calls' openings and grievances)."""

from __future__ import annotations

import pytest
from django.core import mail

from silkbridge.accounts.tests.factories import PASSWORD
from silkbridge.deals.services import calls as call_services
from silkbridge.deals.services import reviews as review_services
from silkbridge.deals.tests.calls.factories import (
    calling_body,
    member_of_new_company,
    pass_deadline,
    published_call,
    submit,
)
from silkbridge.deals.tests.reviews.factories import world
from silkbridge.notifications.choices import NotificationKind
from silkbridge.notifications.models import Notification
from silkbridge.notifications.services import notification_settings_update

pytestmark = pytest.mark.django_db


def _email_off(user, kind):
    notification_settings_update(
        user=user, email_kinds=[other for other in NotificationKind.values if other != kind], weekly_digest=False
    )


def test_an_appointed_reviewer_finds_it_in_the_notification_centre_and_by_email(
    client, django_capture_on_commit_callbacks
):
    w = world()
    with django_capture_on_commit_callbacks(execute=True):
        assignment = review_services.reviewer_appoint(actor=w.chair, proposal=w.proposal, reviewer=w.alice)
    assert [message.to for message in mail.outbox] == [[w.alice.email]]
    notification = Notification.objects.get(recipient=w.alice)
    assert notification.kind == NotificationKind.REVIEW_ASSIGNED
    assert notification.url.endswith(f"/deals/reviews/{assignment.pk}/")
    client.login(email=w.alice.email, password=PASSWORD)
    centre = client.get("/notifications/").content.decode()
    assert f"You are appointed to review: {w.proposal.title}" in centre


def test_a_reviewer_who_turned_off_that_email_is_told_in_app_only(django_capture_on_commit_callbacks):
    w = world()
    _email_off(w.alice, NotificationKind.REVIEW_ASSIGNED)
    with django_capture_on_commit_callbacks(execute=True):
        review_services.reviewer_appoint(actor=w.chair, proposal=w.proposal, reviewer=w.alice)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=w.alice, kind=NotificationKind.REVIEW_ASSIGNED).count() == 1


def test_submitters_are_told_of_the_opening_and_may_turn_off_its_email(django_capture_on_commit_callbacks):
    actor, issuer = calling_body()
    call = published_call(actor, issuer)
    told, told_company = member_of_new_company(name_en="Alpha Cloud")
    quiet, quiet_company = member_of_new_company(name_en="Beta Cloud")
    submit(call, told_company, price="10.00", currency="PKR")
    submit(call, quiet_company, price="12.00", currency="PKR")
    pass_deadline(call)
    _email_off(quiet, NotificationKind.CALL)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_services.call_open(actor=actor, call=call, attendees=["A. Khan"])
    assert [message.to for message in mail.outbox] == [[told.email]]
    for user in (told, quiet):
        assert Notification.objects.filter(recipient=user, kind=NotificationKind.CALL).count() == 1
