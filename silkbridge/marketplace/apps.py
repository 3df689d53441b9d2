from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "silkbridge.marketplace"
    label = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        from silkbridge.common.languages import detect_language
        from silkbridge.directory import search
        from silkbridge.marketplace.models import ExpressionOfInterest, Opportunity
        from silkbridge.marketplace.services import TRANSLATED_FIELDS, opportunities_reindex_all
        from silkbridge.translations import registry

        # The directory's search module rebuilds profiles too, without importing the marketplace.
        search.register("opportunities", opportunities_reindex_all)
        # A profile's free text can be translated by its author or a machine (the translations app).
        registry.register(Opportunity, fields=TRANSLATED_FIELDS, language_of=lambda opportunity: opportunity.language)
        # An interest's message has no language field: its script says which it is.
        registry.register(
            ExpressionOfInterest, fields=("message",), language_of=lambda interest: detect_language(interest.message)
        )
