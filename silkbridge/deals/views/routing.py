"""The deals pages: routing."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
