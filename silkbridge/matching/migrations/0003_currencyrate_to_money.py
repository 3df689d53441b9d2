# CurrencyRate now belongs to the money app (money 0001 takes it over, keeping the table and its rows).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("matching", "0002_text_embedding"),
        ("money", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CurrencyRate")],
            database_operations=[],
        ),
    ]
