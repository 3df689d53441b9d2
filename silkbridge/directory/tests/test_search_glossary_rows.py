"""The glossary rows of the search index ("#wc<concept>", "#ws<sector>": the document's text spells one
of the concept's labels or synonyms, or one of the sector's names). A glossary phrase in a query reads
those rows instead of every wording of the concept, while they are the current glossary's; after a
glossary edit the search reads the wordings themselves until the rebuild (a background run) is done.
Either way a search finds the same organisations."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from silkbridge.accounts.tests.factories import PASSWORD, StaffFactory, UserFactory
from silkbridge.core.models import Run
from silkbridge.directory import search
from silkbridge.directory.models import Concept, Organisation, OrganisationSearchToken, SearchIndexState, Sector
from silkbridge.directory.selectors import organisation_list
from silkbridge.directory.services import search_rebuild_start
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

# Written the way members write: a phrase inside a sentence, another language, a plural, no tags.
CORPUS = [
    ("gl-agri", "We offer crop disease detection from phone photos for wheat farmers."),
    ("gl-zh", "公司专注于作物病害识别和农业无人机。"),
    ("gl-ur", "ہم موبائل تصاویر سے فصلوں کی بیماری کی شناخت کرتے ہیں"),
    ("gl-scattered", "Detection of fraud; crop insurance; disease statistics."),
    ("gl-partial", "Crop insurance and disease statistics."),
    ("gl-cloud", "Cloud computing and data centres for banks in Lahore."),
    ("gl-plain", "We sell machinery."),
]


@pytest.fixture
def corpus():
    for key, description in CORPUS:
        OrganisationFactory(key=key, name_en=key.replace("-", " ").title(), description=description)


def _keys(query: str) -> set[str]:
    keys = set(organisation_list(viewer=None, query=query).values_list("key", flat=True))
    return {key for key in keys if key.startswith("gl-")}


def _glossary_queries() -> list[str]:
    """Every label and synonym of the concepts the corpus speaks of, and sector names, in three languages."""
    queries: list[str] = []
    for concept in Concept.objects.filter(code__in=["crop_disease_detection", "cloud_computing"]):
        queries += concept.all_terms()
    for sector in Sector.objects.all()[:6]:
        queries += [sector.name_en, sector.name_zh, sector.name_ur]
    return queries


def test_a_rebuilt_index_marks_its_glossary_and_a_glossary_edit_makes_it_stale():
    search.rebuild_all()
    assert search.search_index_current()
    concept = Concept.objects.get(code="crop_disease_detection")
    concept.synonyms = {**concept.synonyms, "en": [*concept.synonyms.get("en", []), "blight spotting"]}
    concept.save()
    assert not search.search_index_current()
    search.rebuild_all()
    assert search.search_index_current()
    assert SearchIndexState.objects.count() == 1


def test_the_glossary_rows_find_exactly_what_the_wordings_find(corpus):
    """The same organisations for every label and synonym, whether the search reads the glossary rows
    (current) or every wording (stale, as right after an edit)."""
    queries = _glossary_queries()
    assert search.search_index_current()
    with_rows = {query: _keys(query) for query in queries}
    SearchIndexState.objects.update(glossary="an older glossary")
    assert not search.search_index_current()
    with_wordings = {query: _keys(query) for query in queries}
    assert with_rows == with_wordings
    label = Concept.objects.get(code="crop_disease_detection").label_en
    # Found in every language it is written in; every word of a wording anywhere in the text counts
    # (as a query's own words do), a missing word does not.
    assert with_rows[label] == {"gl-agri", "gl-zh", "gl-ur", "gl-scattered"}


def test_a_document_s_rows_say_which_glossary_phrases_its_text_spells(corpus):
    crop = Concept.objects.get(code="crop_disease_detection")
    rows = set(OrganisationSearchToken.objects.filter(document__key="gl-zh").values_list("term", flat=True))
    assert search.concept_wording_term(crop.pk) in rows
    scattered = set(OrganisationSearchToken.objects.filter(document__key="gl-scattered").values_list("term", flat=True))
    assert search.concept_wording_term(crop.pk) in scattered  # "crop", "disease" and "detection", anywhere
    partial = set(OrganisationSearchToken.objects.filter(document__key="gl-partial").values_list("term", flat=True))
    assert search.concept_wording_term(crop.pk) not in partial  # no "detection", "diagnosis" or "recognition"
    plain = set(OrganisationSearchToken.objects.filter(document__key="gl-plain").values_list("term", flat=True))
    assert not {term for term in plain if term.startswith("#w")}


def test_a_glossary_phrase_reads_one_set_of_rows_while_they_are_current(corpus):
    crop = Concept.objects.get(code="crop_disease_detection")
    query = crop.label_en

    def words_read() -> list[object]:
        with CaptureQueriesContext(connection) as captured:
            assert _keys(query) == {"gl-agri", "gl-zh", "gl-ur", "gl-scattered"}
        return [sql for sql in (entry["sql"] for entry in captured.captured_queries) if "'detection'" in sql]

    assert words_read() == []  # the rows "#wc<crop>" answer: no range of the word "detection" is read
    SearchIndexState.objects.update(glossary="an older glossary")
    assert words_read() != []  # stale rows: every wording is read instead


def test_a_glossary_edit_in_the_admin_queues_one_rebuild_and_search_is_right_meanwhile(
    corpus, client, django_capture_on_commit_callbacks
):
    staff = StaffFactory(is_superuser=True)
    client.login(email=staff.email, password=PASSWORD)
    crop = Concept.objects.get(code="crop_disease_detection")
    OrganisationFactory(key="gl-new", name_en="Gl New", description="Our leafscan service reads every field.")
    assert "gl-new" not in _keys(crop.label_en)
    synonyms = {**crop.synonyms, "en": [*crop.synonyms.get("en", []), "leafscan"]}
    form = {
        "code": crop.code,
        "sector": crop.sector_id,
        "label_en": crop.label_en,
        "label_zh": crop.label_zh,
        "label_ur": crop.label_ur,
        "synonyms": json.dumps(synonyms),
    }
    # The after-commit work of each edit is held back: the worker has not started yet.
    with django_capture_on_commit_callbacks(execute=False) as queue_first:
        response = client.post(reverse("admin:directory_concept_change", args=[crop.pk]), form)
        assert response.status_code == 302, response.content.decode()[:2000]
    with django_capture_on_commit_callbacks(execute=False) as second_edit:
        client.post(reverse("admin:directory_concept_change", args=[crop.pk]), form)
    for callback in second_edit:
        callback()  # a second edit while the first rebuild waits adds no second run
    run = Run.objects.get(kind="directory.search_rebuild")
    assert run.status == "queued"
    # Meanwhile the index's glossary rows are stale, and the search reads the new synonym's wording.
    assert not search.search_index_current()
    assert "gl-new" in _keys(crop.label_en)
    assert "gl-new" in _keys("作物病害识别")

    for callback in queue_first:
        callback()  # the worker takes the run (the tests' task backend runs it in-process)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert search.search_index_current()
    rows = set(OrganisationSearchToken.objects.filter(document__key="gl-new").values_list("term", flat=True))
    assert search.concept_wording_term(crop.pk) in rows
    assert "gl-new" in _keys(crop.label_en)
    assert Run.objects.filter(kind="directory.search_rebuild").count() == 1


def test_only_staff_queue_a_rebuild():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        search_rebuild_start(actor=UserFactory())
    assert not Run.objects.filter(kind="directory.search_rebuild").exists()


def test_a_rebuild_leaves_the_index_marked_with_the_glossary_it_started_from(corpus, monkeypatch):
    """An edit made while a rebuild runs leaves the index stale, so searches keep reading wordings."""
    started = search.glossary_version(search._signature())
    original = search._rebuilders["organisations"]

    def rebuild_while_someone_edits() -> int:
        count = original()
        sector = Sector.objects.order_by("pk").first()
        sector.name_en = "Renamed during the rebuild"
        sector.save()
        return count

    monkeypatch.setitem(search._rebuilders, "organisations", rebuild_while_someone_edits)
    search.rebuild_all()
    assert SearchIndexState.objects.get().glossary == started
    assert not search.search_index_current()
    assert Organisation.objects.filter(key="gl-agri").exists()
