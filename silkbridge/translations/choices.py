from django.db import models
from django.utils.translation import gettext_lazy as _

# The content languages a text is written or translated in (the keys of the trilingual labels).
LANGUAGES = ("en", "zh", "ur")
LANGUAGE_NAMES = {"en": _("English"), "zh": _("Chinese"), "ur": _("Urdu")}


class TranslationSource(models.TextChoices):
    AUTHOR = "author", _("Translated by the author")
    MACHINE = "machine", _("Machine translation")
