"""Open311 GeoReport v2 (see meldingen/open311.py); the format is the extension."""

from django.urls import path, re_path

from veiligheidskaart.meldingen import open311

FMT = r"(?P<fmt>json|xml)"

urlpatterns = [
    re_path(rf"^services\.{FMT}$", open311.services, name="open311-services"),
    re_path(rf"^requests\.{FMT}$", open311.requests, name="open311-requests"),
    re_path(
        rf"^requests/(?P<ident>[A-Za-z0-9-]{{1,40}})\.{FMT}$",
        open311.request_detail,
        name="open311-request",
    ),
    path("<path:path>", open311.not_found),
    path("", open311.not_found),
]
