"""Root URLconf: every route lives in the bench app."""

from django.urls import include, path

urlpatterns = [
    path("", include("bench.urls")),
]
