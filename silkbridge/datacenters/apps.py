from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatacentersConfig(AppConfig):
    name = "silkbridge.datacenters"
    label = "datacenters"
    verbose_name = _("Data-center assessments")

    def ready(self) -> None:
        # Core's runs tell the app when an assessment run ended: one the machinery failed is refunded.
        from silkbridge.core.runs import run_ended
        from silkbridge.datacenters.services import assessment_run_ended

        run_ended.register(assessment_run_ended)
