"""The deals pages: pipeline."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
