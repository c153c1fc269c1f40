"""Policy pages (internal, after login)."""

from django.urls import URLPattern, URLResolver, path

from veiligheidskaart.policy import plans, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("doelen", views.doelen, name="doelen"),
    path("acties", views.acties, name="acties"),
    path("acties/nieuw", views.actie_formulier, name="actie-nieuw"),
    path("acties/<int:pk>", views.actie, name="actie"),
    path("acties/<int:pk>/bewerken", views.actie_formulier, name="actie-bewerken"),
    path("actieplan/<int:jaar>", plans.actieplan, name="actieplan"),
    path("agenda/<str:code>", plans.agenda, name="agenda"),
    path("begroting", plans.begroting, name="begroting"),
    path("beleid/prioriteiten", plans.matrix, name="prioriteitenmatrix"),
]
