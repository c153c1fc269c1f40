"""REST API v1 routes (see views.py)."""

from django.urls import path

urlpatterns: list[object] = []
