from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "veiligheidskaart.policy"
    label = "policy"
