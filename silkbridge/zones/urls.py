from django.urls import path

from silkbridge.zones import views

app_name = "zones"

urlpatterns = [
    path("", views.zone_list_view, name="zone_list"),
    path("<slug:key>/", views.zone_detail_view, name="zone_detail"),
]
