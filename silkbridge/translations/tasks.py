"""Background task of translations (Django's task framework, run by `silkbridge db_worker`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from silkbridge.translations import services


@task()
def machine_translate(
    *, content_type_id: int, object_id: int, field: str, target: str, version: str, attempt: int = 1
) -> dict[str, Any]:
    """Translate one field of one object into `target` with the configured backend; retried with a
    growing wait while the backend fails (see services.machine_translate)."""
    return services.machine_translate(
        content_type_id=content_type_id,
        object_id=object_id,
        field=field,
        target=target,
        version=version,
        attempt=attempt,
        retry=machine_translate,
    )
