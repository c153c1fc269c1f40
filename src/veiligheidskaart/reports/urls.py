from django.urls import URLPattern, URLResolver, path

from veiligheidskaart.reports import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("rapporten", views.rapporten, name="rapporten"),
    path("rapporten/aanvragen", views.aanvragen, name="rapport-aanvragen"),
    path("rapporten/<int:pk>", views.rapport, name="rapport"),
    path("rapporten/<int:pk>/document", views.rapport_html, name="rapport-html"),
    path("rapporten/<int:pk>/pdf", views.rapport_pdf, name="rapport-pdf"),
    path("rapporten/<int:pk>/duiding", views.duiding, name="rapport-duiding"),
    path("rapporten/<int:pk>/status", views.status, name="rapport-status"),
    path("rapporten/<int:pk>/opnieuw", views.opnieuw, name="rapport-opnieuw"),
]
