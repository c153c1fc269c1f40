"""REST API v1 routes (see views.py)."""


urlpatterns: list[object] = []
