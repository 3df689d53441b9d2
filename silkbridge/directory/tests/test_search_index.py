"""On PostgreSQL the directory search is answered from indexes, not by reading every organisation.

The search's patterns (`search_document LIKE '% word%'`) were one OR together with the tag
subqueries, which PostgreSQL can only evaluate row by row: 140-380 ms per page over 2,000
organisations under load. Each wording is now its own arm of a UNION that the trigram index
(migration directory 0003) answers. With sequential scans priced out, the plan must use that index
and must not read the organisation table from end to end.
"""

import pytest
from django.db import connection

from silkbridge.directory.selectors import organisation_list

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.postgres_only]


def _plan(query: str) -> str:
    sql, params = organisation_list(viewer=None, query=query)[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("query", ["crop disease detection", "作物病害识别", "فصلوں کی بیماری کی شناخت", "robotics"])
def test_every_wording_of_a_search_is_answered_from_the_trigram_index(query):
    plan = _plan(query)
    assert "directory_org_search_trgm" in plan
    assert "Seq Scan on directory_organisation" not in plan
