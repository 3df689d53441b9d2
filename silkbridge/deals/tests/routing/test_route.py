"""An MoU's approval route: sent, approved office by office, returned with a note, resumed where it was
returned; the Cabinet step only for a foreign government or state-owned enterprise."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from silkbridge.deals.choices import MouEventKind
from silkbridge.deals.models import ApprovalRoute, MouEvent, MouRouteStep
from silkbridge.deals.services.routing import (
    mou_send,
    route_step_approve,
    route_step_return,
    routes_seed_for,
)
from silkbridge.deals.tests.routing.factories import mou_for_routing

pytestmark = pytest.mark.django_db

PRIVATE_ROUTE = [
    "Legal section, Capital Development Authority",
    "Parent ministry or division",
    "Law and Justice Division (vetting)",
    "Ministry of Foreign Affairs",
]


def _steps(mou):  # type: ignore[no-untyped-def]
    return [(step.name_en, step.status) for step in MouRouteStep.objects.filter(mou=mou).order_by("position")]


def test_the_private_route_has_no_cabinet_step_and_the_government_route_has_it():
    case = mou_for_routing(counterpart="foreign_private")
    government = mou_for_routing(counterpart="foreign_government")

    mou_send(actor=case["officer"], mou=case["mou"])
    mou_send(actor=government["officer"], mou=government["mou"])

    assert [name for name, _status in _steps(case["mou"])] == PRIVATE_ROUTE
    assert [name for name, _status in _steps(government["mou"])] == [
        *PRIVATE_ROUTE,
        "Federal Cabinet (approval before signature)",
    ]
    assert _steps(case["mou"])[0] == ("Legal section, Capital Development Authority", "current")
    case["mou"].refresh_from_db()
    assert case["mou"].status == "vetting"
    assert case["mou"].route.counterpart == "foreign_private"


def test_a_returned_draft_goes_back_to_drafting_with_the_note_and_resumes_at_the_office_that_returned_it():
    case = mou_for_routing()
    mou, officer, staff = case["mou"], case["officer"], case["staff"]
    mou_send(actor=officer, mou=mou)
    route_step_approve(actor=officer, mou=mou, note="Cleared by the legal wing.")
    route_step_approve(actor=staff, mou=mou)

    route_step_return(actor=staff, mou=mou, note="Clause 7: name the governing law.")

    mou.refresh_from_db()
    assert mou.status == "drafting"
    assert _steps(mou) == [
        (PRIVATE_ROUTE[0], "approved"),
        (PRIVATE_ROUTE[1], "approved"),
        (PRIVATE_ROUTE[2], "returned"),
        (PRIVATE_ROUTE[3], "waiting"),
    ]
    returned = MouEvent.objects.get(mou=mou, kind=MouEventKind.STEP_RETURNED)
    assert returned.note == "Clause 7: name the governing law."
    assert returned.actor == staff
    assert returned.changes["office"] == PRIVATE_ROUTE[2]
    assert returned.changes["status"] == ["vetting", "drafting"]

    mou_send(actor=officer, mou=mou)

    mou.refresh_from_db()
    assert mou.status == "vetting"
    assert _steps(mou) == [
        (PRIVATE_ROUTE[0], "approved"),
        (PRIVATE_ROUTE[1], "approved"),
        (PRIVATE_ROUTE[2], "current"),
        (PRIVATE_ROUTE[3], "waiting"),
    ]
    first = MouRouteStep.objects.get(mou=mou, position=1)
    assert (first.acted_by, first.note, first.version) == (officer, "Cleared by the legal wing.", 2)

    route_step_approve(actor=officer, mou=mou)
    route_step_approve(actor=officer, mou=mou)

    mou.refresh_from_db()
    assert mou.status == "ready"
    assert [status for _name, status in _steps(mou)] == ["approved"] * 4
    kinds = list(MouEvent.objects.filter(mou=mou).order_by("created_at", "pk").values_list("kind", flat=True))
    assert kinds == ["sent", *["step_approved"] * 2, "step_returned", "sent", *["step_approved"] * 2]


def test_a_return_without_a_note_is_refused_and_changes_nothing():
    case = mou_for_routing()
    mou_send(actor=case["officer"], mou=case["mou"])
    events = MouEvent.objects.count()

    with pytest.raises(ValidationError) as error:
        route_step_return(actor=case["officer"], mou=case["mou"], note="   ")

    assert error.value.message_dict == {"note": ["Say why the draft is returned."]}
    case["mou"].refresh_from_db()
    assert case["mou"].status == "vetting"
    assert _steps(case["mou"])[0][1] == "current"
    assert MouEvent.objects.count() == events


def test_sending_without_a_route_for_the_counterpart_is_refused_clearly():
    case = mou_for_routing(seed_routes=False)

    with pytest.raises(ValidationError) as error:
        mou_send(actor=case["staff"], mou=case["mou"])

    assert error.value.messages == [
        "Capital Development Authority has no approval route in use for “A foreign private company”. "
        "Platform staff add one in the administration (Deals › Approval routes)."
    ]
    case["mou"].refresh_from_db()
    assert case["mou"].status == "drafting"
    assert not MouRouteStep.objects.filter(mou=case["mou"]).exists()
    assert not MouEvent.objects.filter(mou=case["mou"]).exists()


def test_only_staff_and_members_of_the_authority_act_on_the_route():
    case = mou_for_routing()

    for user in (case["partner"], case["outsider"]):
        with pytest.raises(PermissionDenied):
            mou_send(actor=user, mou=case["mou"])
    case["mou"].refresh_from_db()
    assert case["mou"].status == "drafting"
    assert not MouEvent.objects.exists()


def test_the_seed_keeps_the_routes_staff_have_edited():
    case = mou_for_routing()
    route = ApprovalRoute.objects.get(authority=case["authority"], counterpart="foreign_private")
    route.steps.filter(position=2).update(name_en="Ministry of Interior")

    routes_seed_for(case["authority"])

    assert ApprovalRoute.objects.filter(authority=case["authority"]).count() == 2
    assert list(route.steps.order_by("position").values_list("name_en", flat=True))[1] == "Ministry of Interior"
