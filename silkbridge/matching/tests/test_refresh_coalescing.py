"""A profile's refreshes are coalesced: saving it again and again queues one refresh, not one per save,
and a save made while its refresh runs is still reflected in the stored matches when the run ends."""

from __future__ import annotations

import pytest
from django_tasks import default_task_backend

from silkbridge.core.models import Run
from silkbridge.marketplace import services as marketplace
from silkbridge.marketplace.tests.factories import XRAY_OFFER_ZH, XRAY_REQUEST_EN, draft, member, published
from silkbridge.matching import services, tasks
from silkbridge.matching.models import Match

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings):
    """Tasks are queued for a worker and not run, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


def _refreshes_queued(backend) -> list[list]:
    return [list(result.args) for result in backend.results if result.task.name == "refresh_matches"]


def test_ten_saves_of_a_draft_queue_one_refresh(queued, django_capture_on_commit_callbacks):
    owner, organisation = member(country="CN")
    profile = draft(organisation, owner, **XRAY_OFFER_ZH)
    queued.clear()
    Run.objects.filter(kind="matching.refresh").delete()
    for number in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            marketplace.opportunity_update(actor=owner, opportunity=profile, fields={"summary": f"Version {number}"})
    [run] = Run.objects.filter(kind="matching.refresh")
    assert (run.status, run.exclusive_key) == ("queued", f"matching.refresh:{profile.pk}")
    assert _refreshes_queued(queued) == [[run.pk, profile.pk]]

    # While that refresh runs, ten more saves queue nothing either: they make it run once more.
    saves_during_the_run = []
    real_refresh = services.refresh

    def refresh_while_the_owner_saves(opportunity_id: int, **options):
        if not saves_during_the_run:
            for number in range(10):
                with django_capture_on_commit_callbacks(execute=True):
                    marketplace.opportunity_update(
                        actor=owner, opportunity=profile, fields={"summary": f"During the run {number}"}
                    )
            saves_during_the_run.append(Run.objects.get(pk=run.pk).rerun_requested)
        return real_refresh(opportunity_id, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "refresh", refresh_while_the_owner_saves)
        tasks.refresh_matches.call(run.pk, profile.pk)
    assert saves_during_the_run == [True]
    assert _refreshes_queued(queued) == [[run.pk, profile.pk]]  # still the one task for twenty saves
    run.refresh_from_db()
    assert (run.status, run.rerun_requested, Run.objects.filter(kind="matching.refresh").count()) == (
        "succeeded",
        False,
        1,
    )


def test_a_save_made_while_the_refresh_runs_is_in_the_stored_matches_when_it_ends(
    queued, django_capture_on_commit_callbacks
):
    request = published(**XRAY_REQUEST_EN)
    owner, organisation = member(country="CN")
    offer = published(organisation, owner, **XRAY_OFFER_ZH)
    assert Match.objects.filter(opportunity=request, other=offer).exists()
    queued.clear()
    Run.objects.filter(kind="matching.refresh").delete()
    with django_capture_on_commit_callbacks(execute=True):
        marketplace.opportunity_renew(actor=owner, opportunity=offer)
    [run] = Run.objects.filter(kind="matching.refresh", status="queued")

    passes: list[str] = []
    real_refresh = services.refresh

    def refresh_during_which_the_owner_edits(opportunity_id: int, **options):
        result = real_refresh(opportunity_id, **options)
        passes.append("refresh")
        if len(passes) == 1:
            # The first pass has read and stored the matches; now the owner edits the published
            # profile, which sends it back to review: it must leave every list.
            with django_capture_on_commit_callbacks(execute=True):
                marketplace.opportunity_update(actor=owner, opportunity=offer, fields={"summary": "Now on premises"})
        return result

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "refresh", refresh_during_which_the_owner_edits)
        tasks.refresh_matches.call(run.pk, offer.pk)
    offer.refresh_from_db()
    run.refresh_from_db()
    assert offer.status == "under_review"
    assert passes == ["refresh", "refresh"]
    assert run.status == "succeeded"
    assert not Match.objects.filter(other=offer).exists()
    assert not Match.objects.filter(opportunity=offer).exists()
    assert len(_refreshes_queued(queued)) == 1  # the edit during the run was done by the same run
