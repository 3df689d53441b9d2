"""Issue 13, item 6: links in e-mails and .ics files use the address the site is served at
(SILKBRIDGE_SITE_URL), which `make run PORT=…` sets for the embedded mode."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import time
from pathlib import Path

import pytest
from django.core import mail

from silkbridge.deals.services import reviews as review_services
from silkbridge.deals.tests.reviews.factories import world
from silkbridge.events import calendar, services
from silkbridge.events.tests import ics
from silkbridge.events.tests.factories import EventFactory, in_days, register

REPOSITORY = Path(__file__).resolve().parents[3]
SITE = "https://silkbridge.example.org/platform"


def test_make_run_on_another_port_serves_links_at_that_port(tmp_path):
    """The run target's commands see SILKBRIDGE_SITE_URL=http://HOST:PORT (a stand-in `silkbridge`
    records it and stops make before anything is served)."""
    assert shutil.which("make"), "make is needed: `make run` is how the embedded mode starts"
    stand_in = tmp_path / "silkbridge"
    stand_in.write_text('#!/bin/sh\nprintf %s "$SILKBRIDGE_SITE_URL" > "$(dirname "$0")/site_url"\nexit 3\n')
    stand_in.chmod(0o755)
    environment = {key: value for key, value in os.environ.items() if key != "SILKBRIDGE_SITE_URL"}
    skipped = [option for target in ("install", "assets", "translations", "pdf") for option in ("-o", target)]
    finished = subprocess.run(
        ["make", "--no-print-directory", "run", "PORT=8123", f"BIN={tmp_path}", *skipped],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode != 0  # stopped by the stand-in, as planned
    assert (tmp_path / "site_url").read_text() == "http://127.0.0.1:8123"


@pytest.mark.django_db
def test_the_calendar_links_to_the_agenda_at_the_sites_address(settings):
    settings.SITE_URL = SITE
    event = EventFactory(slot_days=[in_days(10)], slot_start=time(10, 0), slot_end=time(11, 0), slot_tables=2)
    shanghai = register(event, country="CN", time_zone="Asia/Shanghai")
    karachi = register(event, country="PK")
    meeting_request = services.request_create(
        actor=shanghai.representatives.get(), requester=shanghai, recipient=karachi, message="Hello"
    )
    services.request_answer(actor=karachi.representatives.get(), meeting_request=meeting_request, accept=True)
    meeting_request.refresh_from_db()
    services.meeting_book(meeting_request=meeting_request, slot=event.slots.order_by("starts_at").first())
    parsed = ics.parse(calendar.participant_calendar(participant=shanghai))
    assert parsed["events"][0]["URL"] == f"{SITE}/events/{event.slug}/agenda/"


@pytest.mark.django_db
def test_an_email_links_to_the_sites_address(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = SITE
    w = world()
    with django_capture_on_commit_callbacks(execute=True):
        assignment = review_services.reviewer_appoint(actor=w.chair, proposal=w.proposal, reviewer=w.alice)
    assert f"{SITE}/deals/reviews/{assignment.pk}/" in mail.outbox[0].body
