from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Veiligheidskaart – beheer"
admin.site.site_title = "Veiligheidskaart"
admin.site.index_title = "Beheer"

urlpatterns = [
    path("beheer/", admin.site.urls),
    # each domain app brings its own API routes; api.urls last, for its problem+json 404
    path("api/v1/", include("veiligheidskaart.policy.api_urls")),
    path("api/v1/", include("veiligheidskaart.meldingen.api_urls")),
    path("api/v1/", include("veiligheidskaart.reports.api_urls")),
    path("api/v1/", include("veiligheidskaart.api.urls")),
    path("open311/v2/", include("veiligheidskaart.meldingen.open311_urls")),
    path("", include("veiligheidskaart.policy.urls")),
    path("", include("veiligheidskaart.meldingen.urls")),
    path("", include("veiligheidskaart.reports.urls")),
    path("", include("veiligheidskaart.web.urls")),
]

handler404 = "veiligheidskaart.api.errors.page_not_found"
handler500 = "veiligheidskaart.api.errors.server_error"
