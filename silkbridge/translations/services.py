"""Writes of translations: the author's own (called by the owning app's service, inside its
transaction, after its permission check) and the machine's (queued after the text is saved, made by a
background task, retried with a growing wait while the backend fails or cannot be reached).

PRIVACY: with a backend configured, the text is sent to it (settings.MT_URL); see docs/translations.md.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from silkbridge.core.models import Run, RunStatus
from silkbridge.translations.choices import LANGUAGE_NAMES, LANGUAGES, TranslationSource
from silkbridge.translations.clients import DeepLClient, LibreTranslateClient, TranslationClient, TranslationError
from silkbridge.translations.models import Translation
from silkbridge.translations.registry import translatable

logger = logging.getLogger(__name__)
# The error of the failed run that records a translation given up (translated when read).
NOT_TRANSLATED = gettext_noop("The machine translation could not be made: the translation server failed every try.")


def text_version(*, text: str, language: str) -> str:
    """The version of a text a translation was made from: a hash of the language and the text."""
    return hashlib.sha256(f"{language}\n{text}".encode()).hexdigest()


def backend_client() -> TranslationClient | None:
    """The configured machine-translation client, or None (SILKBRIDGE_MT_BACKEND=none)."""
    backend = getattr(settings, "MT_BACKEND", "none")
    timeout = float(getattr(settings, "MT_TIMEOUT_SECONDS", 15.0))
    if backend == "libretranslate":
        return LibreTranslateClient(url=settings.MT_URL, api_key=settings.MT_API_KEY, timeout=timeout)
    if backend == "deepl":
        return DeepLClient(url=settings.MT_URL, api_key=settings.MT_API_KEY, timeout=timeout)
    return None


def _content_type(obj: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(obj, for_concrete_model=False)


def _rows(obj: models.Model) -> models.QuerySet[Translation]:
    return Translation.objects.filter(content_type=_content_type(obj), object_id=obj.pk)


def author_translations_save(
    *, obj: models.Model, translations: Mapping[str, Mapping[str, Any]], limits: Mapping[str, int]
) -> None:
    """Store the author's own translations, language -> field -> text (an empty text removes one);
    fields not given are left as they are. Call it from the owning app's service, in its transaction,
    after its permission check. A wrong language, field or length raises ValidationError naming
    "translations" before anything is written."""
    spec = translatable(type(obj))
    source_language = spec.language_of(obj)
    errors: list[str] = []
    cleaned: list[tuple[str, str, str]] = []
    for language, fields in (translations or {}).items():
        if language not in LANGUAGES:
            errors.append(_("Unknown language: %(language)s.") % {"language": language})
            continue
        for field, value in (fields or {}).items():
            if field not in limits:
                errors.append(_("This field has no translation: %(field)s.") % {"field": field})
                continue
            text = (value or "").strip()
            if text and language == source_language:
                errors.append(
                    _("The text is already in %(language)s; a translation must be into another language.")
                    % {"language": LANGUAGE_NAMES[language]}
                )
            elif len(text) > limits[field]:
                errors.append(
                    _("The %(language)s translation of %(field)s is longer than %(limit)d characters.")
                    % {"language": LANGUAGE_NAMES[language], "field": field, "limit": limits[field]}
                )
            else:
                cleaned.append((language, field, text))
    if errors:
        raise ValidationError({"translations": errors})
    rows = _rows(obj).filter(source=TranslationSource.AUTHOR)
    for language, field, text in cleaned:
        if not text:
            rows.filter(language=language, field=field).delete()
            continue
        version = text_version(text=getattr(obj, field), language=source_language)
        Translation.objects.update_or_create(
            content_type=_content_type(obj),
            object_id=obj.pk,
            field=field,
            language=language,
            source=TranslationSource.AUTHOR,
            defaults={"text": text, "source_version": version, "created_at": timezone.now(), "backend": ""},
        )


def translations_delete(*, obj: models.Model) -> None:
    """Remove every translation of an object being deleted (in the caller's transaction)."""
    _rows(obj).delete()


def machine_translations_queue(*, obj: models.Model) -> int:
    """Once the transaction commits, queue a machine translation of each registered field of `obj` into
    each other language that has no current translation yet; the number queued. Nothing with no backend
    configured. Never raises for the backend: it is only called later, by the task."""
    if backend_client() is None:
        return 0
    spec = translatable(type(obj))
    source_language = spec.language_of(obj)
    current = {
        (row.field, row.language)
        for row in _rows(obj).only("field", "language", "source_version", "text")
        if row.source_version == text_version(text=getattr(obj, row.field, "") or "", language=source_language)
    }
    content_type_id = _content_type(obj).pk
    jobs: list[dict[str, Any]] = []
    for field in spec.fields:
        text = getattr(obj, field) or ""
        if not text.strip():
            continue
        version = text_version(text=text, language=source_language)
        for target in LANGUAGES:
            if target != source_language and (field, target) not in current:
                jobs.append(
                    {
                        "content_type_id": content_type_id,
                        "object_id": obj.pk,
                        "field": field,
                        "target": target,
                        "version": version,
                    }
                )
    if jobs:
        from silkbridge.translations.tasks import machine_translate

        transaction.on_commit(lambda: [machine_translate.enqueue(**job) for job in jobs])
    return len(jobs)


def _retry_seconds() -> tuple[int, ...]:
    return tuple(getattr(settings, "MT_RETRY_SECONDS", (30, 120, 600, 3600)))


def _queue_retry(task: Any, *, kwargs: dict[str, Any], wait: int) -> None:
    """The next try after `wait` seconds on a backend that can defer (the database worker's); at once on
    the immediate backend of the embedded mode and the tests, which cannot."""
    if task.get_backend().supports_defer and wait > 0:
        task = task.using(run_after=timezone.now() + timedelta(seconds=wait))
    task.enqueue(**kwargs)


def _current_text(content_type_id: int, object_id: int, field: str) -> tuple[models.Model, str, str] | None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    spec = translatable(model)
    if field not in spec.fields:
        return None
    obj = model._default_manager.filter(pk=object_id).first()
    if obj is None:
        return None
    return obj, getattr(obj, field) or "", spec.language_of(obj)


def machine_translate(
    *, content_type_id: int, object_id: int, field: str, target: str, version: str, attempt: int, retry: Any
) -> dict[str, Any]:
    """One try at translating one field (the body of the task `tasks.machine_translate`). A text that
    changed since it was queued is not translated (its new save queued its own); the translation is
    stored only if the text is still the one it was made from."""
    found = _current_text(content_type_id, object_id, field)
    if found is None:
        return {"status": "gone"}
    obj, text, source_language = found
    if text_version(text=text, language=source_language) != version:
        return {"status": "stale"}
    client = backend_client()
    if client is None:
        return {"status": "no backend"}
    try:
        translated = client.translate(text=text, source=source_language, target=target)
    except TranslationError as error:
        waits = _retry_seconds()
        kwargs = {
            "content_type_id": content_type_id,
            "object_id": object_id,
            "field": field,
            "target": target,
            "version": version,
        }
        if error.retry and attempt <= len(waits):
            _queue_retry(retry, kwargs={**kwargs, "attempt": attempt + 1}, wait=waits[attempt - 1])
            return {"status": "retrying", "attempt": attempt, "error": str(error)}
        logger.warning(
            "Machine translation of %s:%s %s given up after %d tries: %s",
            content_type_id,
            object_id,
            field,
            attempt,
            error,
        )
        _failure_record(kwargs=kwargs, attempts=attempt, error=error, backend=client.name)
        return {"status": "failed", "attempts": attempt, "error": str(error)}
    return _store(obj=obj, field=field, target=target, version=version, text=translated, backend=client.name)


@transaction.atomic
def _store(*, obj: models.Model, field: str, target: str, version: str, text: str, backend: str) -> dict[str, Any]:
    # Read the text again under a lock: a save while the backend worked makes this translation stale.
    fresh = type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    if fresh is None:
        return {"status": "gone"}
    spec = translatable(type(obj))
    if text_version(text=getattr(fresh, field) or "", language=spec.language_of(fresh)) != version:
        return {"status": "stale"}
    Translation.objects.update_or_create(
        content_type=_content_type(obj),
        object_id=obj.pk,
        field=field,
        language=target,
        source=TranslationSource.MACHINE,
        defaults={"text": text[:20_000], "backend": backend, "source_version": version, "created_at": timezone.now()},
    )
    return {"status": "translated"}


def _failure_record(*, kwargs: dict[str, Any], attempts: int, error: Exception, backend: str) -> Run:
    """A translation given up is a failed background run (kind "translations.machine") that staff find
    among the runs in the admin; the page keeps showing the original."""
    now = timezone.now()
    return Run.objects.create(
        kind="translations.machine",
        status=RunStatus.FAILED,
        error=NOT_TRANSLATED,
        result={**kwargs, "backend": backend, "attempts": attempts, "error": str(error)[:500]},
        language=settings.LANGUAGE_CODE,
        started_at=now,
        finished_at=now,
        attempts=attempts,
    )
