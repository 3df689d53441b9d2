from django.urls import path

from silkbridge.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("public/", views.public_figures_view, name="public"),  # before the dashboards' <name>
    path("<slug:name>/", views.dashboard_view, name="dashboard"),
    path("figures/<slug:key>.<str:file_format>", views.figure_download_view, name="figure_download"),
]
