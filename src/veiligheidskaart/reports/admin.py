"""Reports in /beheer/: read-only, because every write goes through the services (workflow,
pins, history); the pages under /rapporten are where reports are made and adopted."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from veiligheidskaart.reports.models import Report, ReportJob, ReportTransition


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnly):
    list_display = ("title", "kind", "periode", "status", "generated_on", "created_at")
    list_filter = ("kind", "status")
    exclude = ("content",)


@admin.register(ReportTransition)
class ReportTransitionAdmin(ReadOnly):
    list_display = ("report", "from_status", "to_status", "at", "by")


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnly):
    list_display = ("report", "action", "state", "progress", "stage", "requested_at")
    list_filter = ("state",)
