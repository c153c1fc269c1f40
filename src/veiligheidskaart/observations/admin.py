from django.contrib import admin

from veiligheidskaart.observations.models import Event, Kerncijfer, Observation


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = [
        "source_code",
        "area",
        "period_start",
        "granularity",
        "value",
        "status",
        "dataset",
    ]
    list_filter = ["granularity", "status", "dataset__table_id"]
    search_fields = ["source_code", "area__code", "area__name"]
    list_select_related = ["area", "dataset"]
    raw_id_fields = ["area", "dataset"]


@admin.register(Kerncijfer)
class KerncijferAdmin(admin.ModelAdmin):
    list_display = ["area", "year", "inhabitants", "households", "dwellings", "businesses"]
    list_filter = ["year"]
    search_fields = ["area__code", "area__name"]
    list_select_related = ["area"]
    raw_id_fields = ["area", "dataset"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["category", "occurred_at", "area", "assignment", "dataset"]
    list_filter = ["assignment", "dataset__table_id"]
    list_select_related = ["area", "dataset"]
    raw_id_fields = ["area", "dataset"]
