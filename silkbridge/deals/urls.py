from django.urls import include, path

from silkbridge.deals.views import calls, cases, mou, pipeline, proposals, reviews, routing

app_name = "deals"

# The pipeline's deal pages (a reference after /deals/) come last, after every named path of the parts.

urlpatterns = [
    path("", include(part.urlpatterns)) for part in (calls, proposals, reviews, mou, routing, cases, pipeline)
]
