"""Mounted at /bench/ only when settings.PEERCHALLENGE_BENCH is on (see config/urls.py)."""

from django.urls import path

from .views import floor

urlpatterns = [
    path("floor/", floor, name="bench_floor"),
]
