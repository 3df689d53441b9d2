"""Queries of one or two characters ("AI", "5G", "产品"). No trigram serves them, so their name tier is
"a word of a name begins with the query", read from the index's name-word rows ("#n<word>"): a name
that merely holds the letters ("Mountain Dairy" for "AI") no longer ranks first. Until the index has
those rows (a rebuild after an upgrade), the names themselves are tested, as before."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from silkbridge.accounts.tests.factories import StaffFactory
from silkbridge.directory import search
from silkbridge.directory.models import Organisation, OrganisationSearchToken, SearchIndexState
from silkbridge.directory.selectors import organisation_list
from silkbridge.directory.services import organisation_update
from silkbridge.directory.tests.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ai_directory")]


@pytest.fixture
def ai_directory():
    rows = [
        ("indus", "Indus AI Labs", "", "Crop yield models.", False),
        ("mountain", "Mountain Dairy", "", "AI for milk yields.", True),
        ("airport", "Airport Logistics", "", "AI routing for cargo.", False),
        ("basalt", "Basalt Systems", "", "AI vision on the line.", True),
        ("zhi", "Hangzhou Zhiyun", "杭州云智产品科技", "智能硬件。", False),
        ("pin", "Pinpoint Devices", "", "我们的产品包括传感器。", True),
        ("none", "Aspen Power", "", "Wind turbines.", True),
    ]
    for key, name_en, name_local, description, is_verified in rows:
        OrganisationFactory(
            key=key, name_en=name_en, name_local=name_local, description=description, is_verified=is_verified
        )
    search.rebuild_all()


KEYS = {"indus", "mountain", "airport", "basalt", "zhi", "pin", "none"}


def _keys(query: str) -> list[str]:
    """The fixture's organisations in the order the list shows them (the reference data has others)."""
    organisations = organisation_list(viewer=None, query=query)
    return [organisation.key for organisation in organisations if organisation.key in KEYS]


def test_a_two_letter_query_ranks_names_that_have_it_as_a_word_first():
    # Name tier: a name word begins with "ai" (Airport, AI); then the description tier (verified first);
    # "Mountain Dairy" holds the letters A, I twice but no word of it begins with them.
    assert _keys("AI") == ["airport", "indus", "basalt", "mountain"]
    assert _keys("ai") == _keys("AI")


def test_a_two_character_chinese_query_finds_the_word_in_a_chinese_name():
    assert _keys("产品") == ["zhi", "pin"]


def test_the_name_tier_reads_the_name_word_rows_not_every_name():
    with CaptureQueriesContext(connection) as queries:
        _keys("AI")
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "#nai" in sql
    # The names are not tested one by one (the test that walked the whole rank-order index).
    assert 'INSTR(UPPER("directory_organisation"."name_en")' not in sql
    assert 'STRPOS(UPPER("directory_organisation"."name_en")' not in sql


def test_a_renamed_organisation_is_found_by_its_new_name_word():
    # Staff rename it through the service the page and the API use; its name-word rows follow.
    organisation = Organisation.objects.get(key="none")
    organisation_update(actor=StaffFactory(), organisation=organisation, fields={"name_en": "Aspen AI Wind"})
    assert OrganisationSearchToken.objects.filter(document=organisation, term="#nai").exists()
    assert not OrganisationSearchToken.objects.filter(document=organisation, term="#npower").exists()
    # It matches "AI" by its name alone now, and ranks first (verified) in the name tier.
    assert _keys("AI") == ["none", "airport", "indus", "basalt", "mountain"]


def test_an_index_without_name_word_rows_tests_the_names_as_before():
    # An index rebuilt before the name-word rows existed (another INDEX_FORMAT) is not current: the
    # name tier tests every name for the letters, as it did, and the search finds the same organisations.
    SearchIndexState.objects.update(glossary="v1|an older index")
    OrganisationSearchToken.objects.filter(term__startswith=search.NAME_PREFIX).delete()
    assert not search.search_index_current()
    assert _keys("AI") == ["mountain", "airport", "indus", "basalt"]
    search.rebuild_all()
    assert search.search_index_current()
    assert _keys("AI") == ["airport", "indus", "basalt", "mountain"]
