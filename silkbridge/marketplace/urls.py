from django.urls import path

from silkbridge.marketplace import views

app_name = "marketplace"

urlpatterns = [
    path("", views.opportunity_list_view, name="opportunity_list"),
    path("new/", views.opportunity_create_view, name="opportunity_create"),
    path("mine/", views.mine_view, name="mine"),
    path("review/", views.review_queue_view, name="review_queue"),
    path("<int:pk>/", views.opportunity_detail_view, name="opportunity_detail"),
    path("<int:pk>/edit/", views.opportunity_edit_view, name="opportunity_edit"),
    path("<int:pk>/review/", views.opportunity_review_view, name="opportunity_review"),
    path("<int:pk>/interest/", views.interest_create_view, name="interest_create"),
    path("<int:pk>/<str:action>/", views.opportunity_action_view, name="opportunity_action"),
    path("interests/<int:pk>/", views.interest_detail_view, name="interest_detail"),
    path("interests/<int:pk>/answer/", views.interest_answer_view, name="interest_answer"),
    path("interests/<int:pk>/withdraw/", views.interest_withdraw_view, name="interest_withdraw"),
]
