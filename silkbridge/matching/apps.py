from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "silkbridge.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        # Matching reacts to the floors below it through their hooks (it imports them; they never
        # import matching): a changed profile has its matches refreshed, a new rate rebuilds them all,
        # and the marketplace's form asks matching's glossary reader which terms a text speaks of. The
        # zones' relocation advisor asks the same reader for a request's sectors, and for the cities of
        # the company's matched partners.
        from silkbridge.marketplace import hooks as marketplace_hooks
        from silkbridge.matching import relocation, services
        from silkbridge.money import hooks as money_hooks
        from silkbridge.zones import hooks as zones_hooks

        marketplace_hooks.opportunity_changed.register(services.refresh_after_commit)
        marketplace_hooks.terms_suggested.register(services.suggest_terms)
        money_hooks.rates_changed.register(services.rebuild_after_rate)
        zones_hooks.relocation_terms.register(services.suggest_terms)
        zones_hooks.partner_cities.register(relocation.partner_cities)
