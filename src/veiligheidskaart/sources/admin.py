from django.contrib import admin

from veiligheidskaart.sources.models import Dataset


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = [
        "table_id",
        "kind",
        "area_scope",
        "version",
        "is_current",
        "vintage",
        "published_on",
        "classification",
        "row_count",
        "imported_at",
    ]
    list_filter = ["kind", "classification", "is_current", "publisher"]
    search_fields = ["series_key", "table_id", "file_name", "sha256"]
    readonly_fields = [f.name for f in Dataset._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False  # datasets come from the import service only
