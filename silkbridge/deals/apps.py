from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "silkbridge.deals"
    label = "deals"
    verbose_name = _("Deals")

    def ready(self) -> None:
        from django.core import checks

        from silkbridge.deals.seal import seal_key_check

        checks.register(seal_key_check, checks.Tags.security, deploy=False)
