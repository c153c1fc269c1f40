from django.apps import AppConfig


class MeldingenConfig(AppConfig):
    name = "veiligheidskaart.meldingen"
    label = "meldingen"
