"""The site's navigation leads to the deals pages: calls for everyone; my deals, my reviews and MoUs
for a signed-in user; the deals board for staff only; in the reader's language."""

from __future__ import annotations

import pytest
from django.test import Client

from silkbridge.accounts.tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

MEMBER_LINKS = ('href="/deals/"', 'href="/deals/reviews/"', 'href="/deals/mous/"')


def _nav(page: str) -> str:
    return page.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]


def test_the_deals_links_by_who_is_reading():
    anonymous = _nav(Client().get("/").content.decode())
    assert 'href="/deals/calls/"' in anonymous
    for link in (*MEMBER_LINKS, 'href="/deals/board/"'):
        assert link not in anonymous

    member = Client()
    member.force_login(UserFactory())
    nav = _nav(member.get("/").content.decode())
    for link in ('href="/deals/calls/"', *MEMBER_LINKS):
        assert link in nav
    assert 'href="/deals/board/"' not in nav

    staff = Client()
    staff.force_login(StaffFactory())
    assert 'href="/deals/board/"' in _nav(staff.get("/").content.decode())


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("zh-hans", ("征集", "我的合作项目", "我的评审", "谅解备忘录")),
        ("ur", ("تجاویز کی دعوتیں", "میری ڈیلز", "میرے جائزے", "مفاہمتی یادداشتیں")),
    ],
)
def test_the_deals_links_are_translated(language, labels):
    user = UserFactory(language=language)
    client = Client()
    client.login(email=user.email, password=PASSWORD)
    client.post("/i18n/language/", {"language": language, "next": "/"})
    nav = _nav(client.get("/").content.decode())
    for label in labels:
        assert label in nav, (language, label)
