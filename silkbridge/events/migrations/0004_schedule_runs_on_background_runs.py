"""Scheduler runs keep their plan figures; their state moves to a background run (core.Run).

Each existing run gets a core.Run with the same state, times, starter and error; one still queued or
running (its process is gone: nothing ran it in the background before) is marked failed. The "one active
run per event" constraint moves to the background run's exclusive key.
"""

import django.db.models.deletion
from django.db import migrations, models

STATUS = {"queued": "failed", "running": "failed", "finished": "succeeded", "failed": "failed"}
STOPPED = "The worker stopped before the run finished; start it again."


def runs_create(apps, schema_editor):
    ScheduleRun = apps.get_model("events", "ScheduleRun")
    Run = apps.get_model("core", "Run")
    for schedule_run in ScheduleRun.objects.order_by("pk").iterator():
        status = STATUS[schedule_run.status]
        finished_at = schedule_run.finished_at or schedule_run.started_at
        run = Run.objects.create(
            kind="events.schedule",
            created_by_id=schedule_run.started_by_id,
            status=status,
            progress=1.0 if status == "succeeded" else 0.0,
            result={"schedule_run": schedule_run.pk, "placed": schedule_run.placed} if status == "succeeded" else None,
            error=schedule_run.error or (STOPPED if schedule_run.status in ("queued", "running") else ""),
            exclusive_key=f"events.schedule:{schedule_run.event_id}",
            started_at=schedule_run.started_at,
            heartbeat_at=finished_at,
            finished_at=finished_at,
            attempts=1,
        )
        Run.objects.filter(pk=run.pk).update(created_at=schedule_run.started_at)
        ScheduleRun.objects.filter(pk=schedule_run.pk).update(run=run)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_runs"),
        ("events", "0003_free_text_length_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="schedulerun",
            name="run",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="schedule_run",
                to="core.run",
            ),
        ),
        migrations.RunPython(runs_create, migrations.RunPython.noop),
    ]
