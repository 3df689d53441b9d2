"""A trigram index on the organisations' search document, on PostgreSQL.

The directory search matches words with `search_document LIKE '% word%'`; with pg_trgm's GIN index
PostgreSQL answers each pattern from the index instead of reading every organisation (docs/benchmarks.md,
load test). pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
Where it cannot be created the search still gives the same answers, by scanning; SQLite scans.
"""

import logging

from django.db import DatabaseError, migrations, transaction

INDEX = "directory_org_search_trgm"
logger = logging.getLogger(__name__)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        logger.warning("pg_trgm is not available (%s): the directory search will scan instead of using an index", error)
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON directory_organisation USING gin (search_document gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_organisation_history_and_verification_queue")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
