from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "veiligheidskaart.api"
    label = "api"
    verbose_name = "API"
