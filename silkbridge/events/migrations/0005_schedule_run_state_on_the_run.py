"""The scheduler run's state now lives on its background run: drop the copies (a second migration, so
that PostgreSQL has no pending foreign-key checks from the data migration when the table is altered)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_schedule_runs_on_background_runs"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="schedulerun", name="events_schedulerun_one_active_per_event"),
        migrations.AlterModelOptions(
            name="schedulerun",
            options={"ordering": ("-pk",), "verbose_name": "scheduler run", "verbose_name_plural": "scheduler runs"},
        ),
        migrations.RemoveField(model_name="schedulerun", name="error"),
        migrations.RemoveField(model_name="schedulerun", name="finished_at"),
        migrations.RemoveField(model_name="schedulerun", name="started_at"),
        migrations.RemoveField(model_name="schedulerun", name="started_by"),
        migrations.RemoveField(model_name="schedulerun", name="status"),
        migrations.AlterField(
            model_name="schedulerun",
            name="run",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT, related_name="schedule_run", to="core.run"
            ),
        ),
    ]
