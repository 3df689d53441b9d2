from django.urls import path

from silkbridge.core import health, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/language/", views.language_switch, name="language_switch"),
    path("healthz", health.healthz, name="healthz"),
]
