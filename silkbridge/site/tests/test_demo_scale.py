"""`silkbridge demo scale`: the shape a user notices, on a small size (a few seconds)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count

from silkbridge.accounts.models import User
from silkbridge.datacenters.models import Assessment
from silkbridge.deals.models import Deal, DealEvent, DealParty, Mou
from silkbridge.directory.models import Organisation, OrganisationSearchToken
from silkbridge.directory.search import search_index_current
from silkbridge.directory.selectors import organisation_list
from silkbridge.events.models import Booking, Event, Meeting, MeetingRating, MeetingRequest, Participant, Slot
from silkbridge.marketplace.models import ExpressionOfInterest, Opportunity
from silkbridge.matching.models import Match, MatchFeedback

pytestmark = pytest.mark.django_db

SMALL = ["--organisations", "300", "--profiles", "900", "--events", "2", "--participants-per-event", "40"]
TINY = ["--organisations", "40", "--profiles", "60", "--events", "1", "--participants-per-event", "10"]


def run(*arguments: str) -> str:
    out = io.StringIO()
    call_command("demo", "scale", *arguments, stdout=out)
    return out.getvalue()


def stored() -> dict[str, int]:
    """The rows of every table the generator writes to."""
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "profiles": Opportunity.objects.count(),
        "matches": Match.objects.count(),
        "events": Event.objects.count(),
        "participants": Participant.objects.count(),
        "meetings": Meeting.objects.count(),
        "deals": Deal.objects.count(),
        "mous": Mou.objects.count(),
        "assessments": Assessment.objects.count(),
    }


def snapshot() -> dict[str, Any]:
    """What the data says, without database ids."""
    scale = Organisation.objects.filter(key__startswith="scale-")
    return {
        "organisations": sorted(scale.values_list("key", "kind", "name_en", "name_local", "country", "city")),
        "profiles": sorted(
            Opportunity.objects.filter(organisation__key__startswith="scale-").values_list(
                "organisation__key", "kind", "status", "title", "trl", "created_at"
            )
        ),
        "meetings": sorted(
            Meeting.objects.values_list(
                "slot__starts_at",
                "table",
                "status",
                "request__requester__organisation__key",
                "request__recipient__organisation__key",
            )
        ),
        "deals": sorted(
            Deal.objects.filter(reference__startswith="SCALE-").values_list("reference", "stage", "stage_changed_at")
        ),
    }


class _Rollback(Exception):
    pass


def test_scale_fills_every_table_with_the_counts_asked_and_a_realistic_shape() -> None:
    out = run(*SMALL, "--seed", "5")

    scale = Organisation.objects.filter(key__startswith="scale-")
    assert scale.count() == 300
    assert Opportunity.objects.filter(organisation__key__startswith="scale-").count() == 900
    assert Event.objects.filter(slug__startswith="scale-").count() == 2
    assert Participant.objects.filter(event__slug__startswith="scale-").count() == 80
    assert Slot.objects.filter(event__slug__startswith="scale-").count() == 32
    # The counts it reports are those stored, table by table.
    reported = {
        "directory.Organisation": scale.count(),
        "directory.OrganisationSearchToken": OrganisationSearchToken.objects.filter(
            document__key__startswith="scale-"
        ).count(),
        "marketplace.Opportunity": 900,
        "marketplace.ExpressionOfInterest": ExpressionOfInterest.objects.filter(
            organisation__key__startswith="scale-"
        ).count(),
        "matching.Match": Match.objects.filter(opportunity__organisation__key__startswith="scale-").count(),
        "matching.MatchFeedback": MatchFeedback.objects.filter(user__email__startswith="scale-").count(),
        "events.MeetingRequest": MeetingRequest.objects.filter(event__slug__startswith="scale-").count(),
        "events.Meeting": Meeting.objects.filter(event__slug__startswith="scale-").count(),
        "events.Booking": Booking.objects.filter(meeting__event__slug__startswith="scale-").count(),
        "events.MeetingRating": MeetingRating.objects.filter(meeting__event__slug__startswith="scale-").count(),
        "deals.Deal": Deal.objects.filter(reference__startswith="SCALE-").count(),
        "deals.DealParty": DealParty.objects.filter(deal__reference__startswith="SCALE-").count(),
        "deals.DealEvent": DealEvent.objects.filter(deal__reference__startswith="SCALE-").count(),
        "deals.Mou": Mou.objects.filter(reference__startswith="SCALE-").count(),
        "datacenters.Assessment": Assessment.objects.filter(reference__startswith="SCALE-").count(),
    }
    for table, count in reported.items():
        assert f'"{table}": {count},' in out or f'"{table}": {count}\n' in out, table
        assert count > 0, table
    assert "fictional demo data" in out

    # Everything that can say so is marked as demo data.
    assert not scale.filter(is_demo=False).exists()
    assert not Opportunity.objects.filter(organisation__key__startswith="scale-", is_demo=False).exists()
    # Most organisations are Chinese or Pakistani, with a tail elsewhere; Chinese ones named in Chinese.
    countries = dict(scale.values_list("country").annotate(count=Count("id")))
    assert countries["CN"] + countries["PK"] > 0.75 * 300
    assert len(countries) > 4
    assert not scale.filter(country="CN").exclude(language="zh").exists()
    assert not scale.filter(country="CN", name_local="").exists()
    # Every status and type of profile, every stage of a deal, meetings held, missed and ahead.
    profiles = Opportunity.objects.filter(organisation__key__startswith="scale-")
    assert set(profiles.values_list("status", flat=True)) == {"draft", "under_review", "published", "expired", "closed"}
    assert len(set(profiles.values_list("kind", flat=True))) == 7
    assert set(Deal.objects.filter(reference__startswith="SCALE-").values_list("stage", flat=True)) == {
        "lead", "proposal", "under_review", "approved", "mou_drafting", "vetting", "signed", "implementation",
        "declined", "withdrawn", "stalled",
    }  # fmt: skip
    assert {"checked_in", "no_show", "scheduled"} <= set(Meeting.objects.values_list("status", flat=True))
    assert Mou.objects.filter(reference__startswith="SCALE-", status="signed", sealed_at__isnull=False).exists()
    assert MeetingRating.objects.filter(outcome="cooperation_possible").exists()
    # No participant and no table is booked twice in a slot; each meeting books both sides.
    assert not Booking.objects.values("participant", "slot").annotate(n=Count("id")).filter(n__gt=1).exists()
    tables = Meeting.objects.filter(table__isnull=False).values("slot", "table").annotate(n=Count("id"))
    assert not tables.filter(n__gt=1).exists()
    assert not Meeting.objects.annotate(n=Count("bookings")).exclude(n=2).exists()
    # The search finds the new organisations, and the index is current.
    assert search_index_current()
    one = scale.filter(visibility="public").order_by("key").first()
    assert one is not None
    assert one in organisation_list(viewer=None, query=one.name_en.split()[-1])


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data() -> None:
    snapshots = []
    for seed in ("3", "3", "4"):
        try:
            with transaction.atomic():
                run(*TINY, "--seed", seed)
                snapshots.append(snapshot())
                raise _Rollback
        except _Rollback:
            pass
    assert snapshots[0] == snapshots[1]
    assert snapshots[0]["organisations"] != snapshots[2]["organisations"]


def test_a_second_run_is_refused_and_adds_nothing() -> None:
    run(*TINY)
    before = stored()
    with pytest.raises(CommandError, match="already holds scale demo data \\(40 organisations\\)"):
        run(*TINY, "--seed", "2", "--force")
    assert stored() == before


def test_a_database_with_users_data_is_refused_unless_forced() -> None:
    Organisation.objects.create(key="real-company", kind="company", name_en="Real Company", country="PK")
    before = stored()
    with pytest.raises(CommandError, match=r"not demo data \(1 organisations, 0 opportunity profiles\).*--force"):
        run(*TINY)
    assert stored() == before
    run(*TINY, "--force")
    assert Organisation.objects.filter(key__startswith="scale-").count() == 40


def test_impossible_sizes_are_refused_and_store_nothing() -> None:
    before = stored()
    with pytest.raises(CommandError, match="--participants-per-event must not exceed --organisations"):
        run("--organisations", "5", "--profiles", "5", "--events", "1", "--participants-per-event", "6")
    with pytest.raises(CommandError, match="must be at least 1"):
        run("--organisations", "0", "--profiles", "5", "--events", "1", "--participants-per-event", "1")
    assert stored() == before
