"""The MoU's page carries its route panel: the offices with the one holding it, and the approve and
return forms for those who act on the route (a member of the partner company reads, and acts on nothing)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silkbridge.deals.services import routing as routing_services
from silkbridge.deals.tests.mou.factories import drafted

pytestmark = pytest.mark.django_db


def test_the_mou_page_shows_the_route_and_its_actions_to_the_authority_only(client):
    mou, people = drafted()
    routing_services.routes_seed_for(people["authority"])
    routing_services.mou_send(actor=people["authority_member"], mou=mou)
    url = reverse("deals:mou_detail", kwargs={"reference": mou.reference})
    approve = reverse("deals:mou_route_act", kwargs={"reference": mou.reference, "action": "approve"})

    client.force_login(people["authority_member"])
    page = client.get(url).content.decode()
    assert 'id="route-title"' in page
    assert "Legal section, Islamabad Capital Development Test Authority" in page
    assert 'aria-current="step"' in page
    assert f'action="{approve}"' in page

    client.force_login(people["company_member"])
    page = client.get(url).content.decode()
    assert "Legal section, Islamabad Capital Development Test Authority" in page
    assert f'action="{approve}"' not in page
