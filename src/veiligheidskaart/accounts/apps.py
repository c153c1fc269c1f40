from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync(sender: AppConfig, **kwargs: object) -> None:
    from veiligheidskaart.accounts.services import sync_roles

    sync_roles()


class AccountsConfig(AppConfig):
    name = "veiligheidskaart.accounts"
    label = "accounts"
    verbose_name = "gebruikers en rollen"

    def ready(self) -> None:
        # accounts is the last app with models in INSTALLED_APPS, so all permissions exist
        post_migrate.connect(_sync, sender=self, dispatch_uid="accounts_sync_roles")
