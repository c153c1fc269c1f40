from django.urls import path
from django.views.generic import RedirectView

from veiligheidskaart.web import views

urlpatterns = [
    path("", RedirectView.as_view(url="/kaart", permanent=False)),
    path("kaart", views.kaart, name="kaart"),
    path("favicon.ico", RedirectView.as_view(url="/static/web/favicon.svg", permanent=True)),
]
