from django.urls import path

from silkbridge.zones import incentives_views, views

app_name = "zones"

urlpatterns = [
    path("", views.zone_list_view, name="zone_list"),
    path("incentives/", incentives_views.incentive_calculator_view, name="incentive_calculator"),
    path("<slug:key>/", views.zone_detail_view, name="zone_detail"),
]
