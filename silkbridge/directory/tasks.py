"""Background tasks of the directory (Django's task framework, run by `silkbridge db_worker`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from silkbridge.core.runs import run_execute
from silkbridge.directory import importer, search


@task()
def organisations_import_task(
    run_id: int, *, stored_name: str, file_name: str, all_or_nothing: bool, actor_id: int | None
) -> Any:
    """A bulk import of organisations, uploaded by staff and stored by `importer.import_start`."""
    return run_execute(
        run_id,
        lambda progress: importer.stored_file_import(
            run_id=run_id,
            stored_name=stored_name,
            file_name=file_name,
            all_or_nothing=all_or_nothing,
            actor_id=actor_id,
            progress=progress,
        ),
    )


@task()
def search_rebuild_task(run_id: int) -> Any:
    """Rebuild the search index of every kind of document after a glossary edit (`search_rebuild_start`)."""
    return run_execute(run_id, lambda progress: search.rebuild_all(progress))
