"""The rules of a call's procedure, each refusal checked to store nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from silkbridge.accounts.tests.factories import StaffFactory, UserFactory
from silkbridge.deals.models import Call, CallEvent, Clarification, Criterion, Grievance, Opening
from silkbridge.deals.services import calls as services

from .factories import (
    RUBRIC,
    calling_body,
    decide,
    draft_call,
    member_of_new_company,
    pass_deadline,
    published_call,
    review,
    submit,
)

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


def test_a_call_is_created_with_its_rubric_and_its_deadline_read_in_its_own_time_zone():
    actor, issuer = calling_body()
    call = draft_call(actor, issuer, deadline="2031-03-01T17:00", time_zone="Asia/Karachi")
    assert call.deadline == datetime(2031, 3, 1, 12, 0, tzinfo=ZoneInfo("UTC"))
    assert call.status == "draft"
    assert [(c.position, c.name_en, c.weight) for c in call.criteria.all()] == [
        (1, "Technical approach", 60),
        (2, "Team and experience", 40),
    ]
    assert call.criteria.first().anchors["5"] == {"en": "approach 5", "zh": "approach5分", "ur": "approach 5 درجہ"}
    assert list(CallEvent.objects.filter(call=call).values_list("kind", flat=True)) == ["created"]


def test_only_staff_of_a_government_body_or_zone_developer_create_calls():
    user, company = member_of_new_company()
    with pytest.raises(ValidationError) as error:
        draft_call(user, company)
    assert _messages(error.value) == {
        "issuer": ["Only government bodies and zone developers issue calls for proposals."]
    }
    _member, government = calling_body()
    with pytest.raises(PermissionDenied):
        draft_call(UserFactory(), government)
    assert Call.objects.count() == 0
    assert draft_call(StaffFactory(), government).issuer == government


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"time_zone": "Asia/Nowhere"}, "time_zone", "Unknown time zone “Asia/Nowhere”; use a name like Asia/Karachi."),
        ({"currency": "XXX"}, "currency", "No exchange rate is set for XXX"),
        ({"deadline": "next week"}, "deadline", "Enter the deadline as YYYY-MM-DD HH:MM."),
        (
            {"evaluation": "quality_and_cost", "technical_weight": 100},
            "technical_weight",
            "In a quality-and-cost-based call both scores count",
        ),
    ],
)
def test_a_call_with_a_wrong_field_is_refused_naming_the_field(overrides, field, message):
    actor, issuer = calling_body()
    with pytest.raises(ValidationError) as error:
        draft_call(actor, issuer, **overrides)
    assert _messages(error.value)[field][0].startswith(message)
    assert Call.objects.count() == 0


def test_a_rubric_needs_a_criterion_with_a_positive_weight_and_every_anchor():
    actor, issuer = calling_body()
    call = draft_call(actor, issuer, criteria=[])
    for criteria, message in [
        ([], "A rubric needs at least one criterion."),
        ([{**RUBRIC[0], "weight": 0}], "Criterion 1: the weight is a whole number from 1 to 100."),
        (
            [RUBRIC[0], {**RUBRIC[1], "anchors": {"0": {"en": "none"}}}],
            "Criterion 2: say what each score from 0 to 5 means.",
        ),
    ]:
        with pytest.raises(ValidationError) as error:
            services.call_update(actor=actor, call=call, fields={}, criteria=criteria)
        assert _messages(error.value) == {"criteria": [message]}
    assert Criterion.objects.filter(call=call).count() == 0


def test_publishing_needs_a_rubric_and_a_deadline_ahead():
    actor, issuer = calling_body()
    call = draft_call(actor, issuer, criteria=[])
    with pytest.raises(ValidationError) as error:
        services.call_publish(actor=actor, call=call)
    assert _messages(error.value) == {
        "criteria": ["A call needs a rubric (at least one criterion) before it is published."]
    }
    call.refresh_from_db()
    assert (call.status, call.published_at) == ("draft", None)
    services.call_update(actor=actor, call=call, fields={}, criteria=RUBRIC)
    pass_deadline(call)
    with pytest.raises(ValidationError) as error:
        services.call_publish(actor=actor, call=call)
    assert list(_messages(error.value)) == ["deadline"]
    assert Call.objects.get(pk=call.pk).status == "draft"
    assert not CallEvent.objects.filter(call=call, kind="published").exists()


def test_a_published_call_keeps_its_rules_and_its_deadline_only_moves_later():
    actor, issuer = calling_body()
    call = published_call(actor, issuer)
    with pytest.raises(ValidationError) as error:
        services.call_update(actor=actor, call=call, fields={"technical_threshold": 50})
    assert _messages(error.value) == {"technical_threshold": ["This cannot change once the call is published."]}
    earlier = (call.deadline - timedelta(days=1)).isoformat()
    with pytest.raises(ValidationError) as error:
        services.call_update(actor=actor, call=call, fields={"deadline": earlier})
    assert _messages(error.value) == {"deadline": ["A published call's deadline can only be extended."]}
    later = call.deadline + timedelta(days=7)
    services.call_update(actor=actor, call=call, fields={"deadline": later})
    call.refresh_from_db()
    assert call.deadline == later
    assert CallEvent.objects.get(call=call, kind="edited").changes == {
        "deadline": [(later - timedelta(days=7)).isoformat(), later.isoformat()]
    }


def test_clarifications_are_asked_by_those_who_may_submit_and_answered_by_the_calling_body():
    actor, issuer = calling_body()
    invited_user, invited = member_of_new_company()
    outsider, other = member_of_new_company()
    call = published_call(actor, issuer, visibility="invitation", invited=[invited])
    with pytest.raises(PermissionDenied):
        services.clarification_ask(actor=outsider, call=call, organisation=other, question="May we?")
    assert Clarification.objects.count() == 0
    clarification = services.clarification_ask(
        actor=invited_user, call=call, organisation=invited, question="Is a phased build allowed?"
    )
    with pytest.raises(PermissionDenied):
        services.clarification_answer(actor=invited_user, clarification=clarification, answer="Yes")
    services.clarification_answer(actor=actor, clarification=clarification, answer="Yes, in two phases.")
    clarification.refresh_from_db()
    assert clarification.published_at is not None
    assert clarification.answer == "Yes, in two phases."


def test_no_one_opens_the_proposals_before_the_deadline_and_the_refusal_names_it_in_the_readers_zone():
    actor, issuer = calling_body()
    call = published_call(actor, issuer, deadline="2040-05-01T17:00", time_zone="Asia/Karachi")
    _user, company = member_of_new_company()
    submit(call, company, price="100.00", currency="PKR")
    for opener in (actor, StaffFactory()):
        with timezone.override("Asia/Shanghai"), pytest.raises(ValidationError) as error:
            services.call_open(actor=opener, call=call, attendees=["A. Khan, CDA"])
        assert _messages(error.value) == {
            "deadline": ["No one can open the proposals before the deadline, 2040-05-01 20:00 (Asia/Shanghai)."]
        }
    assert Opening.objects.count() == 0
    assert not CallEvent.objects.filter(call=call, kind="opened").exists()


def test_the_opening_after_the_deadline_records_every_submission_with_its_declared_price():
    actor, issuer = calling_body()
    call = published_call(actor, issuer)
    _a, alpha = member_of_new_company(name_en="Alpha Cloud")
    _b, beta = member_of_new_company(name_en="Beta Data")
    _c, gamma = member_of_new_company(name_en="Gamma Withdrawn")
    first = submit(call, alpha, price="1200000.00", currency="USD")
    second = submit(call, beta, budget="9000000.00", budget_currency="CNY")
    submit(call, gamma, price="1.00", currency="PKR").__class__.objects.filter(organisation=gamma).update(
        status="withdrawn"
    )
    pass_deadline(call)
    with pytest.raises(ValidationError) as error:
        services.call_open(actor=actor, call=call, attendees=[" "])
    assert _messages(error.value) == {"attendees": ["Name who attended the opening."]}
    opening = services.call_open(actor=actor, call=call, attendees=["A. Khan, CDA", "Li Wei, Alpha Cloud"])
    assert opening.kind == "technical"
    assert opening.attendees == ["A. Khan, CDA", "Li Wei, Alpha Cloud"]
    assert opening.record == [
        {
            "organisation": "Alpha Cloud",
            "submitted_at": first.submitted_at.isoformat(),
            "price": "1200000.00",
            "currency": "USD",
            "price_is": "price",
        },
        {
            "organisation": "Beta Data",
            "submitted_at": second.submitted_at.isoformat(),
            "price": "9000000.00",
            "currency": "CNY",
            "price_is": "budget",
        },
    ]
    with pytest.raises(ValidationError):
        services.call_open(actor=actor, call=call, attendees=["again"])
    assert Opening.objects.filter(call=call).count() == 1


def _reported_call(*, grievance_days: int = 5):
    actor, issuer = calling_body()
    call = published_call(actor, issuer)
    submitter, company = member_of_new_company(name_en="Alpha Cloud")
    proposal = submit(call, company, price="10.00", currency="PKR")
    pass_deadline(call)
    services.call_open(actor=actor, call=call, attendees=["A. Khan"])
    review(proposal, [4, 4])
    decide(proposal)
    services.report_publish(actor=actor, call=call, grievance_days=grievance_days)
    call.refresh_from_db()
    return actor, call, submitter, company


def test_a_grievance_after_the_window_is_refused():
    _actor, call, submitter, company = _reported_call()
    Call.objects.filter(pk=call.pk).update(grievances_until=timezone.now() - timedelta(seconds=1))
    call.refresh_from_db()
    with timezone.override("Asia/Karachi"), pytest.raises(ValidationError) as error:
        services.grievance_file(actor=submitter, call=call, organisation=company, text="Unfair.")
    local = call.grievances_until.astimezone(ZoneInfo("Asia/Karachi"))
    assert _messages(error.value) == {
        "text": [f"The window for grievances closed at {local:%Y-%m-%d %H:%M} (Asia/Karachi)."]
    }
    assert Grievance.objects.count() == 0


def test_only_a_submitter_files_a_grievance():
    _actor, call, _submitter, _company = _reported_call()
    outsider, other = member_of_new_company()
    with pytest.raises(PermissionDenied):
        services.grievance_file(actor=outsider, call=call, organisation=other, text="Unfair.")
    assert Grievance.objects.count() == 0


def test_the_decision_waits_for_the_window_and_for_every_answer():
    actor, call, submitter, company = _reported_call()
    grievance = services.grievance_file(
        actor=submitter, call=call, organisation=company, text="Our team was underscored."
    )
    with pytest.raises(ValidationError) as error:
        services.call_decide(actor=actor, call=call)
    assert list(_messages(error.value)) == ["status"]
    assert _messages(error.value)["status"][0].startswith(
        "The decision can take effect once the grievance window closes"
    )
    Call.objects.filter(pk=call.pk).update(grievances_until=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError) as error:
        services.call_decide(actor=actor, call=call)
    assert _messages(error.value) == {"grievances": ["Answer every grievance first; still unanswered: Alpha Cloud."]}
    call.refresh_from_db()
    assert (call.status, call.decided_at) == ("published", None)
    assert not CallEvent.objects.filter(call=call, kind="decided").exists()
    with pytest.raises(PermissionDenied):
        services.grievance_answer(actor=submitter, grievance=grievance, answer="Self-answered.")
    services.grievance_answer(actor=actor, grievance=grievance, answer="The scores were checked and stand.")
    services.call_decide(actor=actor, call=call)
    call.refresh_from_db()
    assert call.status == "decided"
    assert call.decided_at is not None
    assert list(CallEvent.objects.filter(call=call).order_by("pk").values_list("kind", flat=True)) == [
        "created",
        "published",
        "opened",
        "report_published",
        "grievance_filed",
        "grievance_answered",
        "decided",
    ]


def test_the_report_waits_for_reviews_and_decisions():
    actor, issuer = calling_body()
    call = published_call(actor, issuer)
    _user, company = member_of_new_company(name_en="Alpha Cloud")
    proposal = submit(call, company)
    pass_deadline(call)
    services.call_open(actor=actor, call=call, attendees=["A. Khan"])
    with pytest.raises(ValidationError) as error:
        services.report_publish(actor=actor, call=call, grievance_days=5)
    assert _messages(error.value) == {
        "decision": ["The committee has not recorded a decision on the proposals of: Alpha Cloud."]
    }
    decide(proposal)
    review(proposal, [3, 3], submitted=False)
    with pytest.raises(ValidationError) as error:
        services.report_publish(actor=actor, call=call, grievance_days=5)
    assert _messages(error.value) == {
        "reviews": ["Every proposal needs at least one submitted review first; none yet for: Alpha Cloud."]
    }
    call.refresh_from_db()
    assert call.report is None
    assert call.report_published_at is None


def test_cancelling_needs_a_reason_and_is_recorded():
    actor, issuer = calling_body()
    call = published_call(actor, issuer)
    with pytest.raises(ValidationError):
        services.call_cancel(actor=actor, call=call, reason="  ")
    assert Call.objects.get(pk=call.pk).status == "published"
    services.call_cancel(actor=actor, call=call, reason="The budget was withdrawn.")
    assert CallEvent.objects.get(call=call, kind="cancelled").changes == {
        "status": ["published", "cancelled"],
        "reason": "The budget was withdrawn.",
    }


def test_the_calling_body_cannot_invite_itself():
    actor, issuer = calling_body()
    with pytest.raises(ValidationError) as error:
        draft_call(actor, issuer, visibility="invitation", invited=[issuer])
    assert _messages(error.value) == {"invited": ["The calling body cannot invite itself."]}
    assert Call.objects.count() == 0
