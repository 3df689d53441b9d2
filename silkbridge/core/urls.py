from django.urls import path

from silkbridge.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/language/", views.language_switch, name="language_switch"),
    path("runs/<int:run_id>/", views.run_detail, name="run_detail"),
]
