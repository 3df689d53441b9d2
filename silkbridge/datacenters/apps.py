from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatacentersConfig(AppConfig):
    name = "silkbridge.datacenters"
    label = "datacenters"
    verbose_name = _("Data-center assessments")
