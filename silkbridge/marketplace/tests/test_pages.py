"""The marketplace pages: publish through the form, staff review, browse and filter, the dashboard."""

from __future__ import annotations

import pytest

from silkbridge.accounts.tests.factories import PASSWORD, StaffFactory, UserFactory
from silkbridge.marketplace.models import Opportunity
from silkbridge.marketplace.tests.factories import CROP_OFFER_ZH, XRAY_OFFER_ZH, XRAY_REQUEST_EN, member, published

pytestmark = pytest.mark.django_db


def _form(organisation, **fields):
    data = {
        "organisation": organisation.pk,
        "kind": XRAY_REQUEST_EN["kind"],
        "title": XRAY_REQUEST_EN["title"],
        "description": XRAY_REQUEST_EN["description"],
        "trl": "7",
        "deal_types": ["licence"],
        "visibility": "public",
        "action": "submit",
    }
    data.update(fields)
    return data


def test_publish_through_the_form_and_staff_approve_it(client):
    user, organisation = member()
    client.login(email=user.email, password=PASSWORD)
    response = client.post("/marketplace/new/", _form(organisation))
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert opportunity.status == "under_review"
    assert opportunity.language == "en"

    client.login(email=StaffFactory().email, password=PASSWORD)
    queue = client.get("/marketplace/review/").content.decode()
    assert XRAY_REQUEST_EN["title"] in queue
    client.post(f"/marketplace/{opportunity.pk}/review/", {"decision": "approve", "comment": ""})
    opportunity.refresh_from_db()
    assert opportunity.status == "published"


def test_form_errors_appear_beside_the_field_and_nothing_is_saved(client):
    user, organisation = member()
    client.login(email=user.email, password=PASSWORD)
    response = client.post("/marketplace/new/", _form(organisation, amount_min="100", currency=""))
    assert response.status_code == 200
    assert 'id="id_currency_error"' in response.content.decode()
    assert not Opportunity.objects.exists()


def test_someone_without_an_organisation_is_told_to_add_one(client):
    client.login(email=UserFactory().email, password=PASSWORD)
    response = client.get("/marketplace/new/")
    assert "/directory/new/" in response.content.decode()


def test_members_only_outsiders_cannot_edit_or_see_matches(client):
    offer = published(country="CN", **XRAY_OFFER_ZH)
    outsider, _ = member()
    client.login(email=outsider.email, password=PASSWORD)
    assert client.get(f"/marketplace/{offer.pk}/").status_code == 200
    assert client.get(f"/marketplace/{offer.pk}/edit/").status_code == 404
    assert client.get(f"/matches/profile/{offer.pk}/").status_code == 404
    assert client.post(f"/marketplace/{offer.pk}/close/").status_code == 404


def test_browse_filters_by_type_language_and_sector(client):
    published(country="CN", **XRAY_OFFER_ZH)
    published(country="CN", **CROP_OFFER_ZH)
    published(**XRAY_REQUEST_EN)
    body = client.get("/marketplace/?kind=technology_offer&sector=ai.agri").content.decode()
    assert CROP_OFFER_ZH["title"] in body
    assert XRAY_OFFER_ZH["title"] not in body
    body = client.get("/marketplace/?language=en").content.decode()
    assert XRAY_REQUEST_EN["title"] in body
    assert XRAY_OFFER_ZH["title"] not in body


def test_the_pages_exist_in_chinese_and_urdu(client):
    user, organisation = member()
    request = published(organisation, user, **XRAY_REQUEST_EN)
    published(country="CN", **XRAY_OFFER_ZH)
    client.login(email=user.email, password=PASSWORD)
    for language, word in (("zh-hans", "匹配"), ("ur", "میچ")):
        client.post("/i18n/language/", {"language": language, "next": "/"})
        for url in ("/marketplace/", "/marketplace/mine/", "/matches/", f"/matches/profile/{request.pk}/"):
            body = client.get(url).content.decode()
            assert word in body, (language, url)
