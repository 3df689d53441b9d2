"""A quality-and-cost-based call worked by hand: technical scores from the reviews, the financial
envelopes of those at or above the pass mark opened and converted to the call's currency with the
dated rates (the built-in table: 1 USD = 280 PKR = 7.10 CNY), and the combined scores and ranking.

Rubric: approach (weight 60), team (weight 40); technical weight 80 %, pass mark 70.
- Alpha: reviews (5, 4) → (300 + 160) / 5 = 92.00 and (4, 4) → 80.00; technical 86.00.
  Price 1,000,000 USD → 280,000,000.00 PKR.
- Beta: review (4, 3) → (240 + 120) / 5 = 72.00. Price 5,000,000 CNY → 197,183,098.59 PKR (lowest).
- Gamma: review (2, 3) → 48.00, below the pass mark: its envelope stays closed.
Financial: Beta 100.00; Alpha 100 × 197,183,098.59 / 280,000,000 = 70.42.
Combined: Alpha (80 × 86 + 20 × 70.42) / 100 = 82.88; Beta (80 × 72 + 20 × 100) / 100 = 77.60.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from silkbridge.deals.engine.rubric import TIE_BREAK_RULE
from silkbridge.deals.models import Opening
from silkbridge.deals.services import calls as services

from .factories import calling_body, decide, member_of_new_company, pass_deadline, published_call, review, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def qcbs_call():
    actor, issuer = calling_body()
    call = published_call(actor, issuer, evaluation="quality_and_cost", technical_weight=80, technical_threshold=70)
    start = timezone.now()
    _a, alpha = member_of_new_company(name_en="Alpha Cloud")
    _b, beta = member_of_new_company(name_en="Beta Data")
    _c, gamma = member_of_new_company(name_en="Gamma Systems")
    proposals = {
        "alpha": submit(call, alpha, price="1000000.00", currency="USD", submitted_at=start),
        "beta": submit(call, beta, price="5000000.00", currency="CNY", submitted_at=start + timedelta(minutes=1)),
        "gamma": submit(call, gamma, price="100.00", currency="PKR", submitted_at=start + timedelta(minutes=2)),
    }
    pass_deadline(call)
    return actor, call, proposals


def test_the_technical_opening_of_a_two_envelope_call_reads_out_no_price(qcbs_call):
    actor, call, _proposals = qcbs_call
    opening = services.call_open(actor=actor, call=call, attendees=["A. Khan, CDA"])
    assert [sorted(entry) for entry in opening.record] == [["organisation", "submitted_at"]] * 3


def test_financial_envelopes_wait_for_a_review_of_every_proposal(qcbs_call):
    actor, call, proposals = qcbs_call
    services.call_open(actor=actor, call=call, attendees=["A. Khan, CDA"])
    review(proposals["alpha"], [5, 4])
    with pytest.raises(ValidationError) as error:
        services.call_open_financial(actor=actor, call=call, attendees=["A. Khan, CDA"])
    assert error.value.message_dict == {
        "reviews": ["Every proposal needs at least one submitted review first; none yet for: Beta Data, Gamma Systems."]
    }
    assert not Opening.objects.filter(call=call, kind="financial").exists()


def test_quality_and_cost_scores_are_exact_on_the_worked_example(qcbs_call):
    actor, call, proposals = qcbs_call
    services.call_open(actor=actor, call=call, attendees=["A. Khan, CDA"])
    review(proposals["alpha"], [5, 4])
    review(proposals["alpha"], [4, 4])
    review(proposals["beta"], [4, 3])
    review(proposals["gamma"], [2, 3])
    opening = services.call_open_financial(actor=actor, call=call, attendees=["A. Khan, CDA", "Observer, PPRA"])
    assert opening.record == [
        {
            "organisation": "Alpha Cloud",
            "technical": "86.00",
            "passed": True,
            "price": "1000000.00",
            "currency": "USD",
            "price_in_call_currency": "280000000.00",
            "financial": "70.42",
            "combined": "82.88",
            "rates_as_of": "2026-01-15",
        },
        {
            "organisation": "Beta Data",
            "technical": "72.00",
            "passed": True,
            "price": "5000000.00",
            "currency": "CNY",
            "price_in_call_currency": "197183098.59",
            "financial": "100.00",
            "combined": "77.60",
            "rates_as_of": "2026-01-15",
        },
        {
            "organisation": "Gamma Systems",
            "technical": "48.00",
            "passed": False,
            "price": None,
            "currency": "",
            "price_in_call_currency": None,
            "financial": None,
            "combined": None,
            "rates_as_of": None,
        },
    ]
    decide(proposals["alpha"], "approve")
    decide(proposals["beta"], "revise")
    decide(proposals["gamma"], "decline")
    services.report_publish(actor=actor, call=call, grievance_days=10)
    call.refresh_from_db()
    assert call.grievances_until == call.report_published_at + timedelta(days=10)
    assert call.report == {
        "evaluation": "quality_and_cost",
        "currency": "PKR",
        "technical_weight": 80,
        "pass_mark": 70,
        "rates_as_of": "2026-01-15",
        "tie_break_rule": TIE_BREAK_RULE,
        "ranking": [
            {
                "rank": 1,
                "organisation": "Alpha Cloud",
                "technical": "86.00",
                "passed": True,
                "price": "280000000.00",
                "financial": "70.42",
                "combined": "82.88",
                "decision": "approve",
            },
            {
                "rank": 2,
                "organisation": "Beta Data",
                "technical": "72.00",
                "passed": True,
                "price": "197183098.59",
                "financial": "100.00",
                "combined": "77.60",
                "decision": "revise",
            },
            {
                "rank": 3,
                "organisation": "Gamma Systems",
                "technical": "48.00",
                "passed": False,
                "price": None,
                "financial": None,
                "combined": None,
                "decision": "decline",
            },
        ],
    }


def test_a_one_envelope_call_has_no_financial_opening():
    actor, issuer = calling_body()
    call = published_call(actor, issuer)
    pass_deadline(call)
    services.call_open(actor=actor, call=call, attendees=["A. Khan"])
    with pytest.raises(ValidationError) as error:
        services.call_open_financial(actor=actor, call=call, attendees=["A. Khan"])
    assert error.value.message_dict == {"evaluation": ["Only a quality-and-cost-based call has financial envelopes."]}
    assert not Opening.objects.filter(kind="financial").exists()


def test_equal_technical_scores_are_ranked_by_the_heavier_criterion():
    """Quality-based: Alpha and Beta both score 76.00; Beta's mean on the heavier criterion (approach, 4.00)
    beats Alpha's (3.00), though Alpha submitted first."""
    actor, issuer = calling_body()
    call = published_call(actor, issuer)
    start = timezone.now()
    _a, alpha = member_of_new_company(name_en="Alpha Cloud")
    _b, beta = member_of_new_company(name_en="Beta Data")
    first = submit(call, alpha, submitted_at=start)
    second = submit(call, beta, submitted_at=start + timedelta(minutes=5))
    pass_deadline(call)
    services.call_open(actor=actor, call=call, attendees=["A. Khan"])
    review(first, [3, 5])  # (180 + 200) / 5 = 76.00
    review(second, [4, 2])  # (240 + 80) / 5 = 64.00
    review(second, [4, 5])  # (240 + 200) / 5 = 88.00 → mean 76.00
    decide(first)
    decide(second)
    services.report_publish(actor=actor, call=call, grievance_days=3)
    call.refresh_from_db()
    assert call.report is not None
    assert [(row["rank"], row["organisation"], row["technical"]) for row in call.report["ranking"]] == [
        (1, "Beta Data", "76.00"),
        (2, "Alpha Cloud", "76.00"),
    ]
