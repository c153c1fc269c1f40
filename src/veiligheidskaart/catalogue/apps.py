from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync(sender: AppConfig, **kwargs: object) -> None:
    from veiligheidskaart.catalogue.services import sync_catalogue

    sync_catalogue()


class CatalogueConfig(AppConfig):
    name = "veiligheidskaart.catalogue"
    label = "catalogue"
    verbose_name = "catalogus"

    def ready(self) -> None:
        post_migrate.connect(_sync, sender=self, dispatch_uid="catalogue_sync")
