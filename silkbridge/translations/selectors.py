"""Reads of translations: what a reader sees of an object's free text in their language.

A translation has no page, endpoint or lookup of its own: it is read only through `reading_for`,
which takes the object itself, and the caller got that object through its own app's selector (the
profile selector for a profile). So a translation is exactly as visible as its object: a private
profile's translation reaches nobody who cannot see the profile.

The author's own translation wins over a machine one; either is shown only while it is current (made
from the text as it is now), so a stale translation is never shown as the text's translation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from silkbridge.translations.choices import LANGUAGE_NAMES, LANGUAGES, TranslationSource
from silkbridge.translations.models import Translation
from silkbridge.translations.registry import translatable
from silkbridge.translations.services import text_version


@dataclass(frozen=True)
class ShownText:
    """One field as the reader sees it: the original, or a translation (its source and backend)."""

    text: str
    language: str
    source: str = ""  # "" for the original, else TranslationSource
    backend: str = ""

    @property
    def is_translation(self) -> bool:
        return bool(self.source)

    @property
    def is_machine(self) -> bool:
        return self.source == TranslationSource.MACHINE


@dataclass(frozen=True)
class Reading:
    """An object's free text for one reader: each field as shown, and what the page says about it."""

    source_language: str
    reader_language: str
    fields: dict[str, ShownText]
    translations: dict[str, ShownText] = field(default_factory=dict)  # current ones, shown or not
    showing_original: bool = False
    machine_translation_on: bool = False

    @property
    def needs_translation(self) -> bool:
        return self.reader_language != self.source_language

    @property
    def shows_translation(self) -> bool:
        return any(shown.is_translation for shown in self.fields.values())

    @property
    def has_machine(self) -> bool:
        return any(shown.is_machine for shown in self.translations.values())

    @property
    def source_language_name(self) -> str:
        return str(LANGUAGE_NAMES.get(self.source_language, self.source_language))

    @property
    def reader_language_name(self) -> str:
        return str(LANGUAGE_NAMES.get(self.reader_language, self.reader_language))


def current_translations(*, obj: models.Model, language: str) -> dict[str, ShownText]:
    """The current translations of `obj`'s registered fields into `language`, author's first. `obj`
    must come from its own app's selector for the reader (see the module's docstring)."""
    spec = translatable(type(obj))
    source_language = spec.language_of(obj)
    if language not in LANGUAGES or language == source_language:
        return {}
    versions = {name: text_version(text=getattr(obj, name) or "", language=source_language) for name in spec.fields}
    rows = Translation.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        language=language,
        field__in=spec.fields,
    )
    chosen: dict[str, Translation] = {}
    for row in rows:
        if row.source_version != versions[row.field]:
            continue  # made from an earlier text: not this text's translation
        if row.field not in chosen or row.source == TranslationSource.AUTHOR:
            chosen[row.field] = row
    return {
        name: ShownText(text=row.text, language=language, source=row.source, backend=row.backend)
        for name, row in chosen.items()
    }


def reading_for(*, obj: models.Model, reader_language: str, show_original: bool = False) -> Reading:
    """What the reader sees of `obj`'s free text: in the reader's language where a current translation
    exists (unless they asked for the original), else the original. `obj` comes from its own selector."""
    spec = translatable(type(obj))
    source_language = spec.language_of(obj)
    originals = {name: ShownText(text=getattr(obj, name) or "", language=source_language) for name in spec.fields}
    translations = current_translations(obj=obj, language=reader_language)
    shown = dict(originals) if show_original else {**originals, **translations}
    return Reading(
        source_language=source_language,
        reader_language=reader_language,
        fields=shown,
        translations=translations,
        showing_original=show_original and bool(translations),
        machine_translation_on=getattr(settings, "MT_BACKEND", "none") != "none",
    )


def author_translations_of(*, obj: models.Model) -> dict[str, dict[str, str]]:
    """The author's own translations as stored (language -> field -> text), current or not: what the
    author's form shows to edit. `obj` comes from its own selector, for someone who may edit it."""
    rows = Translation.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        source=TranslationSource.AUTHOR,
    ).order_by("language", "field")
    result: dict[str, dict[str, str]] = {}
    for row in rows:
        result.setdefault(row.language, {})[row.field] = row.text
    return result


def readings_for_many(
    *, objects: list[models.Model], reader_language: str, show_original: bool = False
) -> dict[int, Reading]:
    """`reading_for` for each of a list of objects of one model (a page of messages), in one query; by
    primary key. The objects come from their own selector, as for `reading_for`."""
    if not objects:
        return {}
    spec = translatable(type(objects[0]))
    versions = {
        (obj.pk, name): text_version(text=getattr(obj, name) or "", language=spec.language_of(obj))
        for obj in objects
        for name in spec.fields
    }
    rows = Translation.objects.filter(
        content_type=ContentType.objects.get_for_model(objects[0], for_concrete_model=False),
        object_id__in=[obj.pk for obj in objects],
        language=reader_language,
        field__in=spec.fields,
    )
    chosen: dict[tuple[int, str], Translation] = {}
    for row in rows:
        key = (row.object_id, row.field)
        if versions.get(key) == row.source_version and (key not in chosen or row.source == TranslationSource.AUTHOR):
            chosen[key] = row
    readings = {}
    for obj in objects:
        source_language = spec.language_of(obj)
        originals = {name: ShownText(text=getattr(obj, name) or "", language=source_language) for name in spec.fields}
        translations = {
            name: ShownText(text=row.text, language=reader_language, source=row.source, backend=row.backend)
            for (pk, name), row in chosen.items()
            if pk == obj.pk and reader_language != source_language
        }
        readings[obj.pk] = Reading(
            source_language=source_language,
            reader_language=reader_language,
            fields=dict(originals) if show_original else {**originals, **translations},
            translations=translations,
            showing_original=show_original and bool(translations),
            machine_translation_on=getattr(settings, "MT_BACKEND", "none") != "none",
        )
    return readings
