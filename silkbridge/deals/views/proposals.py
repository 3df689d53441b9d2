"""The deals pages: proposals."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
