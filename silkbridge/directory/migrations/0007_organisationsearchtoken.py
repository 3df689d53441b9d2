"""The search index of organisations (directory.search): one row per distinct word and tag.

- On PostgreSQL the term column is collated "C", so that, as on SQLite, terms sort by code point and
  the words beginning with a query token are one range of the (term, document) index.
- Existing organisations are indexed from their search text (its words, space-separated) and tags.
- The trigram index on the search text (0003) goes: nothing searches that text with LIKE any more,
  and it made every write of an organisation costlier.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "directory_organisationsearchtoken"
MAX_TERM_LENGTH = 100
TRIGRAM_INDEX = "directory_org_search_trgm"


def collate_terms_by_code_point(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'ALTER TABLE {TABLE} ALTER COLUMN term TYPE varchar(100) COLLATE "C"')


def index_existing(apps, schema_editor):
    Organisation = apps.get_model("directory", "Organisation")
    Token = apps.get_model("directory", "OrganisationSearchToken")
    tags = {}
    for organisation_id, concept_id in Organisation.concepts.through.objects.values_list("organisation_id", "concept_id"):
        tags.setdefault(organisation_id, set()).add(f"#c{concept_id}")
    for organisation_id, sector_id in Organisation.sectors.through.objects.values_list("organisation_id", "sector_id"):
        tags.setdefault(organisation_id, set()).add(f"#s{sector_id}")
    rows = []
    for pk, document in Organisation.objects.values_list("pk", "search_document").iterator(2000):
        terms = {word[:MAX_TERM_LENGTH] for word in document.split()} | tags.get(pk, set())
        rows.extend(Token(document_id=pk, term=term) for term in sorted(terms))
        if len(rows) > 20_000:
            Token.objects.bulk_create(rows, batch_size=2000)
            rows = []
    Token.objects.bulk_create(rows, batch_size=2000)


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN "
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON directory_organisation USING gin (search_document gin_trgm_ops); "
        "END IF; END $$"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0006_import_run_background_run'),
    ]

    operations = [
        migrations.CreateModel(
            name='OrganisationSearchToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term', models.CharField(max_length=100)),
                ('document', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='search_tokens', to='directory.organisation')),
            ],
            options={
                'indexes': [models.Index(fields=['term', 'document'], name='directory_org_search_term')],
                'constraints': [models.UniqueConstraint(fields=('document', 'term'), name='directory_org_search_token_unique')],
            },
        ),
        migrations.RunPython(collate_terms_by_code_point, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(index_existing, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(drop_trigram_index, create_trigram_index, elidable=False),
    ]
