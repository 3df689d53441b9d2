from django.urls import include, path

from silkbridge.deals.views import calls, mou, pipeline, proposals, reviews, routing

app_name = "deals"

urlpatterns = [path("", include(part.urlpatterns)) for part in (pipeline, calls, proposals, reviews, mou, routing)]
