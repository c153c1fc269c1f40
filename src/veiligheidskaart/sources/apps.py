from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "veiligheidskaart.sources"
    label = "sources"
