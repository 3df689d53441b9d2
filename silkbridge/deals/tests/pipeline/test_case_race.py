"""Deleting a relocation request while a zone takes it up, at the same moment.

On PostgreSQL the two run in their own threads and connections (core.tests.races). The deletion holds
the request's row lock from the moment it reads that no zone has taken the request up; a take-up waits
for it, then finds no request. Without that wait the take-up committed a case pointing at a request
deleted beside it, and the foreign key failed at commit: a server error, or, the other way round, the
company's deletion failing the same way.
"""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import PermissionDenied

from silkbridge.core.tests.races import WON, race
from silkbridge.deals.models import Deal
from silkbridge.deals.services import cases
from silkbridge.deals.tests.pipeline.test_case_records import _member
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.zones.models import RelocationRequest, Zone
from silkbridge.zones.relocation_services import RelocationRequestData, relocation_request_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """A transactional test empties every table when it ends, so it loads the zones it reads first."""
    from silkbridge.conftest import reference_data_load

    reference_data_load()


def test_a_take_up_beside_the_deletion_of_its_request_is_refused_not_a_server_error(monkeypatch):
    company_user, company = _member()
    lahore = Zone.objects.get(key="lahore-technopolis")
    lahore_user, lahore.organisation = _member(OrganisationFactory(kind="zone_developer", country="PK"))
    lahore.save(update_fields=["organisation"])
    request = relocation_request_create(
        actor=company_user,
        organisation=company,
        data=RelocationRequestData(title="Draft request", shared_with=["lahore-technopolis"]),
    )
    delete = RelocationRequest.delete

    def slow_delete(self, *args, **kwargs):  # the take-up arrives while the deletion is under way
        time.sleep(1.5)
        return delete(self, *args, **kwargs)

    monkeypatch.setattr(RelocationRequest, "delete", slow_delete)

    refusals: list[str] = []

    def take_up() -> None:
        time.sleep(0.5)  # after the deletion has read that no zone took the request up
        try:
            cases.relocation_case_open(actor=lahore_user, relocation_request=request, zone=lahore)
        except PermissionDenied as refusal:
            refusals.append(str(refusal))

    outcomes = race(lambda: cases.relocation_request_remove(actor=company_user, relocation_request=request), take_up)
    assert outcomes == [WON, WON]
    assert refusals == ["No such relocation request."]
    assert not RelocationRequest.objects.filter(pk=request.pk).exists()
    assert not Deal.objects.filter(relocation_request_id=request.pk).exists()
