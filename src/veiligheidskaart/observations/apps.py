from django.apps import AppConfig


class ObservationsConfig(AppConfig):
    name = "veiligheidskaart.observations"
    label = "observations"
