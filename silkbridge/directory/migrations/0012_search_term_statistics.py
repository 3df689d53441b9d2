"""PostgreSQL: a finer histogram of the search index's terms (10,000 buckets instead of 100), so that the
planner estimates a word's prefix range from its real size.

With the default target, a range narrower than a bucket was estimated from a rough interpolation: at
100,000 organisations (11 million rows) "agri" (27,344 rows) was estimated at 1 row and "moni" (13,528)
at 5, and PostgreSQL chose plans for one row (nested loops over a whole range). With 10,000 buckets
(about 1,100 rows each) the estimates fall within 2 % ("agri" 27,563, "moni" 13,567, "cleansing" 834
for 786). ANALYZE then samples 3 million rows (15 s at that size, run by autovacuum). SQLite has no
per-column histogram: nothing to do there."""

from django.db import migrations

TABLES = ["directory_organisationsearchtoken"]
TARGET = 10_000


def set_statistics(apps, schema_editor, target=TARGET):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN term SET STATISTICS {target}")


def reset_statistics(apps, schema_editor):
    set_statistics(apps, schema_editor, target=-1)


class Migration(migrations.Migration):
    dependencies = [("directory", "0011_search_index_state")]

    operations = [migrations.RunPython(set_statistics, reset_statistics, elidable=False)]
