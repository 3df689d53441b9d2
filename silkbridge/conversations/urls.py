from django.urls import path

from silkbridge.conversations import views

app_name = "conversations"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("interests/<int:interest_id>/", views.interest_thread_view, name="interest_thread"),
    path("meetings/<int:meeting_id>/", views.meeting_thread_view, name="meeting_thread"),
    path("files/<int:attachment_id>/", views.attachment_view, name="attachment"),
]
