"""Every model has an admin that staff can use: list and add (or view) pages open."""

import pytest
from django.apps import apps
from django.contrib import admin

from silkbridge.accounts.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

OUR_APPS = {"accounts", "directory", "zones"}
# Derived tables that only code writes: the search index is rebuilt from the organisations
# (`silkbridge search_rebuild`), so an admin page for its rows would only let staff corrupt it, and
# the glossary it was rebuilt under is written by that rebuild alone (a hand edit would make searches
# trust stale glossary rows).
NOT_EDITED_BY_HAND = {"organisationsearchtoken", "searchindexstate"}


def test_every_model_of_ours_is_registered():
    ours = {
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and model._meta.model_name not in NOT_EDITED_BY_HAND
    }
    assert ours - set(admin.site._registry) == set()


def test_staff_can_open_every_admin_list_and_add_page(client):
    client.force_login(StaffFactory())
    for model in admin.site._registry:
        if model._meta.app_label not in OUR_APPS:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        changelist = client.get(f"/admin/{info[0]}/{info[1]}/")
        assert changelist.status_code == 200, info
        first = model.objects.first()
        if first is not None:
            assert client.get(f"/admin/{info[0]}/{info[1]}/{first.pk}/change/").status_code == 200, info
        add = client.get(f"/admin/{info[0]}/{info[1]}/add/")
        assert add.status_code in {200, 403}, info


def test_members_cannot_open_the_admin(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
