"""PostgreSQL: the profiles' search index gets the finer term histogram the directory's has (directory
migration 0012 says why)."""

from django.db import migrations

TARGET = 10_000


def set_statistics(apps, schema_editor, target=TARGET):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE marketplace_opportunitysearchtoken ALTER COLUMN term SET STATISTICS {target}")


def reset_statistics(apps, schema_editor):
    set_statistics(apps, schema_editor, target=-1)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0004_opportunityevent")]

    operations = [migrations.RunPython(set_statistics, reset_statistics, elidable=False)]
