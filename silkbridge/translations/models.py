"""Translations of free text (a profile's title, an organisation's description, a message), by its
author or by a machine-translation backend, for any model that registers its fields (`registry`).

A translation is stored with the version of the text it was made from (`source_version`, a hash of
the text and its language): once the text changes, the translation is no longer current and is not
shown. A translation is never read on its own: only through the object it belongs to, which the
reader got through that object's own selector (`selectors.reading_for`).
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silkbridge.translations.choices import LANGUAGES, TranslationSource


class Translation(models.Model):
    """One field of one object in one language, by its author or a machine."""

    content_type = models.ForeignKey(ContentType, verbose_name=_("type"), on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(_("object"))
    field = models.CharField(_("field"), max_length=40)
    language = models.CharField(_("language"), max_length=8, choices=[(code, code) for code in LANGUAGES])
    text = models.TextField(_("text"), max_length=20_000, validators=[MaxLengthValidator(20_000)])
    source = models.CharField(_("made by"), max_length=8, choices=TranslationSource)
    backend = models.CharField(_("backend"), max_length=40, blank=True)
    source_version = models.CharField(_("version of the original"), max_length=64)
    created_at = models.DateTimeField(_("made at"), default=timezone.now)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language", "source"],
                name="translations_one_per_source",
                violation_error_message=_("This text already has a translation of this kind in this language."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.field} {self.language} ({self.source})"
