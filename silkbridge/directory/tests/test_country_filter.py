"""The country filter offers the countries present, named and sorted in the reader's language
(issue 13 item 5), and lists only what the viewer may see."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from silkbridge.accounts.tests.factories import MembershipFactory, UserFactory
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _offered(page: str) -> list[tuple[str, str]]:
    select = re.search(r'<select name="country"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    return re.findall(r'<option value="([A-Z]*)"[^>]*>([^<]*)</option>', select.group(1))


def test_the_directory_offers_only_the_countries_present_in_pinyin_order_in_chinese(client):
    for country in ("PK", "CN", "AF", "DE"):
        OrganisationFactory(country=country)
    OrganisationFactory(country="FR", visibility="private")  # nobody outside it may see that it exists

    page = client.get(reverse("directory:organisation_list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert _offered(page) == [("", "所有国家"), ("AF", "阿富汗"), ("PK", "巴基斯坦"), ("DE", "德国"), ("CN", "中国")]

    page = client.get(reverse("directory:organisation_list"), HTTP_ACCEPT_LANGUAGE="ur").content.decode()
    # The Urdu alphabet: ا (افغانستان) < پ (پاکستان) < ج (جرمنی) < چ (چین).
    assert [code for code, _name in _offered(page)] == ["", "AF", "PK", "DE", "CN"]


def test_a_member_of_a_private_organisation_sees_its_country_and_a_chosen_country_stays_chosen(client):
    OrganisationFactory(country="PK")
    private = OrganisationFactory(country="FR", visibility="private")
    user = UserFactory()
    MembershipFactory(user=user, organisation=private)
    client.force_login(user)
    page = client.get(reverse("directory:organisation_list")).content.decode()
    # The demo data's organisations are in China and Pakistan; France only through the membership.
    assert [code for code, _name in _offered(page)] == ["", "CN", "FR", "PK"]

    # A country with no organisation is still a valid filter (the API takes the same parameters): the
    # page shows it chosen, with no result, rather than an error.
    page = client.get(reverse("directory:organisation_list"), {"country": "JP"}).content.decode()
    assert ("JP", "Japan") in _offered(page)
    assert 'value="JP" selected' in page


def test_a_list_that_can_hold_nothing_offers_no_country():
    from silkbridge.core.countries import present_countries
    from silkbridge.directory.models import Organisation

    assert present_countries(Organisation.objects.none(), "country") == []
    assert present_countries(Organisation.objects.filter(pk__in=[]), "country") == []


@pytest.mark.parametrize("language", ["zh-hans", "ur"])
def test_a_country_named_in_english_only_does_not_break_the_page(client, language):
    OrganisationFactory(country="CQ")  # Sark: CLDR names it in English only
    for query in ({}, {"country": "CQ"}, {"country": "cq"}):
        response = client.get(reverse("directory:organisation_list"), query, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        assert ("CQ", "Sark") in _offered(response.content.decode())
