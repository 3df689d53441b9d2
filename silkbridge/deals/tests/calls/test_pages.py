"""The call pages: the deadline in the reader's own time zone with the call's beside it, the countdown,
the rubric with its anchors, the pages in Chinese and Urdu, and the staff forms."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client
from django.utils import formats, translation

from silkbridge.accounts.tests.factories import PASSWORD, UserFactory
from silkbridge.deals.engine.rubric import TIE_BREAK_RULE as ENGINE_TIE_BREAK_RULE
from silkbridge.deals.models import Call
from silkbridge.deals.views.calls import TIE_BREAK_RULE

from .factories import calling_body, member_of_new_company, published_call

pytestmark = pytest.mark.django_db


def _shown(value: datetime) -> str:
    with translation.override("en"):
        return formats.date_format(value, "DATETIME_FORMAT")


@pytest.fixture
def call():
    actor, issuer = calling_body()
    return published_call(actor, issuer, deadline="2031-03-01T17:00", time_zone="Asia/Karachi")


def _client_for(time_zone: str) -> Client:
    client = Client()
    client.force_login(UserFactory(time_zone=time_zone))
    return client


def test_the_deadline_is_shown_in_the_readers_zone_with_the_calls_beside_it(call):
    shanghai = _client_for("Asia/Shanghai").get(f"/deals/calls/{call.slug}/").content.decode()
    karachi = _client_for("Asia/Karachi").get(f"/deals/calls/{call.slug}/").content.decode()
    # 17:00 in Karachi (UTC+5) is 20:00 in Shanghai (UTC+8): three hours apart.
    assert f'class="deadline-reader">{_shown(datetime(2031, 3, 1, 20, 0))}</time>' in shanghai
    assert "(Asia/Shanghai)" in shanghai
    assert "In the call's time zone, PKT (Asia/Karachi):" in shanghai
    assert f'class="deadline-call">{_shown(datetime(2031, 3, 1, 17, 0))}</span>' in shanghai
    assert f'class="deadline-reader">{_shown(datetime(2031, 3, 1, 17, 0))}</time>' in karachi
    assert "In the call's time zone" not in karachi
    # A visitor reads the call's own zone.
    anonymous = Client().get(f"/deals/calls/{call.slug}/").content.decode()
    assert f'class="deadline-reader">{_shown(datetime(2031, 3, 1, 17, 0))}</time>' in anonymous
    assert "(Asia/Karachi)" in anonymous


def test_the_countdown_is_rendered_by_the_server_and_kept_current_by_a_script_file(call):
    page = Client().get(f"/deals/calls/{call.slug}/").content.decode()
    assert f'data-countdown="{int(call.deadline.timestamp())}"' in page
    assert "Time left:" in page
    assert " days, " in page
    assert '<script src="/static/deals/countdown.js" defer></script>' in page
    assert "<script>" not in page  # no inline script: the Content-Security-Policy refuses it


def test_the_rubric_shows_every_anchor_and_the_required_documents(call):
    page = Client().get(f"/deals/calls/{call.slug}/").content.decode()
    assert "Technical approach" in page
    assert "weight 60 of 100" in page
    for level in range(6):
        assert f"approach {level}" in page
    assert "Company registration" in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "zh-hans",
            [
                "伊斯兰堡四级数据中心和大数据平台",
                "设计、建设和运营一座四级数据中心。",
                "截止时间",
                "技术方案",
                "approach5分",
                "公司注册证明",
            ],
        ),
        (
            "ur",
            [
                "اسلام آباد کے لیے ٹیئر فور ڈیٹا سینٹر اور بگ ڈیٹا پلیٹ فارم",
                "آخری تاریخ",
                "تکنیکی طریقہ",
                "کمپنی کی رجسٹریشن",
                'dir="rtl"',
            ],
        ),
    ],
)
def test_the_call_page_in_chinese_and_urdu(call, language, expected):
    user = UserFactory(language=language)
    client = Client()
    client.login(email=user.email, password=PASSWORD)
    client.post("/i18n/language/", {"language": language, "next": "/"})
    page = client.get(f"/deals/calls/{call.slug}/").content.decode()
    for text in expected:
        assert text in page, (language, text)
    listing = client.get("/deals/calls/").content.decode()
    assert ("征集" if language == "zh-hans" else "تجاویز کی دعوتیں") in listing


def test_the_tie_break_rule_on_the_page_is_the_engines():
    assert str(TIE_BREAK_RULE) == ENGINE_TIE_BREAK_RULE


def test_the_list_filters_open_and_closed_calls(call):
    Call.objects.filter(pk=call.pk).update(title_en="Closed Zephyrine call")
    actor, issuer = calling_body()
    published_call(actor, issuer, title_en="Open Zephyrine call")
    Call.objects.filter(title_en="Closed Zephyrine call").update(
        deadline=datetime(2020, 1, 1, tzinfo=call.deadline.tzinfo)
    )
    open_page = Client().get("/deals/calls/?state=open").content.decode()
    closed_page = Client().get("/deals/calls/?state=closed").content.decode()
    assert "Open Zephyrine call" in open_page
    assert "Closed Zephyrine call" not in open_page
    assert "Closed Zephyrine call" in closed_page
    assert "Open Zephyrine call" not in closed_page
    by_issuer = Client().get(f"/deals/calls/?issuer={issuer.key}").content.decode()
    assert "Open Zephyrine call" in by_issuer
    assert "Closed Zephyrine call" not in by_issuer


def test_staff_of_a_government_body_issue_a_call_through_the_form():
    actor, issuer = calling_body()
    client = Client()
    client.force_login(actor)
    rubric = "\n".join(
        [
            "* 70 | Design | 设计 | ڈیزائن",
            *[f"{level} | design {level}" for level in range(6)],
            "* 30 | Cost | 成本",
            *[f"{level} | cost {level}" for level in range(6)],
        ]
    )
    response = client.post(
        "/deals/calls/new/",
        {
            "issuer": issuer.key,
            "title_en": "Smart city sensors",
            "scope_en": "Sensors for the city.",
            "required_documents": "Registration | 注册\nTax certificate",
            "deadline": "2031-06-01T12:00",
            "time_zone": "Asia/Shanghai",
            "contact_name": "Cell",
            "contact_email": "cell@cda.example",
            "visibility": "public",
            "evaluation": "quality",
            "technical_weight": "80",
            "technical_threshold": "70",
            "currency": "PKR",
            "rubric": rubric,
        },
    )
    call = Call.objects.get(title_en="Smart city sensors")
    assert response.status_code == 302
    assert call.deadline == datetime(2031, 6, 1, 4, 0, tzinfo=call.deadline.tzinfo)  # 12:00 in Shanghai = 04:00 UTC
    assert call.required_documents == [{"en": "Registration", "zh": "注册"}, {"en": "Tax certificate"}]
    assert [(c.name_en, c.name_zh, c.weight, c.anchors["3"]) for c in call.criteria.all()] == [
        ("Design", "设计", 70, {"en": "design 3"}),
        ("Cost", "成本", 30, {"en": "cost 3"}),
    ]
    # The edit form shows the rubric as typed.
    edit = client.get(f"/deals/calls/{call.slug}/edit/").content.decode()
    assert "* 70 | Design | 设计 | ڈیزائن" in edit
    assert "2031-06-01T12:00" in edit


def test_a_company_member_cannot_issue_a_call_and_a_bad_rubric_is_named():
    user, _company = member_of_new_company()
    client = Client()
    client.force_login(user)
    assert client.get("/deals/calls/new/").status_code == 403
    actor, issuer = calling_body()
    client.force_login(actor)
    response = client.post("/deals/calls/new/", {"issuer": issuer.key, "rubric": "weight 5"})
    assert response.status_code == 200
    assert (
        "Line 1: start a criterion with “* weight | name” or a score with “0 |” to “5 |”." in response.content.decode()
    )
    assert not Call.objects.filter(issuer=issuer).exists()
