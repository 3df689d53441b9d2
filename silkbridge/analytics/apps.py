from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "silkbridge.analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from django.core import checks

        from silkbridge.analytics.selectors import public_figures_check

        checks.register(public_figures_check)

        # An import writes organisations around the services: the figures' summary is out of date.
        from silkbridge.analytics.summary import organisations_bulk_changed_received
        from silkbridge.directory.hooks import organisations_bulk_changed

        organisations_bulk_changed.register(organisations_bulk_changed_received)
