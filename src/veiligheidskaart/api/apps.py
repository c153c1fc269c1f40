from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class ApiConfig(AppConfig):
    name = "veiligheidskaart.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from veiligheidskaart.api.ratelimit import create_cache_table

        # this app has no models, so it gets no post_migrate of its own: hang on accounts's
        post_migrate.connect(
            create_cache_table,
            sender=apps.get_app_config("accounts"),
            dispatch_uid="api_ratelimit_cache_table",
        )
