from django.urls import path

from silkbridge.datacenters import views

app_name = "datacenters"

urlpatterns = [
    path("", views.assessment_list_view, name="assessment_list"),
    path("examples/<str:name>", views.example_download_view, name="example"),
    path("schema.json", views.schema_download_view, name="schema"),
    path("<str:reference>/", views.assessment_detail_view, name="assessment_detail"),
    path("<str:reference>/report.pdf", views.assessment_pdf_view, name="assessment_pdf"),
    path("<str:reference>/assessment.json", views.assessment_json_view, name="assessment_json"),
    path("<str:reference>/design", views.assessment_design_view, name="assessment_design"),
    path("<str:reference>/delete", views.assessment_delete_view, name="assessment_delete"),
]
