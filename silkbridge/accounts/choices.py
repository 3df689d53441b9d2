from django.db import models
from django.utils.translation import gettext_lazy as _


class PlatformRole(models.TextChoices):
    STAFF = "staff", _("Staff")
    REVIEWER = "reviewer", _("Reviewer")
    MEMBER = "member", _("Member")
