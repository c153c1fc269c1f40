from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "veiligheidskaart.areas"
    label = "areas"
