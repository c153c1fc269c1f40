from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "veiligheidskaart.demo"
    label = "demo"
