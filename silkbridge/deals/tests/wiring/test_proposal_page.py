"""The proposal page: the submitter reads the decision, its reasons and the consolidated comments once
the call's decision takes effect, and never a reviewer's name or e-mail (the committee's history rows
are left out, and the status stays "Submitted" until then); the calling body's staff read those rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from silkbridge.deals.choices import Decision
from silkbridge.deals.models import Call
from silkbridge.deals.services import calls as calls_services
from silkbridge.deals.services import reviews as services
from silkbridge.deals.tests.reviews.factories import review, world

pytestmark = pytest.mark.django_db

REVIEWER_TRACES = ("Alice Reviewer", "Bob Reviewer", "alice.reviewer@cda.example", "bob.reviewer@cda.example")


def test_the_submitter_reads_the_feedback_without_reviewer_names_and_staff_read_the_committees_rows(client):
    w = world()
    approach, team, timeline = w.criteria
    review(w.chair, w.proposal, w.alice, {approach: 4, team: 3, timeline: 5}, comment="Alice says")
    review(w.chair, w.proposal, w.bob, {approach: 2, team: 3, timeline: 4}, comment="Bob says")
    services.decision_record(actor=w.chair, proposal=w.proposal, decision=Decision.APPROVE, reasons="Sound design.")
    calls_services.call_open(actor=w.chair, call=w.call, attendees=["A. Khan, CDA"])
    calls_services.report_publish(actor=w.chair, call=w.call, grievance_days=1)
    url = reverse("deals:proposal_detail", kwargs={"reference": w.proposal.reference})

    client.force_login(w.submitter)
    before = client.get(url).content.decode()
    assert "badge-status-submitted" in before
    assert "Sound design." not in before
    assert 'id="feedback-title"' not in before

    Call.objects.filter(pk=w.call.pk).update(grievances_until=timezone.now() - timedelta(seconds=1))
    w.call.refresh_from_db()
    calls_services.call_decide(actor=w.chair, call=w.call)
    page = client.get(url).content.decode()
    assert "badge-status-approved" in page
    assert 'id="feedback-title"' in page
    assert "Sound design." in page
    assert "Alice says on Technical approach" in page
    assert "Bob says on Timeline" in page
    for trace in (*REVIEWER_TRACES, w.chair.email, "Reviewer appointed", "Review submitted"):
        assert trace not in page

    client.force_login(w.chair)
    staff_page = client.get(url).content.decode()
    assert "Reviewer appointed" in staff_page
    assert "Review submitted" in staff_page
