from django.db import models
from django.utils.translation import gettext_lazy as _


class ZoneKind(models.TextChoices):
    STZ = "stz", _("Special Technology Zone")
    IT_PARK = "it_park", _("IT park")
    SEZ = "sez", _("Special Economic Zone")


class ZoneStatus(models.TextChoices):
    OPERATIONAL = "operational", _("Operational")
    NOTIFIED = "notified", _("Notified")
    UNDER_DEVELOPMENT = "under_development", _("Under development")
    PLANNED = "planned", _("Planned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SpaceKind(models.TextChoices):
    OFFICE = "office", _("Office space (m²)")
    PLOT = "plot", _("Plots")
    RACK = "rack", _("Data center racks")


class MustHave(models.TextChoices):
    BONDED_WAREHOUSE = "bonded_warehouse", _("Bonded warehouse")
    FIBRE = "fibre", _("Fibre")
    HOUSING = "housing", _("Housing")
    DATA_CENTER = "data_center", _("Data center on site")
