"""Writes for MoU drafting: a draft from the clause library, each save a new version, comments on
clauses.

Every service takes the actor and checks it (platform staff and members of the deal's "authority"
party draft and save; any party member comments), validates everything before writing, runs in one
transaction and writes its MouEvent there. A refused write names the field or the clause and stores
nothing.

The clause library's texts are the platform's own model clauses (silkbridge/deals/data/
clause_library.yaml), a starting point for the parties, not legal advice. Their `{placeholders}` are
filled from the deal, in the language of each text: {party_a} (the deal's authority, or its first
party), {party_b} (the other parties), {subject}, {duration_years}, {second_language} and
{governing_law} (the first party's country).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from silkbridge.common.countries import country_name
from silkbridge.deals.choices import CounterpartKind, DealPartyRole, DealStage, MouStatus
from silkbridge.deals.engine.diff import clauses_diff
from silkbridge.deals.history import mou as history
from silkbridge.deals.models import ClauseComment, ClauseTemplate, Deal, DealParty, Mou, MouClause, MouVersion
from silkbridge.deals.selectors import mou as mou_selectors
from silkbridge.deals.services import pipeline

SECOND_LANGUAGES = ("zh", "ur")
DEFAULT_DURATION_YEARS = 5
MAX_DURATION_YEARS = 50
MAX_CLAUSES = 60
CLAUSE_FIELDS = ("key", "title_en", "title_other", "text_en", "text_other")
_KEY = re.compile(r"^[-a-z0-9_]{1,40}$")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# How each text names the second language (the language clause: "in the English and … languages").
_LANGUAGE_NAMES = {
    "en": {"zh": "Chinese", "ur": "Urdu"},
    "zh": {"zh": "中文", "ur": "乌尔都文"},
    "ur": {"zh": "چینی", "ur": "اردو"},
}
_AND = {"en": " and ", "zh": "和", "ur": " اور "}
_UI_LANGUAGE = {"en": "en", "zh": "zh-hans", "ur": "ur"}


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """Replace each known `{name}`; an unknown one stays as written, for the drafter to see."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def _name_in(party: DealParty, language: str) -> str:
    organisation = party.organisation
    if language != "en" and organisation.language == language and organisation.name_local:
        return organisation.name_local
    return organisation.name_en


def _sides(deal: Deal) -> tuple[DealParty, list[DealParty]]:
    """Party A (the authority when the deal has one, else the first party) and the others."""
    parties = list(deal.parties.select_related("organisation").order_by("pk"))
    if len(parties) < 2:
        raise ValidationError({"deal": _("An MoU needs at least two organisations in the deal.")})
    first = next((party for party in parties if party.role == DealPartyRole.AUTHORITY), parties[0])
    return first, [party for party in parties if party.pk != first.pk]


def placeholder_values(*, deal: Deal, language: str, second_language: str, duration_years: int) -> dict[str, str]:
    """What the placeholders say in one language (en, zh or ur) for this deal."""
    first, others = _sides(deal)
    with translation.override(_UI_LANGUAGE[language]):
        subject = str(deal.get_subject_display())
    return {
        "party_a": _name_in(first, language),
        "party_b": _AND[language].join(_name_in(party, language) for party in others),
        "subject": subject,
        "duration_years": str(duration_years),
        "second_language": _LANGUAGE_NAMES[language][second_language],
        "governing_law": country_name(first.organisation.country, language),
    }


def clause_from_library(
    *, template: ClauseTemplate, values_en: Mapping[str, str], values_other: Mapping[str, str], second_language: str
) -> dict[str, str]:
    """A library clause as an MoU clause: English and the second language, placeholders filled."""
    return {
        "key": template.key,
        "title_en": fill_placeholders(template.title_en, values_en),
        "title_other": fill_placeholders(getattr(template, f"title_{second_language}"), values_other),
        "text_en": fill_placeholders(template.text_en, values_en),
        "text_other": fill_placeholders(getattr(template, f"text_{second_language}"), values_other),
    }


def library_clauses_for(*, mou: Mou, keys: Sequence[str] | None = None) -> list[dict[str, str]]:
    """Library clauses filled for this MoU's deal and languages (what the editor offers to add)."""
    values_en, values_other = _values(mou.deal, mou.second_language, _duration_of(mou))
    templates = mou_selectors.library_clauses(keys=list(keys) if keys is not None else None)
    return [
        clause_from_library(
            template=template, values_en=values_en, values_other=values_other, second_language=mou.second_language
        )
        for template in templates
    ]


def _values(deal: Deal, second_language: str, duration_years: int) -> tuple[dict[str, str], dict[str, str]]:
    return (
        placeholder_values(deal=deal, language="en", second_language=second_language, duration_years=duration_years),
        placeholder_values(
            deal=deal, language=second_language, second_language=second_language, duration_years=duration_years
        ),
    )


def _duration_of(mou: Mou) -> int:
    created = mou.events.filter(kind="created").order_by("pk").values_list("changes", flat=True).first()
    if isinstance(created, dict) and isinstance(created.get("duration_years"), int):
        return int(created["duration_years"])
    return DEFAULT_DURATION_YEARS


def _require_drafter(actor: Any, deal: Deal) -> None:
    if not mou_selectors.can_draft(user=actor, deal=deal):
        raise PermissionDenied(
            _("Only platform staff and members of the deal's authority may draft and change its MoU.")
        )


def _clean_draft(*, deal: Deal, second_language: str, counterpart: str, title: str, duration_years: int) -> None:
    errors: dict[str, str] = {}
    if second_language not in SECOND_LANGUAGES:
        errors["second_language"] = _("Choose Chinese (zh) or Urdu (ur) as the second language.")
    if counterpart not in CounterpartKind.values:
        errors["counterpart"] = _("Choose who the other side is.")
    if not (title or "").strip():
        errors["title"] = _("Give the MoU a title.")
    if not 1 <= duration_years <= MAX_DURATION_YEARS:
        errors["duration_years"] = _("The duration must be from 1 to %(max)s years.") % {"max": MAX_DURATION_YEARS}
    if deal.stage in (DealStage.DECLINED, DealStage.WITHDRAWN):
        errors["deal"] = _("This deal was declined or withdrawn; no MoU can be drafted for it.")
    if errors:
        raise ValidationError(errors)


CLAUSE_LIBRARY = Path(__file__).resolve().parent.parent / "data" / "clause_library.yaml"
LIBRARY_FIELDS = ("title_en", "title_zh", "title_ur", "text_en", "text_zh", "text_ur")


def clause_library_load() -> int:
    """The clause library every install starts with (deals/data/clause_library.yaml, which migration
    0002 loads too), for `load_reference`: a clause missing is added, one already there (same key) is
    left as staff left it. A database emptied and reloaded (tests that flush it, a restore of data
    without it) gets its library back. The number of clauses added."""
    clauses = yaml.safe_load(CLAUSE_LIBRARY.read_text(encoding="utf-8"))
    added = 0
    for position, clause in enumerate(clauses, start=1):
        _template, created = ClauseTemplate.objects.get_or_create(
            key=clause["key"],
            defaults={"position": position * 10, **{name: clause[name].strip() for name in LIBRARY_FIELDS}},
        )
        added += created
    return added


def _templates(clause_keys: Sequence[str] | None) -> list[ClauseTemplate]:
    if clause_keys is None:
        return list(mou_selectors.library_clauses())
    keys = list(dict.fromkeys(clause_keys))
    found = {template.key: template for template in mou_selectors.library_clauses(keys=keys)}
    unknown = [key for key in keys if key not in found]
    if unknown:
        raise ValidationError(
            {"clause_keys": _("No such clause in the library: %(keys)s.") % {"keys": ", ".join(unknown)}}
        )
    if not keys:
        raise ValidationError({"clause_keys": _("Choose at least one clause.")})
    return [found[key] for key in keys]


def _store_clauses(mou: Mou, clauses: Sequence[Mapping[str, str]]) -> None:
    mou.clauses.all().delete()
    MouClause.objects.bulk_create(
        MouClause(mou=mou, position=position, **{name: clause[name] for name in CLAUSE_FIELDS})
        for position, clause in enumerate(clauses, start=1)
    )


@transaction.atomic
def mou_draft(
    *,
    actor: Any,
    deal: Deal,
    second_language: str,
    counterpart: str,
    title: str,
    clause_keys: Sequence[str] | None = None,
    duration_years: int = DEFAULT_DURATION_YEARS,
) -> Mou:
    """A new MoU for the deal from the clause library (every clause offered in new drafts, or the keys
    given, in that order), placeholders filled in English and the second language; saved as version 1.
    The deal moves to "MoU drafting" (pipeline.deal_stage_follow, recorded with the actor)."""
    _require_drafter(actor, deal)
    _clean_draft(
        deal=deal, second_language=second_language, counterpart=counterpart, title=title, duration_years=duration_years
    )
    templates = _templates(clause_keys)
    values_en, values_other = _values(deal, second_language, duration_years)
    clauses = [
        clause_from_library(
            template=template, values_en=values_en, values_other=values_other, second_language=second_language
        )
        for template in templates
    ]
    mou = Mou(
        deal=deal,
        title=title.strip(),
        second_language=second_language,
        counterpart=counterpart,
        version=1,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    mou.full_clean()
    mou.save()
    _store_clauses(mou, clauses)
    version = MouVersion(mou=mou, number=1, clauses=clauses, saved_by=mou.created_by)
    version.full_clean(exclude=["mou"])
    version.save()
    history.mou_drafted(
        mou=mou, actor=actor, clause_keys=[clause["key"] for clause in clauses], duration_years=duration_years
    )
    pipeline.deal_stage_follow(
        actor=actor,
        deal=deal,
        stage=DealStage.MOU_DRAFTING,
        cause={"cause": "mou_drafted", "mou": mou.reference, "version": str(mou.version)},
    )
    return mou


def _clean_clauses(clauses: Any) -> list[dict[str, str]]:
    """Each clause's five fields as stripped text; every problem named with its clause."""
    if not isinstance(clauses, list) or not clauses:
        raise ValidationError({"clauses": _("An MoU needs at least one clause.")})
    if len(clauses) > MAX_CLAUSES:
        raise ValidationError({"clauses": _("An MoU has at most %(max)s clauses.") % {"max": MAX_CLAUSES}})
    problems: list[str] = []
    cleaned: list[dict[str, str]] = []
    seen: set[str] = set()
    labels = {
        "title_en": _("the English title"),
        "title_other": _("the title in the second language"),
        "text_en": _("the English text"),
        "text_other": _("the text in the second language"),
    }
    limits = {"title_en": 200, "title_other": 200, "text_en": 20_000, "text_other": 20_000}
    for number, raw in enumerate(clauses, start=1):
        clause = {name: str((raw or {}).get(name) or "").strip() for name in CLAUSE_FIELDS}
        named = _("Clause %(number)s (%(key)s)") % {"number": number, "key": clause["key"] or "?"}
        if not _KEY.match(clause["key"]):
            problems.append(
                _("%(clause)s: the key must be 1 to 40 lowercase letters, digits or dashes.") % {"clause": named}
            )
        elif clause["key"] in seen:
            problems.append(_("%(clause)s: another clause has the same key.") % {"clause": named})
        seen.add(clause["key"])
        for name, label in labels.items():
            if not clause[name]:
                problems.append(_("%(clause)s: %(field)s is empty.") % {"clause": named, "field": label})
            elif len(clause[name]) > limits[name]:
                problems.append(
                    _("%(clause)s: %(field)s is longer than %(max)s characters.")
                    % {"clause": named, "field": label, "max": limits[name]}
                )
        cleaned.append(clause)
    if problems:
        raise ValidationError({"clauses": problems})
    return cleaned


@transaction.atomic
def mou_save(
    *,
    actor: Any,
    mou: Mou,
    clauses: list[dict[str, Any]],
    note: str = "",
    base_version: int | None = None,
) -> MouVersion:
    """A new version of the MoU's text (clauses reordered, added, removed or edited): only while it is
    being drafted. `base_version`, when given, is the version the editor started from: a save over a
    newer version someone else saved is refused instead of silently undoing their work."""
    locked = Mou.objects.select_for_update().select_related("deal").get(pk=mou.pk)
    _require_drafter(actor, locked.deal)
    if locked.status != MouStatus.DRAFTING:
        raise ValidationError(
            {
                "status": _("This MoU is no longer being drafted (%(status)s); its text cannot be changed.")
                % {"status": locked.get_status_display()}
            }
        )
    if base_version is not None and base_version != locked.version:
        raise ValidationError(
            {
                "base_version": _("Version %(number)s was saved meanwhile; open the editor again to see it.")
                % {"number": locked.version}
            }
        )
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("The note is longer than 500 characters.")})
    cleaned = _clean_clauses(clauses)
    current = MouVersion.objects.get(mou=locked, number=locked.version)
    changes = clauses_diff(current.clauses, cleaned)
    order_changed = [clause["key"] for clause in current.clauses] != [clause["key"] for clause in cleaned]
    if not order_changed and all(change.status == "same" for change in changes):
        raise ValidationError(
            {"clauses": _("Nothing has changed since version %(number)s.") % {"number": locked.version}}
        )
    before = locked.version
    locked.version = before + 1
    locked.save(update_fields=["version", "updated_at"])
    _store_clauses(locked, cleaned)
    version = MouVersion(
        mou=locked,
        number=locked.version,
        clauses=cleaned,
        saved_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )
    version.full_clean(exclude=["mou"])
    version.save()
    history.mou_saved(
        mou=locked,
        actor=actor,
        before=before,
        added=[change.key for change in changes if change.status == "added"],
        removed=[change.key for change in changes if change.status == "removed"],
        changed=[change.key for change in changes if change.status == "changed"],
        note=note,
    )
    mou.version = locked.version
    return version


@transaction.atomic
def clause_comment(*, actor: Any, mou: Mou, clause_key: str, text: str) -> ClauseComment:
    """A comment on one clause of the MoU's current version, by a member of a party or staff."""
    locked = Mou.objects.select_for_update().select_related("deal").get(pk=mou.pk)
    if not mou_selectors.can_comment(user=actor, mou=locked):
        raise PermissionDenied(_("Only members of the deal's organisations and platform staff may comment."))
    if locked.status == MouStatus.SIGNED:
        raise ValidationError({"text": _("This MoU is signed; its clauses take no more comments.")})
    if not locked.clauses.filter(key=clause_key).exists():
        raise ValidationError({"clause_key": _("This MoU has no clause %(key)s.") % {"key": clause_key}})
    comment = ClauseComment(
        mou=locked,
        clause_key=clause_key,
        version=locked.version,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        text=(text or "").strip(),
    )
    if not comment.text:
        raise ValidationError({"text": _("Write the comment.")})
    comment.full_clean(exclude=["mou", "author"])
    comment.save()
    history.clause_commented(mou=locked, actor=actor, clause_key=clause_key, version=locked.version)
    return comment


# --- PDFs, made by a background run -------------------------------------------------------------------


def mou_pdf_start(*, actor: Any, mou: Mou, number: int) -> Any:
    """Queue the PDF of one version (rendering a long bilingual MoU takes seconds: a worker does it,
    `mou_pdf_render`); the background run to follow. Whoever may read the MoU may have its PDF made.
    A PDF of this version already being made is the one to follow (ValidationError says so)."""
    from silkbridge.core.runs import RunAlreadyActive, run_enqueue
    from silkbridge.deals.tasks import mou_pdf_task

    if not mou_selectors.mous_visible(viewer=actor).filter(pk=mou.pk).exists():
        raise PermissionDenied(_("No such MoU."))
    if not mou.versions.filter(number=number).exists():
        raise ValidationError({"number": _("This MoU has no version %(number)s.") % {"number": number}})
    try:
        with transaction.atomic():
            return run_enqueue(
                kind=mou_selectors.PDF_RUN_KIND,
                created_by=actor,
                task=mou_pdf_task,
                kwargs={"mou_id": mou.pk, "number": number},
                exclusive_key=mou_selectors.pdf_run_key(mou=mou, number=number),
            )
    except RunAlreadyActive as error:
        raise ValidationError(_("The PDF of this version is being made already; follow that run.")) from error


def mou_pdf_render(*, run_id: int, mou_id: int, number: int, progress: Any) -> dict[str, Any]:
    """The work of a PDF run: render the version, store the file, and give the address to download it
    as the run's result. The PDF made before for the same version is removed (the newest replaces it)."""
    import secrets

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.urls import reverse

    from silkbridge.core.models import Run
    from silkbridge.core.runs import RunFailure
    from silkbridge.deals import documents

    run = Run.objects.select_related("created_by").get(pk=run_id)
    mou = Mou.objects.select_related("deal").get(pk=mou_id)
    if run.created_by is None or not mou_selectors.mous_visible(viewer=run.created_by).filter(pk=mou.pk).exists():
        raise RunFailure(_("You may no longer read this MoU."))
    version = mou.versions.get(number=number)
    progress(0.1, _("Rendering the PDF"))
    try:
        content = documents.mou_pdf(mou=mou, version=version)
    except documents.PdfUnavailable as error:
        raise RunFailure(_("PDF documents need the Pango library on the server; run “make pdf” as root.")) from error
    progress(0.9, _("Storing the PDF"))
    stored = default_storage.save(
        f"deals/mous/{mou.reference}/pdf/{secrets.token_urlsafe(9)}-v{number}.pdf", ContentFile(content)
    )
    for earlier in mou_selectors.pdf_runs(mou=mou, number=number).filter(status="succeeded").exclude(pk=run_id):
        if isinstance(earlier.result, dict) and earlier.result.get("file"):
            default_storage.delete(earlier.result["file"])
    url = reverse("deals:mou_pdf_file", kwargs={"reference": mou.reference, "number": number, "run_id": run_id})
    return {"url": url, "file": stored, "reference": mou.reference, "version": number, "bytes": len(content)}
