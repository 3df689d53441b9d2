from django.contrib import admin
from django.urls import include, path

from silkbridge.site.api import api

urlpatterns = [
    path("", include("silkbridge.site.page_urls")),
    path("accounts/", include("silkbridge.accounts.urls")),
    path("directory/", include("silkbridge.directory.urls")),
    path("zones/", include("silkbridge.zones.urls")),
    path("datacenters/", include("silkbridge.datacenters.urls")),
    path("events/", include("silkbridge.events.urls")),
    path("marketplace/", include("silkbridge.marketplace.urls")),
    path("matches/", include("silkbridge.matching.urls")),
    path("deals/", include("silkbridge.deals.urls")),
    path("analytics/", include("silkbridge.analytics.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler400 = "silkbridge.site.views.error_400"
handler403 = "silkbridge.site.views.error_403"
handler404 = "silkbridge.site.views.error_404"
handler500 = "silkbridge.site.views.error_500"
