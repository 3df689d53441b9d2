"""The search index of opportunity profiles (directory.search): one row per distinct word and tag.

On PostgreSQL the term column is collated "C" (see directory 0007). Existing profiles are indexed
here as `opportunity_reindex` indexes them: title, summary, description, the labels and synonyms of
their technologies and sectors, and those tags.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "marketplace_opportunitysearchtoken"
MAX_TERM_LENGTH = 100


def collate_terms_by_code_point(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'ALTER TABLE {TABLE} ALTER COLUMN term TYPE varchar(100) COLLATE "C"')


def _concept_terms(concept):
    terms = [concept.label_en, concept.label_zh, concept.label_ur]
    for values in (concept.synonyms or {}).values():
        terms.extend(values)
    return [term for term in terms if term]


def index_existing(apps, schema_editor):
    from silkbridge.common.text import tokenize

    Opportunity = apps.get_model("marketplace", "Opportunity")
    Token = apps.get_model("marketplace", "OpportunitySearchToken")
    rows = []
    for opportunity in Opportunity.objects.prefetch_related("concepts", "sectors").order_by("pk").iterator(500):
        parts = [opportunity.title, opportunity.summary, opportunity.description]
        tags = set()
        for concept in opportunity.concepts.all():
            parts.extend(_concept_terms(concept))
            tags.add(f"#c{concept.pk}")
        for sector in opportunity.sectors.all():
            parts.extend([sector.name_en, sector.name_zh, sector.name_ur])
            tags.add(f"#s{sector.pk}")
        terms = {token[:MAX_TERM_LENGTH] for part in parts if part for token in tokenize(part, for_index=True)}
        rows.extend(Token(document_id=opportunity.pk, term=term) for term in sorted(terms | tags))
    Token.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('marketplace', '0002_free_text_length_limits'),
        ('directory', '0007_organisationsearchtoken'),
    ]

    operations = [
        migrations.CreateModel(
            name='OpportunitySearchToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term', models.CharField(max_length=100)),
                ('document', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='search_tokens', to='marketplace.opportunity')),
            ],
            options={
                'indexes': [models.Index(fields=['term', 'document'], name='marketplace_search_term')],
                'constraints': [models.UniqueConstraint(fields=('document', 'term'), name='marketplace_search_token_unique')],
            },
        ),
        migrations.RunPython(collate_terms_by_code_point, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(index_existing, migrations.RunPython.noop, elidable=False),
    ]
