from django.urls import path
from django.views.generic import RedirectView

from veiligheidskaart.web import priorities, profile, views

urlpatterns = [
    path("", RedirectView.as_view(url="/kaart", permanent=False)),
    path("kaart", views.kaart, name="kaart"),
    path("gebied/<str:code>", profile.gebied, name="gebied"),
    path("prioriteiten", priorities.prioriteiten, name="prioriteiten"),
    path("prioriteiten.csv", priorities.prioriteiten_csv, name="prioriteiten-csv"),
    path("prioriteiten.xlsx", priorities.prioriteiten_xlsx, name="prioriteiten-xlsx"),
    path("favicon.ico", RedirectView.as_view(url="/static/web/favicon.svg", permanent=True)),
]
