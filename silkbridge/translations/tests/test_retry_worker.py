"""Retries with a growing wait, through the real database task queue and its worker: a translation server
that fails leaves the save done and the translation queued again for later; once the server answers, the
next run of the worker stores the translation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from silkbridge.marketplace import services
from silkbridge.marketplace.models import Opportunity
from silkbridge.marketplace.tests.factories import CROP_REQUEST_UR, member
from silkbridge.translations.models import Translation
from silkbridge.translations.tests.servers import LibreTranslateHandler, serving

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.mark.django_db(transaction=True)  # the worker reads what the save committed
def test_a_failing_server_is_retried_later_and_the_translation_arrives(settings):
    settings.TASKS = DATABASE_TASKS
    with serving(LibreTranslateHandler) as server:
        settings.MT_BACKEND, settings.MT_URL, settings.MT_API_KEY = "libretranslate", server.url, ""
        settings.MT_TIMEOUT_SECONDS, settings.MT_RETRY_SECONDS = 5, (30, 120)
        server.mode = "fail"
        user, organisation = member()
        opportunity = services.opportunity_create(actor=user, organisation=organisation, fields=CROP_REQUEST_UR)
        assert Opportunity.objects.filter(pk=opportunity.pk).exists()  # saved, whatever the server does
        assert server.requests == []  # nothing was sent while saving

        _worker()
        assert len(server.requests) == 4  # title and description, into English and Chinese
        waiting = DBTaskResult.objects.filter(status="READY")
        assert waiting.count() == 4
        for row in waiting:
            assert row.args_kwargs["kwargs"]["attempt"] == 2
            assert row.run_after > timezone.now() + timedelta(seconds=25)  # after the first wait, not at once
        assert not Translation.objects.exists()

        server.mode = "ok"
        waiting.update(run_after=timezone.now() - timedelta(seconds=1))  # the wait is over
        _worker()
    assert set(Translation.objects.values_list("field", "language")) == {
        ("title", "en"),
        ("title", "zh"),
        ("description", "en"),
        ("description", "zh"),
    }
