"""REST API v1 routes (see views.py); anything else under /api/v1/ is a problem+json 404."""

from django.urls import path, re_path

from veiligheidskaart.api import errors, views

urlpatterns = [
    path("", views.RootView.as_view(), name="api-v1-root"),
    path("schema/", views.SchemaView.as_view(), name="api-v1-schema"),
    path("docs/", views.DocsView.as_view(url_name="api-v1-schema"), name="api-v1-docs"),
    path("areas/", views.AreasView.as_view(), name="api-v1-areas"),
    path("areas/<str:code>/series/", views.AreaSeriesView.as_view(), name="api-v1-area-series"),
    path("catalogue/", views.CatalogueView.as_view(), name="api-v1-catalogue"),
    path("indicators/", views.IndicatorListView.as_view(), name="api-v1-indicators"),
    path("indicators/<str:code>/", views.IndicatorDetailView.as_view(), name="api-v1-indicator"),
    path("map-layer/", views.MapLayerView.as_view(), name="api-v1-map-layer"),
    path(
        "meldingen-density/", views.MeldingenDensityView.as_view(), name="api-v1-meldingen-density"
    ),
    path("priorities/", views.PrioritiesView.as_view(), name="api-v1-priorities"),
    re_path(r"^.*/$", errors.not_found),
]
