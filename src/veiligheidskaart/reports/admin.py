"""Reports in /beheer/: read-only, because every write goes through the services (workflow,
pins, history); the pages under /rapporten are where reports are made and adopted."""

from __future__ import annotations

from django.contrib import admin

from veiligheidskaart.adminbase import ReadOnlyAdmin
from veiligheidskaart.reports.models import Report, ReportJob, ReportTransition


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "periode", "status", "generated_on", "created_at")
    list_filter = ("kind", "status")
    exclude = ("content",)


@admin.register(ReportTransition)
class ReportTransitionAdmin(ReadOnlyAdmin):
    list_display = ("report", "from_status", "to_status", "at", "by")


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnlyAdmin):
    list_display = ("report", "action", "state", "progress", "stage", "requested_at")
    list_filter = ("state",)
