from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZonesConfig(AppConfig):
    name = "silkbridge.zones"
    label = "zones"
    verbose_name = _("Zones")
