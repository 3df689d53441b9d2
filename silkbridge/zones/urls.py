from django.urls import path

from silkbridge.zones import facts_views, incentives_views, relocation_views, views

app_name = "zones"

urlpatterns = [
    path("", views.zone_list_view, name="zone_list"),
    path("incentives/", incentives_views.incentive_calculator_view, name="incentive_calculator"),
    path("requests/", relocation_views.relocation_request_list_view, name="relocation_list"),
    path("requests/new/", relocation_views.relocation_request_create_view, name="relocation_create"),
    path("requests/<int:pk>/", relocation_views.relocation_request_detail_view, name="relocation_detail"),
    path("requests/<int:pk>/edit/", relocation_views.relocation_request_edit_view, name="relocation_edit"),
    path("requests/<int:pk>/zones/", relocation_views.relocation_advice_view, name="relocation_advice"),
    path("facts/review/", facts_views.zone_fact_review_list_view, name="zone_fact_review"),
    path(
        "facts/<int:pk>/approve/", facts_views.zone_fact_decide_view, {"decision": "approve"}, name="zone_fact_approve"
    ),
    path("facts/<int:pk>/reject/", facts_views.zone_fact_decide_view, {"decision": "reject"}, name="zone_fact_reject"),
    path("<slug:key>/", views.zone_detail_view, name="zone_detail"),
    path("<slug:key>/facts/", facts_views.zone_facts_view, name="zone_facts"),
]
