"""Policy routes of API v1 (see policy/api.py)."""

from django.urls import URLPattern, URLResolver, path

from veiligheidskaart.policy import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("actions/", api.ActionListView.as_view(), name="api-v1-actions"),
    path("actions/<int:pk>/", api.ActionDetailView.as_view(), name="api-v1-action"),
    path("actions/<int:pk>/status/", api.ActionStatusView.as_view(), name="api-v1-action-status"),
    path("goals/", api.GoalListView.as_view(), name="api-v1-goals"),
    path(
        "adopted-priorities/",
        api.AdoptedPriorityListView.as_view(),
        name="api-v1-adopted-priorities",
    ),  # fmt: skip
]
