from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "silkbridge.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        # The zones' relocation advisor asks for the cities of the partners a company met at events
        # (zones sits below events and never imports it).
        from silkbridge.events import relocation
        from silkbridge.zones import hooks as zones_hooks

        zones_hooks.event_partner_cities.register(relocation.event_partner_cities)
