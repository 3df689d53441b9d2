from django.urls import path

from silkbridge.analytics import report_views, views

app_name = "analytics"

urlpatterns = [
    path("", views.overview_view, name="overview"),
    # before "<slug:name>/", which would take "reports" for a dashboard's name
    path("reports/", report_views.reports_view, name="reports"),
    path("reports/<int:run_id>.pdf", report_views.report_file_view, name="report_file"),
    path("public/", views.public_figures_view, name="public"),  # before the dashboards' <name>
    path("<slug:name>/", views.dashboard_view, name="dashboard"),
    path("figures/<slug:key>.<str:file_format>", views.figure_download_view, name="figure_download"),
]
