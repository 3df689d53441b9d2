from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from silkbridge.site.api import api

# The admin in Silkbridge's name, in the reader's language (templates/admin/base_site.html adds the fonts).
admin.site.site_header = _("Silkbridge administration")
admin.site.site_title = _("Silkbridge administration")
admin.site.index_title = _("Reference data, accounts and records")
admin.site.site_url = "/"

urlpatterns = [
    path("", include("silkbridge.site.page_urls")),
    path("accounts/", include("silkbridge.accounts.urls")),
    path("directory/", include("silkbridge.directory.urls")),
    path("zones/", include("silkbridge.zones.urls")),
    path("datacenters/", include("silkbridge.datacenters.urls")),
    path("events/", include("silkbridge.events.urls")),
    path("marketplace/", include("silkbridge.marketplace.urls")),
    path("matches/", include("silkbridge.matching.urls")),
    path("notifications/", include("silkbridge.notifications.urls")),
    path("messages/", include("silkbridge.conversations.urls")),
    path("deals/", include("silkbridge.deals.urls")),
    path("analytics/", include("silkbridge.analytics.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler400 = "silkbridge.site.views.error_400"
handler403 = "silkbridge.site.views.error_403"
handler404 = "silkbridge.site.views.error_404"
handler500 = "silkbridge.site.views.error_500"
