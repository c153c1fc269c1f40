"""The private meldingen API (see meldingen/api.py)."""

from django.urls import path

from veiligheidskaart.meldingen import api

urlpatterns = [
    path("meldingen/", api.MeldingListView.as_view(), name="api-v1-meldingen"),
    path("meldingen/<int:pk>/", api.MeldingDetailView.as_view(), name="api-v1-melding"),
    path(
        "meldingen/<int:pk>/status/", api.MeldingStatusView.as_view(), name="api-v1-melding-status"
    ),
    path("meldingen/<int:pk>/notes/", api.MeldingNotesView.as_view(), name="api-v1-melding-notes"),
]
