"""Read-only admin views of meldingen and aandachtspunten, scoped like the inbox.

Writes go through the services (the inbox), so the admin changes nothing. It shows no e-mail
and no free text of a melding: those are in the inbox, where each look is logged.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from veiligheidskaart.meldingen import services
from veiligheidskaart.meldingen.models import Aandachtspunt, Melding, PersonalDataAccess


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Melding)
class MeldingAdmin(ReadOnly):
    list_display = ["pk", "category", "buurt", "stadsdeel", "status", "received_at", "deadline"]
    list_filter = ["status", "source", "category"]
    exclude = ["email", "description", "tracking_code", "x_rd", "y_rd", "event"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Melding]:
        return services.visible_meldingen(request.user)


@admin.register(Aandachtspunt)
class AandachtspuntAdmin(ReadOnly):
    list_display = ["pk", "stadsdeel", "year", "theme", "status", "received_at"]
    list_filter = ["year", "status", "theme"]
    exclude = ["email"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Aandachtspunt]:
        return services.visible_aandachtspunten(request.user)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnly):
    """The access log: for beheerders only (they hold every permission)."""

    list_display = ["at", "user", "melding_id", "reason"]
    list_filter = ["user"]
