"""The deals pages: reviews."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
