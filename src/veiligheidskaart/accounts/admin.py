from django.contrib import admin
from django.http import HttpRequest

from veiligheidskaart.accounts.models import ApiKey, StadsdeelScope


@admin.register(StadsdeelScope)
class StadsdeelScopeAdmin(admin.ModelAdmin):
    list_display = ["user", "stadsdeel"]
    raw_id_fields = ["stadsdeel"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    # keys are made and revoked with `veiligheidskaart apikey`; the admin only shows them
    list_display = ["name", "prefix", "created", "revoked_at"]
    readonly_fields = ["name", "prefix", "created", "revoked_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
