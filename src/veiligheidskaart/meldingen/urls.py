from django.urls import URLPattern, URLResolver, path

from veiligheidskaart.meldingen import inbox, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("meldingen/nieuw", views.nieuw, name="melding-nieuw"),
    path("meldingen/inbox", inbox.inbox, name="meldingen-inbox"),
    path("meldingen/inbox/<int:pk>", inbox.detail, name="melding-detail"),
    path(
        "meldingen/inbox/aandachtspunt/<int:pk>",
        inbox.aandachtspunt_status,
        name="aandachtspunt-status",
    ),
    path("meldingen/<str:code>", views.status, name="melding-status"),
    path("aandachtspunten/nieuw", views.aandachtspunt_nieuw, name="aandachtspunt-nieuw"),
    path(
        "aandachtspunten/ontvangen", views.aandachtspunt_ontvangen, name="aandachtspunt-ontvangen"
    ),
]
