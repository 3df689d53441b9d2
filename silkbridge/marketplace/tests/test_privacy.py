"""Private and expired profiles never reach another organisation: not in its matches, pages, API,
exports or digest — also in the moment after a profile turned private or expired and before its
background refresh has run (the stored match rows still point at it then)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from silkbridge.accounts.tests.factories import PASSWORD, StaffFactory
from silkbridge.marketplace.models import Opportunity
from silkbridge.marketplace.tests.factories import XRAY_OFFER_ZH, XRAY_REQUEST_EN, matches_rebuild, member, published
from silkbridge.matching import digest

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    """A Pakistani request, and three Chinese offers that fit it: public, private and expired."""
    requester, requester_organisation = member()
    request = published(requester_organisation, requester, **XRAY_REQUEST_EN)
    public_offer = published(country="CN", **{**XRAY_OFFER_ZH, "title": "公开的胸片人工智能诊断"})
    private_owner, private_organisation = member(country="CN")
    private_offer = published(
        private_organisation, private_owner, **{**XRAY_OFFER_ZH, "title": "私有的胸片诊断", "visibility": "private"}
    )
    expired_offer = published(country="CN", **{**XRAY_OFFER_ZH, "title": "过期的胸片诊断"})
    matches_rebuild()
    # It expires after the lists were made: stored rows still point at it (the refresh has not run).
    assert market_lists_include(request, expired_offer)
    Opportunity.objects.filter(pk=expired_offer.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    return {
        "requester": requester,
        "request": request,
        "public": public_offer,
        "private": private_offer,
        "private_owner": private_owner,
        "expired": expired_offer,
    }


def market_lists_include(request, other):
    return request.matches.filter(other=other).exists()


def test_the_engine_never_matches_a_private_or_expired_profile_with_others(market):
    matches_rebuild()
    others = set(market["request"].matches.values_list("other_id", flat=True))
    assert market["public"].pk in others
    assert market["private"].pk not in others
    assert market["expired"].pk not in others


def test_a_private_profile_still_gets_its_own_matches_for_its_owner(market, client):
    assert market["private"].matches.filter(other=market["request"]).exists()
    client.login(email=market["private_owner"].email, password=PASSWORD)
    page = client.get(f"/matches/profile/{market['private'].pk}/")
    assert page.status_code == 200
    assert XRAY_REQUEST_EN["title"] in page.content.decode()


def _hide_without_refresh(market):
    """Turn the public offer private, as a concurrent edit would, before any refresh (the expired one
    already expired after the lists were made)."""
    assert market["request"].matches.filter(other=market["public"]).exists()
    Opportunity.objects.filter(pk=market["public"].pk).update(visibility="private")


def test_pages_hide_them_even_before_the_refresh(market, client):
    _hide_without_refresh(market)
    client.login(email=market["requester"].email, password=PASSWORD)
    for url in (f"/matches/profile/{market['request'].pk}/", "/matches/", "/marketplace/"):
        body = client.get(url).content.decode()
        for key in ("public", "private", "expired"):
            assert market[key].title not in body, (url, key)
    for key in ("public", "private", "expired"):
        assert client.get(f"/marketplace/{market[key].pk}/").status_code == 404


def test_csv_exports_hide_them(market, client):
    _hide_without_refresh(market)
    client.login(email=market["requester"].email, password=PASSWORD)
    for url in (f"/matches/profile/{market['request'].pk}/?format=csv", "/matches/?format=csv"):
        response = client.get(url)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        titles = {row[4] for row in rows[1:]}
        assert titles.isdisjoint({market[key].title for key in ("public", "private", "expired")}), url


def test_the_api_hides_them(market, client):
    _hide_without_refresh(market)
    client.login(email=market["requester"].email, password=PASSWORD)
    listed = client.get("/api/v1/opportunities?page_size=100").json()["items"]
    assert {item["id"] for item in listed}.isdisjoint({market[key].pk for key in ("public", "private", "expired")})
    matches = client.get(f"/api/v1/opportunities/{market['request'].pk}/matches").json()
    assert {item["other"]["id"] for item in matches}.isdisjoint(
        {market[key].pk for key in ("public", "private", "expired")}
    )
    mine = client.get("/api/v1/matches").json()["items"]
    assert {item["other"]["id"] for item in mine}.isdisjoint({market[key].pk for key in ("public", "private")})
    for key in ("public", "private", "expired"):
        assert client.get(f"/api/v1/opportunities/{market[key].pk}").status_code == 404


def test_anonymous_visitors_see_neither_members_only_nor_private_profiles(client):
    members_only = published(**{**XRAY_OFFER_ZH, "visibility": "members"})
    public = published(**{**XRAY_OFFER_ZH, "title": "公开的"})
    listed = {item["id"] for item in client.get("/api/v1/opportunities").json()["items"]}
    assert public.pk in listed
    assert members_only.pk not in listed
    assert client.get(f"/marketplace/{members_only.pk}/").status_code == 404


def test_the_digest_leaves_them_out(market):
    from silkbridge.notifications.services import weekly_digest_set

    weekly_digest_set(user=market["requester"], weekly=True)  # the digest is an opt-in
    _hide_without_refresh(market)
    digest.digest_send()
    # The requester's only visible match turned private: nothing to tell them.
    assert [message for message in mail.outbox if message.to == [market["requester"].email]] == []
    # Control: once it is public again, the same run tells them about it, and only about it.
    Opportunity.objects.filter(pk=market["public"].pk).update(visibility="public")
    mail.outbox.clear()
    digest.digest_send()
    (message,) = [message for message in mail.outbox if message.to == [market["requester"].email]]
    assert market["public"].title in message.body
    assert market["private"].title not in message.body
    assert market["expired"].title not in message.body


def test_staff_see_every_live_match(market, client):
    client.login(email=StaffFactory().email, password=PASSWORD)
    body = client.get("/matches/all/").content.decode()
    assert market["public"].title in body
    assert market["expired"].title not in body


def test_a_member_of_two_organisations_cannot_carry_a_private_profile_across(market):
    from silkbridge.accounts.tests.factories import MembershipFactory
    from silkbridge.marketplace import services

    owner = market["private_owner"]
    _, other_organisation = member()
    MembershipFactory(user=owner, organisation=other_organisation)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.interest_express(
            actor=owner, organisation=other_organisation, opportunity=market["private"], message="Hello"
        )


def test_a_private_organisations_public_profile_stays_private(client):
    owner, organisation = member(country="CN", visibility="private")
    hidden = published(organisation, owner, **{**XRAY_OFFER_ZH, "title": "私有组织的公开信息"})
    requester, requester_organisation = member()
    request = published(requester_organisation, requester, **XRAY_REQUEST_EN)
    matches_rebuild()
    assert not request.matches.filter(other=hidden).exists()
    assert hidden.matches.filter(other=request).exists()  # its owner still gets matches
    assert client.get(f"/marketplace/{hidden.pk}/").status_code == 404
    client.login(email=requester.email, password=PASSWORD)
    assert hidden.title not in client.get("/marketplace/").content.decode()
    assert client.get(f"/api/v1/opportunities/{hidden.pk}").status_code == 404
