from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "veiligheidskaart.web"
    label = "web"
