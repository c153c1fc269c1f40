from django.contrib import admin

from veiligheidskaart.areas.models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "vintage", "gemeente_code", "stadsdeel", "is_water"]
    list_filter = ["level", "vintage", "gemeente_code", "is_water"]
    search_fields = ["code", "name"]
    readonly_fields = ["parent", "stadsdeel", "dataset", "land_area_m2", "has_geometry"]
    list_select_related = ["stadsdeel"]
