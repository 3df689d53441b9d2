"""The shipped data: taxonomy, glossary, zones, institutions and demo organisations."""

import io

import pytest
import yaml
from django.core.management import call_command

from silkbridge.common.text import contains_arabic_script, contains_cjk
from silkbridge.directory.loaders import DATA_DIR, concepts_load, organisations_load, sectors_load
from silkbridge.directory.models import Concept, Organisation, Sector
from silkbridge.zones.models import Zone
from silkbridge.zones.services import zones_load

pytestmark = pytest.mark.django_db
FOCUS_FIELDS = {"ai", "iot", "bigdata", "cloud", "robotics", "fintech", "biotech", "blockchain"}


def test_eight_focus_fields_each_with_at_least_six_sub_fields_in_three_languages():
    fields = Sector.objects.filter(parent__isnull=True)
    assert set(fields.values_list("code", flat=True)) == FOCUS_FIELDS
    for field in fields:
        assert field.subsectors.count() >= 6, field.code
    for sector in Sector.objects.all():
        assert contains_cjk(sector.name_zh), sector.code
        assert contains_arabic_script(sector.name_ur), sector.code


def test_glossary_has_300_concepts_with_three_labels_and_synonyms():
    concepts = list(Concept.objects.select_related("sector"))
    assert len(concepts) >= 300
    for concept in concepts:
        assert concept.label_en, concept.code
        assert contains_cjk(concept.label_zh), concept.code
        assert contains_arabic_script(concept.label_ur), concept.code
        assert concept.synonyms.get("en"), concept.code
        assert concept.synonyms.get("zh"), concept.code
    fields_covered = {
        concept.sector.parent.code if concept.sector.parent else concept.sector.code for concept in concepts
    }
    assert fields_covered == FOCUS_FIELDS


def test_no_label_or_synonym_names_two_concepts():
    seen: dict[str, str] = {}
    for concept in Concept.objects.all():
        for term in concept.all_terms():
            key = term.casefold()
            assert seen.setdefault(key, concept.code) == concept.code, f"{term!r}: {seen[key]} and {concept.code}"


def test_zones_come_with_sources():
    zones = Zone.objects.all()
    assert zones.filter(kind="stz").count() >= 10
    for zone in zones:
        assert zone.sources, zone.key
        assert all(source.startswith("https://") for source in zone.sources), zone.key


def test_institutions_are_real_and_cite_sources_and_are_not_demo():
    institutions = Organisation.objects.filter(key__startswith="ref-")
    assert institutions.count() >= 8
    assert not institutions.filter(is_demo=True).exists()
    assert all(institution.sources for institution in institutions)


def test_demo_organisations_are_many_fictional_and_written_in_their_own_language():
    demo = Organisation.objects.filter(is_demo=True)
    assert demo.count() >= 60
    chinese = demo.filter(country="CN")
    assert chinese.count() >= 20
    assert all(contains_cjk(organisation.description) for organisation in chinese)
    urdu = demo.filter(country="PK", language="ur")
    assert urdu.count() >= 5
    assert all(contains_arabic_script(organisation.description) for organisation in urdu)
    english = demo.filter(country="PK", language="en")
    assert english.count() >= 15
    assert all(organisation.website.endswith(".example") or not organisation.website for organisation in demo)
    assert demo.filter(visibility="private").exists()
    for field in FOCUS_FIELDS:
        assert demo.filter(sectors__code__startswith=field).exists(), field


def test_loading_twice_changes_nothing():
    assert sectors_load().created == 0
    again = concepts_load()
    assert (again.created, again.updated) == (0, 0)
    assert zones_load().created == 0
    demo = organisations_load(DATA_DIR / "demo_organisations.yaml", is_demo=True)
    assert (demo.created, demo.updated) == (
        0,
        len(yaml.safe_load((DATA_DIR / "demo_organisations.yaml").read_text())) * 0,
    )


@pytest.mark.long
def test_load_demo_command_is_idempotent_and_prints_the_staff_credentials(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first, second = io.StringIO(), io.StringIO()
    call_command("load_demo", stdout=first)
    count = Organisation.objects.count()
    call_command("load_demo", stdout=second)
    assert Organisation.objects.count() == count
    assert "staff@silkbridge.example" in second.getvalue()
    password = (tmp_path / "demo-staff-password.txt").read_text().strip()
    assert password in first.getvalue()
    assert password in second.getvalue()
    assert "0 created" in second.getvalue()
