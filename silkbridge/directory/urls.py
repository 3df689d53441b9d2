from django.urls import path

from silkbridge.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.organisation_list_view, name="organisation_list"),
    path("new/", views.organisation_create_view, name="organisation_create"),
    path("import/", views.import_view, name="import"),
    path("import/<int:pk>/", views.import_report_view, name="import_report"),
    path("technologies/", views.sector_list_view, name="sector_list"),
    path("invitations/<str:token>/accept/", views.invitation_accept_view, name="invitation_accept"),
    path("claims/", views.claim_queue_view, name="claim_queue"),
    path("claims/<int:pk>/", views.claim_detail_view, name="claim_detail"),
    path("waiting-requests/", views.held_requests_view, name="held_requests"),
    path("<str:key>/", views.organisation_detail_view, name="organisation_detail"),
    path("<str:key>/edit/", views.organisation_edit_view, name="organisation_edit"),
    path("<str:key>/members/", views.organisation_members_view, name="organisation_members"),
    path("<str:key>/members/<int:membership_id>/remove/", views.membership_remove_view, name="membership_remove"),
    path("<str:key>/claim/", views.organisation_claim_view, name="organisation_claim"),
    path("<str:key>/verify/", views.organisation_verify_view, name="organisation_verify"),
]
