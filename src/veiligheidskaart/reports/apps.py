from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "veiligheidskaart.reports"
    label = "reports"
