from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from silkbridge.core import health
from silkbridge.site import views

# The namespace stays "core" (core:home, core:language_switch): URL names did not change when these pages
# moved up to the site app.
app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.my_silkbridge, name="my_silkbridge"),
    path("i18n/language/", views.language_switch, name="language_switch"),
    path("runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("healthz", health.healthz, name="healthz"),
    # Browsers and feed readers ask for /favicon.ico whatever the page links: send them to our icon.
    path("favicon.ico", RedirectView.as_view(url=static("silkbridge/favicon.svg"), permanent=True), name="favicon"),
]
