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

        # A meeting request's message can be translated by its sender or a machine (translations); it has no
        # language field: its script says which it is.
        from silkbridge.common.languages import detect_language
        from silkbridge.events.models import MeetingRequest
        from silkbridge.translations import registry

        registry.register(
            MeetingRequest, fields=("message",), language_of=lambda request: detect_language(request.message)
        )
