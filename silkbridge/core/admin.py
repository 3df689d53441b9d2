"""Admin of the plumbing floor.

django-tasks-db registers its task table with every column shown, the task's arguments and return
value included: those can hold personal data (an e-mail's address and text). Staff see the queue's
state here without them; the work's own outcome is in the background runs.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

# Imported first, so that its registration exists to be replaced (this app comes before it).
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

HIDDEN_TASK_FIELDS = ("args_kwargs", "return_value")


class TaskResultAdmin(DBTaskResultAdmin):
    """django-tasks-db's read-only admin without the task's arguments and return value."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [name for name in super().get_readonly_fields(request, obj) if name not in HIDDEN_TASK_FIELDS]


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
