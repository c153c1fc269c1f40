"""Policy pages (internal, after login)."""

from django.urls import URLPattern, URLResolver, path

from veiligheidskaart.policy import plans, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("doelen", views.doelen, name="doelen"),
    path("doelen/nieuw", views.doel_formulier, name="doel-nieuw"),
    path("doelen/<int:pk>/bewerken", views.doel_formulier, name="doel-bewerken"),
    path("acties", views.acties, name="acties"),
    path("acties/nieuw", views.actie_formulier, name="actie-nieuw"),
    path("acties/<int:pk>", views.actie, name="actie"),
    path("acties/<int:pk>/bewerken", views.actie_formulier, name="actie-bewerken"),
    path("actieplan/<int:jaar>", plans.actieplan, name="actieplan"),
    path("agenda/<str:code>", plans.agenda, name="agenda"),
    path("begroting", plans.begroting, name="begroting"),
    path("begroting/nieuw", views.begrotingsregel_formulier, name="begrotingsregel-nieuw"),
    path("beleid/prioriteiten", plans.matrix, name="prioriteitenmatrix"),
    path("beleid/prioriteiten/nieuw", views.prioriteit_formulier, name="prioriteit-nieuw"),
]
