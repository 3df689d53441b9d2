from django.urls import path

from silkbridge.matching import views

app_name = "matching"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("all/", views.staff_matches_view, name="staff_matches"),
    path("rates/", views.rates_view, name="rates"),
    path("profile/<int:pk>/", views.profile_matches_view, name="profile_matches"),
    path("<int:match_id>/feedback/", views.feedback_view, name="feedback"),
    path("digest/", views.digest_setting_view, name="digest_setting"),
    path("digest/opt-out/<str:token>/", views.digest_opt_out_view, name="digest_opt_out"),
]
