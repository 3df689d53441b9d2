"""Delegation visits across cities: the itinerary's rules, the scheduler never placing a member in two
cities at once, legs blocking every member's slots, refusals that name the field and change nothing,
who sees a zone site visit, and each person's agenda in its language and local time."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.events import calendar, services, visit_selectors, visit_services
from silkbridge.events.models import Meeting, SiteVisit, VisitLeg, VisitStop
from silkbridge.events.tests.delegation import (
    BEIJING,
    PKT,
    accepted,
    at,
    delegation_event,
    host,
    member,
    plan_itinerary,
)
from silkbridge.events.tests.scheduling import schedule_run_now
from silkbridge.zones.models import Zone
from silkbridge.zones.relocation_services import RelocationRequestData, relocation_request_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit():
    event, days = delegation_event()
    plan_itinerary(event, days)
    return event, days


def _slot(event, day, hour):
    return event.slots.get(starts_at=at(day, hour))


def test_the_scheduler_places_each_meeting_in_its_hosts_city_and_never_two_cities_at_once(visit):
    event, _days = visit
    chinese = [member(event), member(event)]
    hosts = {city: host(event, city) for city in ("Islamabad", "Lahore", "Karachi")}
    requests = {(m.pk, city): accepted(m, h) for m in chinese for city, h in hosts.items()}

    run = schedule_run_now(actor=StaffFactory(), event=event)
    assert run.placed == 6
    stop_of_city = {stop.city: stop for stop in VisitStop.objects.filter(event=event)}
    for (_member_pk, city), meeting_request in requests.items():
        slot = Meeting.objects.get(request=meeting_request).slot
        stop = stop_of_city[city]
        # the whole slot lies in the host's city, while the delegation is there
        assert stop.arrives_at <= slot.starts_at, (city, slot.starts_at)
        assert slot.ends_at <= stop.leaves_at, (city, slot.starts_at)
    for chinese_member in chinese:
        slots = [m.slot for m in Meeting.objects.filter(bookings__participant=chinese_member)]
        assert len({slot.pk for slot in slots}) == 3  # one place at a time


def test_a_meeting_booked_by_hand_in_another_city_is_refused_and_nothing_is_written(visit):
    event, days = visit
    chinese, lahore = member(event), host(event, "Lahore")
    meeting_request = accepted(chinese, lahore)
    with pytest.raises(ValidationError) as error:
        services.meeting_book(meeting_request=meeting_request, slot=_slot(event, days[0], 11))
    assert "in Islamabad at this time, not in Lahore" in error.value.message_dict["slot"][0]
    assert not Meeting.objects.filter(event=event).exists()
    # in Lahore it is booked
    assert services.meeting_book(meeting_request=meeting_request, slot=_slot(event, days[1], 11)).slot.starts_at == at(
        days[1], 11
    )


def test_legs_block_the_slots_of_every_member_and_not_of_the_hosts(visit):
    event, days = visit
    first, second, lahore = member(event), member(event), host(event, "Lahore")
    accepted(first, lahore)
    instance = services.schedule_instance(event)
    available = {entry["id"]: set(entry["available"]) for entry in instance["participants"]}
    on_the_road = f"s{_slot(event, days[1], 9).pk}"  # 09:00–10:00 on day 2: flying Islamabad → Lahore
    landing = f"s{_slot(event, days[2], 9).pk}"  # 09:00–10:00 on day 3: landing in Karachi at 09:45
    for chinese in (first, second):
        assert on_the_road not in available[f"p{chinese.pk}"]
        assert landing not in available[f"p{chinese.pk}"]
    assert on_the_road in available[f"p{lahore.pk}"]
    # the request may only use Lahore's slots: day 2 from 10:00, nothing on days 1 and 3
    allowed = {slot for entry in instance["requests"] for slot in entry["slots"]}
    assert allowed == {f"s{_slot(event, days[1], hour).pk}" for hour in range(10, 17)}


def test_a_site_visit_over_a_booked_meeting_is_refused(visit):
    event, days = visit
    chinese, karachi = member(event), host(event, "Karachi")
    services.meeting_book(meeting_request=accepted(chinese, karachi), slot=_slot(event, days[2], 15))
    with pytest.raises(ValidationError) as error:
        visit_services.site_visit_add(
            actor=event.created_by, event=event, zone_key="karachi-education-city-stz",
            starts_at=at(days[2], 14, 30), minutes=60, attendee_ids=[chinese.pk],
        )  # fmt: skip
    assert "already has a meeting at this time" in error.value.message_dict["starts_at"][0]
    assert not SiteVisit.objects.exists()


@pytest.mark.parametrize(
    ("call", "field", "words"),
    [
        ("leg_backwards", "arrives_at", "arrives before it departs"),
        ("leg_unknown_city", "to_city", "“Atlantis” is not a city"),
        ("stop_unknown_city", "city", "“Atlantis” is not a city"),
        ("stop_overlapping", "arrives_at", "in Lahore at this time already"),
        ("stop_backwards", "leaves_at", "leave the city after it arrives"),
        ("leg_during_stop", "departs_at", "still in Lahore"),
    ],
)
def test_bad_itinerary_input_names_the_field_and_changes_nothing(visit, call, field, words):
    event, days = visit
    staff = event.created_by
    before = (VisitStop.objects.count(), VisitLeg.objects.count())
    calls = {
        "leg_backwards": lambda: visit_services.leg_add(
            actor=staff, event=event, from_city="Karachi", to_city="Beijing",
            departs_at=at(days[2], 23), arrives_at=at(days[2], 21),
        ),
        "leg_unknown_city": lambda: visit_services.leg_add(
            actor=staff, event=event, from_city="Karachi", to_city="Atlantis",
            departs_at=at(days[2], 21), arrives_at=at(days[2], 23),
        ),
        "stop_unknown_city": lambda: visit_services.stop_add(
            actor=staff, event=event, city="Atlantis", arrives_at=at(days[2], 21), leaves_at=at(days[2], 23)
        ),
        "stop_overlapping": lambda: visit_services.stop_add(
            actor=staff, event=event, city="Faisalabad", arrives_at=at(days[1], 15), leaves_at=at(days[1], 18)
        ),
        "stop_backwards": lambda: visit_services.stop_add(
            actor=staff, event=event, city="Quetta", arrives_at=at(days[2], 23), leaves_at=at(days[2], 21)
        ),
        "leg_during_stop": lambda: visit_services.leg_add(
            actor=staff, event=event, from_city="Lahore", to_city="Faisalabad",
            departs_at=at(days[1], 12), arrives_at=at(days[1], 14),
        ),
    }  # fmt: skip
    with pytest.raises(ValidationError) as error:
        calls[call]()
    assert words in " ".join(error.value.message_dict[field])
    assert (VisitStop.objects.count(), VisitLeg.objects.count()) == before


def test_only_staff_plan_the_itinerary(visit):
    event, days = visit
    chinese = member(event)
    with pytest.raises(PermissionDenied):
        visit_services.stop_add(
            actor=chinese.representatives.first(), event=event, city="Quetta",
            arrives_at=at(days[2], 21), leaves_at=at(days[2], 23),
        )  # fmt: skip
    assert not VisitStop.objects.filter(city="Quetta").exists()


# --- site visits, relocation requests and who sees them ---------------------------------------------------


@pytest.fixture
def zone_world(visit):
    """The company of a delegation member files a request shared with Lahore Technopolis only;
    Islamabad Technopolis's developer has a member too."""
    event, days = visit
    chinese = member(event)
    company_user = chinese.representatives.first()
    lahore = Zone.objects.get(key="lahore-technopolis")
    islamabad = Zone.objects.get(key="islamabad-technopolis")
    for zone in (lahore, islamabad):
        zone.organisation = OrganisationFactory.create(kind="zone_developer", country="PK", city=zone.city)
        zone.save(update_fields=["organisation"])
    lahore_user = MembershipFactory(organisation=lahore.organisation).user
    islamabad_user = MembershipFactory(organisation=islamabad.organisation).user
    request = relocation_request_create(
        actor=company_user,
        organisation=chinese.organisation,
        data=RelocationRequestData(title="Drone plant", shared_with=["lahore-technopolis"]),
    )
    return {
        "event": event, "days": days, "member": chinese, "company_user": company_user, "lahore": lahore,
        "lahore_user": lahore_user, "islamabad_user": islamabad_user, "request": request,
    }  # fmt: skip


def test_the_zone_authority_plans_a_site_visit_for_its_case_and_only_the_request_s_readers_see_it(zone_world):
    w = zone_world
    visit = visit_services.site_visit_add(
        actor=w["lahore_user"], event=w["event"], zone_key="lahore-technopolis", starts_at=at(w["days"][1], 14),
        minutes=120, relocation_request_id=w["request"].pk, contact="Site office, +92 42 0000 0000 (fictional)",
    )  # fmt: skip
    assert list(visit.attendees.all()) == [w["member"]]  # the request's company goes
    for reader in (w["company_user"], w["lahore_user"], StaffFactory()):
        assert list(visit_selectors.site_visits_for_request(viewer=reader, relocation_request_id=w["request"].pk)) == [
            visit
        ]
    # a zone the request is not shared with, and another delegation member's company, see nothing
    other = member(w["event"]).representatives.first()
    for outsider in (w["islamabad_user"], other):
        assert not visit_selectors.site_visits_visible(viewer=outsider).filter(pk=visit.pk).exists()
    # unsharing hides it from the zone at once
    w["request"].shared_with.clear()
    assert not visit_selectors.site_visits_visible(viewer=w["lahore_user"]).filter(pk=visit.pk).exists()
    # and the visit blocks the member's slots: no meeting can be booked during it
    lahore_host = host(w["event"], "Lahore")
    with pytest.raises(ValidationError) as error:
        services.meeting_book(
            meeting_request=accepted(w["member"], lahore_host), slot=_slot(w["event"], w["days"][1], 14)
        )
    assert "site visit" in error.value.message_dict["slot"][0]


def test_a_zone_not_shared_with_cannot_plan_a_visit_for_the_request(zone_world):
    w = zone_world
    with pytest.raises(PermissionDenied):
        visit_services.site_visit_add(
            actor=w["islamabad_user"], event=w["event"], zone_key="islamabad-technopolis",
            starts_at=at(w["days"][0], 14), minutes=60, relocation_request_id=w["request"].pk,
        )  # fmt: skip
    assert not SiteVisit.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"zone_key": "atlantis-stz"}, "zone", "“atlantis-stz” is not a zone"),
        ({"starts_at_day": 0}, "starts_at", "in Islamabad at this time, and Lahore Technopolis is in Lahore"),
        ({"attendee": "host"}, "attendees", "is not a member of this delegation"),
        ({"attendee": "stranger"}, "attendees", "is not a member of this delegation"),
        ({"minutes": 5}, "minutes", "between 15 minutes and 12 hours"),
    ],
)
def test_bad_site_visit_input_names_the_field_and_changes_nothing(zone_world, change, field, words):
    w = zone_world
    other_event_participant = member(delegation_event(days_ahead=40)[0])
    attendee = {"host": host(w["event"], "Lahore").pk, "stranger": other_event_participant.pk}.get(
        change.get("attendee")
    )
    with pytest.raises(ValidationError) as error:
        visit_services.site_visit_add(
            actor=StaffFactory(), event=w["event"], zone_key=change.get("zone_key", "lahore-technopolis"),
            starts_at=at(w["days"][change.get("starts_at_day", 1)], 14), minutes=change.get("minutes", 60),
            attendee_ids=[attendee] if attendee else [],
        )  # fmt: skip
    assert words in " ".join(error.value.message_dict[field])
    assert not SiteVisit.objects.exists()


def test_a_request_whose_company_is_not_in_the_delegation_is_refused(zone_world):
    w = zone_world
    outsider = MembershipFactory(organisation=OrganisationFactory(country="CN"))
    request = relocation_request_create(
        actor=outsider.user, organisation=outsider.organisation,
        data=RelocationRequestData(title="Other plan", shared_with=["lahore-technopolis"]),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        visit_services.site_visit_add(
            actor=StaffFactory(), event=w["event"], zone_key="lahore-technopolis",
            starts_at=at(w["days"][1], 14), minutes=60, relocation_request_id=request.pk,
        )  # fmt: skip
    assert "not a member of this delegation" in error.value.message_dict["relocation_request"][0]
    assert not SiteVisit.objects.exists()


# --- agendas -----------------------------------------------------------------------------------------------


def test_a_member_s_agenda_is_in_its_language_with_beijing_time_out_of_china_and_pkt_in_pakistan(zone_world):
    w = zone_world
    visit_services.site_visit_add(
        actor=StaffFactory(), event=w["event"], zone_key="lahore-technopolis", starts_at=at(w["days"][1], 14),
        minutes=60, relocation_request_id=w["request"].pk,
    )  # fmt: skip
    karachi = host(w["event"], "Karachi", interpreter_needed=True)
    services.meeting_book(meeting_request=accepted(w["member"], karachi), slot=_slot(w["event"], w["days"][2], 11))
    with translation.override("zh-hans"):
        items = visit_selectors.delegation_agenda(participant=w["member"])
        ics = calendar.participant_calendar(participant=w["member"])
    kinds = [item.kind for item in items]
    assert kinds == ["leg", "leg", "site_visit", "leg", "meeting"]
    out_of_china = items[0]
    assert out_of_china.title == "北京 → 伊斯兰堡"
    assert (out_of_china.local_start.hour, out_of_china.local_start.utcoffset()) == (
        2,
        at(w["days"][0], 0, 0, BEIJING).utcoffset(),
    )
    assert (out_of_china.local_end.hour, out_of_china.local_end.minute) == (5, 30)  # PKT on landing
    assert out_of_china.local_end.tzinfo == PKT
    meeting = items[-1]
    assert meeting.local_start.hour == 11
    assert meeting.local_start.tzinfo == PKT
    assert "需要翻译" in meeting.details
    assert "Hotel lobby" in meeting.where
    # the calendar file carries the legs and the site visit
    assert ics.count("BEGIN:VEVENT") == 5
    assert "北京 → 伊斯兰堡" in ics
    assert "拉合尔" in ics
    # the Pakistani host's agenda, in Urdu, has its meeting and no leg
    with translation.override("ur"):
        host_items = visit_selectors.delegation_agenda(participant=karachi)
    assert [item.kind for item in host_items] == ["meeting"]
    assert host_items[0].local_start.tzinfo == PKT


def test_a_site_visit_for_a_request_takes_only_the_request_s_company_and_other_members_never_see_it(zone_world):
    """Other members see only visits for no request: naming one of them as an attendee of a request's
    visit would put that company's relocation plans on their agenda, .ics and PDF."""
    w = zone_world
    other = member(w["event"])
    with pytest.raises(ValidationError) as error:
        visit_services.site_visit_add(
            actor=w["lahore_user"], event=w["event"], zone_key="lahore-technopolis", starts_at=at(w["days"][1], 14),
            minutes=60, relocation_request_id=w["request"].pk, attendee_ids=[w["member"].pk, other.pk],
        )  # fmt: skip
    assert "only the company that filed the request" in " ".join(error.value.message_dict["attendees"])
    assert not SiteVisit.objects.exists()
    assert not [item for item in visit_selectors.delegation_agenda(participant=other) if item.kind == "site_visit"]
