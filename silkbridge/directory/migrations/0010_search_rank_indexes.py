"""Indexes for ranking a search's matches (directory.search.RankedResults), so that a page costs about
a page of organisations however many match.

- (is_verified DESC, name_en, id, name_local, visibility): the order within a tier (the id makes
  it total, so the last two columns only make it covering); a page of a large match set walks it
  and stops when full, and the name tier of a short query reads it alone (index-only scan).
- On PostgreSQL, trigram indexes on UPPER(name_en), UPPER(name_local) and UPPER(description), the
  expressions Django's `icontains` compares: the tiers "the query as typed in a name" and "in the
  description" are read from them instead of testing every match. pg_trgm is a trusted extension
  (migration 0003 creates it); where it is missing the tiers give the same answers, by scanning.
"""

import logging

from django.db import DatabaseError, migrations, models, transaction

logger = logging.getLogger(__name__)
TRIGRAM_INDEXES = {
    "directory_org_name_en_trgm": "UPPER(name_en::text)",
    "directory_org_name_local_trgm": "UPPER(name_local::text)",
    "directory_org_description_trgm": "UPPER(description)",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        logger.warning("pg_trgm is not available (%s): the search ranks its matches by scanning them", error)
        return
    for name, expression in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON directory_organisation USING gin ({expression} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in TRIGRAM_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0009_visibility_id_index")]

    operations = [
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                fields=["-is_verified", "name_en", "id", "name_local", "visibility"],
                name="directory_org_rank_order",
            ),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
