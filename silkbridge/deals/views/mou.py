"""The deals pages: mou."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
