from django.contrib import admin

from veiligheidskaart.accounts.models import StadsdeelScope


@admin.register(StadsdeelScope)
class StadsdeelScopeAdmin(admin.ModelAdmin):
    list_display = ["user", "stadsdeel"]
    raw_id_fields = ["stadsdeel"]
