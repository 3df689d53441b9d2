"""An unsigned MoU is visible only to the members of the deal's organisations and platform staff: a
member of another organisation (also one belonging to two organisations, neither a party) gets 404 on
every channel — page, editor, comparison, comment, downloads, API, list — and a refused write stores
nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from silkbridge.accounts.tests.factories import MembershipFactory
from silkbridge.core.models import Run
from silkbridge.deals.models import ClauseComment, MouVersion
from silkbridge.deals.services.mou import mou_save
from silkbridge.deals.tests.mou.factories import clauses_of, drafted, outsider
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _world():  # type: ignore[no-untyped-def]
    mou, people = drafted(second_language="zh", clause_keys=["parties", "termination"])
    clauses = clauses_of(mou)
    clauses[1]["text_en"] += " Secret amendment."
    mou_save(actor=people["authority_member"], mou=mou, clauses=clauses)
    return mou, people


def _pages(mou):  # type: ignore[no-untyped-def]
    base = f"/deals/mous/{mou.reference}"
    return [
        f"{base}/",
        f"{base}/edit/",
        f"{base}/compare/?from_number=1&to_number=2",
        f"{base}/versions/1/docx/",
        f"{base}/versions/2/pdf/",
    ]


def _api(mou):  # type: ignore[no-untyped-def]
    base = f"/api/v1/deals/mous/{mou.reference}"
    return [
        base,
        f"{base}/versions",
        f"{base}/versions/1",
        f"{base}/diff?from_number=1&to_number=2",
        f"{base}/comments",
        f"{base}/versions/1/docx",
        f"{base}/versions/2/pdf",
    ]


def _two_organisations_neither_a_party():  # type: ignore[no-untyped-def]
    user = outsider()
    MembershipFactory(user=user, organisation=OrganisationFactory(name_en="Second Unrelated Ltd"))
    return user


@pytest.mark.parametrize("who", ["outsider", "member_of_two_others"])
def test_a_non_party_member_gets_404_on_every_channel_and_stores_nothing(who):
    mou, _people = _world()
    user = outsider() if who == "outsider" else _two_organisations_neither_a_party()
    client = Client()
    client.force_login(user)

    for url in _pages(mou) + _api(mou):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Secret amendment" not in response.content
    assert mou.title not in client.get("/deals/mous/").content.decode()
    assert client.get("/api/v1/deals/mous").json()["count"] == 0

    clauses = clauses_of(mou)
    refused = [
        client.post(f"/deals/mous/{mou.reference}/comment/", {"clause_key": "parties", "text": "Let me in"}),
        client.post(f"/deals/mous/{mou.reference}/edit/", {"action": "save", "base_version": 2, "clause_count": 0}),
        client.post(
            f"/api/v1/deals/mous/{mou.reference}/comments",
            {"clause_key": "parties", "text": "Let me in"},
            content_type="application/json",
        ),
        client.post(
            f"/api/v1/deals/mous/{mou.reference}/versions",
            {"clauses": clauses, "note": "mine now"},
            content_type="application/json",
        ),
        client.post(f"/deals/mous/{mou.reference}/versions/2/pdf/"),
        client.post(f"/api/v1/deals/mous/{mou.reference}/versions/2/pdf"),
    ]
    assert [response.status_code for response in refused] == [404, 404, 404, 404, 404, 404]
    assert not Run.objects.exists()  # no PDF queued for a reader who may not see the MoU
    assert ClauseComment.objects.filter(mou=mou).count() == 0
    assert MouVersion.objects.filter(mou=mou).count() == 2


@pytest.mark.parametrize("who", ["authority_member", "company_member", "staff", "member_of_a_party_and_another"])
def test_the_parties_members_and_staff_read_every_channel(who):
    mou, people = _world()
    if who == "member_of_a_party_and_another":
        user = outsider()
        MembershipFactory(user=user, organisation=people["company"], role="member")
    else:
        user = people[who]
    client = Client()
    client.force_login(user)

    # The API's PDF is the one made last: none yet (tests/mou/test_pdf_runs.py makes and reads one).
    for url in _pages(mou)[:1] + _pages(mou)[2:] + _api(mou)[:-1]:
        assert client.get(url).status_code == 200, url
    assert client.get(_api(mou)[-1]).status_code == 404
    assert client.get("/api/v1/deals/mous").json()["count"] == 1


def test_anonymous_visitors_are_sent_to_sign_in_and_the_api_answers_401():
    mou, _people = _world()
    client = Client()
    for url in _pages(mou):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url
    for url in _api(mou):
        assert client.get(url).status_code == 401, url
