# Moves CurrencyRate from matching to money without copying a row: the table keeps its name
# (matching_currencyrate), only Django's idea of which app owns it changes. matching 0003 drops it
# from matching's state. The content type is handed over too, so permissions granted on it stay.

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_to_money(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="money", model="currencyrate").exists():
        content_type.objects.filter(app_label="matching", model="currencyrate").update(app_label="money")


def content_type_to_matching(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="matching", model="currencyrate").exists():
        content_type.objects.filter(app_label="money", model="currencyrate").update(app_label="matching")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("matching", "0002_text_embedding"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CurrencyRate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('currency', models.CharField(max_length=3, validators=[django.core.validators.RegexValidator('^[A-Z]{3}$', 'Use a three-letter ISO 4217 code such as PKR, CNY or USD.')], verbose_name='currency')),
                        ('units_per_usd', models.DecimalField(decimal_places=6, max_digits=20, validators=[django.core.validators.MinValueValidator(1e-06)], verbose_name='units per US dollar')),
                        ('valid_from', models.DateField(verbose_name='valid from')),
                        ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('set_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='set by')),
                    ],
                    options={
                        'verbose_name': 'currency rate',
                        'verbose_name_plural': 'currency rates',
                        'db_table': 'matching_currencyrate',
                        'ordering': ('currency', '-valid_from'),
                        'constraints': [models.UniqueConstraint(fields=('currency', 'valid_from'), name='matching_rate_one_per_day', violation_error_message='This currency already has a rate from that date.'), models.CheckConstraint(condition=models.Q(('units_per_usd__gt', 0)), name='matching_rate_positive')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_money, content_type_to_matching),
    ]
