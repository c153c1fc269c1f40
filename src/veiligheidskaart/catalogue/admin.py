from django.contrib import admin

from veiligheidskaart.catalogue.models import Indicator, SeriesBreak, Theme, Veiligheidsveld


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    fields = ["code", "name", "seriousness", "sensitive", "qualitative"]


@admin.register(Veiligheidsveld)
class VeldAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]
    inlines = [ThemeInline]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "veld", "seriousness", "sensitive", "qualitative"]
    list_filter = ["veld", "sensitive"]
    search_fields = ["code", "name"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "theme", "source", "validity", "denominator", "per", "bbv"]
    list_filter = ["source", "validity", "denominator", "bbv", "theme__veld"]
    search_fields = ["code", "name"]


@admin.register(SeriesBreak)
class SeriesBreakAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "source", "start", "end"]
