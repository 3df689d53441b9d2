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
