"""Admin of the plumbing floor.

django-tasks-db registers its task table with every column shown, the task's arguments and return
value included: those can hold personal data (an e-mail's address and text). Staff see the queue's
state here without them; the work's own outcome is in the background runs, listed read-only below
(an e-mail that could not be sent is a failed run of kind "core.mail").
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

# Imported first, so that its registration exists to be replaced (this app comes before it).
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from silkbridge.core.models import Run

HIDDEN_TASK_FIELDS = ("args_kwargs", "return_value")


class TaskResultAdmin(DBTaskResultAdmin):
    """django-tasks-db's read-only admin without the task's arguments and return value."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [name for name in super().get_readonly_fields(request, obj) if name not in HIDDEN_TASK_FIELDS]


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    """Background runs, read-only: what is running, what failed and why (e-mails given up included)."""

    list_display = ("pk", "kind", "status", "created_by", "created_at", "finished_at", "error")
    list_filter = ("kind", "status")
    search_fields = ("kind", "error")
    ordering = ("-created_at", "-pk")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.is_finished  # a queued or running run holds its key until it ends
