"""Which models have translated free text: each app registers its model, the fields and how to read
the text's language, in its AppConfig.ready (this floor never imports the apps above it). The
background task finds the current text through this registry, never by a name stored in a task row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Translatable:
    model: type[models.Model]
    fields: tuple[str, ...]
    language_of: Callable[[Any], str]


TRANSLATABLE: dict[str, Translatable] = {}


def register(model: type[models.Model], *, fields: tuple[str, ...], language_of: Callable[[Any], str]) -> None:
    TRANSLATABLE[model._meta.label_lower] = Translatable(model=model, fields=fields, language_of=language_of)


def translatable(model: type[models.Model]) -> Translatable:
    try:
        return TRANSLATABLE[model._meta.label_lower]
    except KeyError as error:
        raise LookupError(f"{model._meta.label} is not registered for translation") from error
