from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "silkbridge.marketplace"
    label = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        from silkbridge.directory import search
        from silkbridge.marketplace.services import opportunities_reindex_all

        # The directory's search module rebuilds profiles too, without importing the marketplace.
        search.register("opportunities", opportunities_reindex_all)
