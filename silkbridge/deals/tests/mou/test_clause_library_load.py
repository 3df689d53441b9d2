"""`load_reference` gives a database its MoU clause library back (after a restore without it, or a test
that emptied the database), and leaves a clause staff edited as they left it."""

import io

import pytest
from django.core.management import call_command

from silkbridge.deals.models import ClauseTemplate

pytestmark = pytest.mark.django_db


def test_load_reference_restores_a_missing_clause_library_and_keeps_staff_edits():
    edited = ClauseTemplate.objects.order_by("position").first()
    edited.text_en = "Edited by staff."
    edited.save()
    ClauseTemplate.objects.exclude(pk=edited.pk).delete()

    output = io.StringIO()
    call_command("load_reference", stdout=output)

    assert ClauseTemplate.objects.count() == 13
    assert "MoU clauses added: 12" in output.getvalue()
    edited.refresh_from_db()
    assert edited.text_en == "Edited by staff."
    keys = list(ClauseTemplate.objects.order_by("position").values_list("key", flat=True))
    assert keys[0] == edited.key
    assert "language" in " ".join(keys)
