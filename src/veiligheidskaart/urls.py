from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Veiligheidskaart – beheer"
admin.site.site_title = "Veiligheidskaart"
admin.site.index_title = "Beheer"

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("api/v1/", include("veiligheidskaart.api.urls")),
    path("", include("veiligheidskaart.web.urls")),
]

handler404 = "veiligheidskaart.api.errors.page_not_found"
handler500 = "veiligheidskaart.api.errors.server_error"
