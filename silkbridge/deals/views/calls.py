"""The deals pages: calls."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
