"""Load the sector taxonomy, the concept glossary and organisations from the YAML data files.

Loading is an upsert on each record's natural key, so running it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from silkbridge.common.text import index_document
from silkbridge.directory.models import Concept, Organisation, Sector
from silkbridge.directory.services import OrganisationRecord, organisation_reindex, organisation_upsert

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "zh", "ur")


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any]) -> tuple[Any, str]:
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        instance.save()
        return instance, "created"
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if not changed:
        return instance, "unchanged"
    for name in changed:
        setattr(instance, name, values[name])
    instance.full_clean()
    # auto_now fields are only refreshed when named; the search lexicon watches updated_at.
    extra = ["updated_at"] if any(field.name == "updated_at" for field in instance._meta.fields) else []
    instance.save(update_fields=changed + extra)
    return instance, "updated"


@transaction.atomic
def sectors_load(path: Path = DATA_DIR / "sectors.yaml") -> LoadReport:
    report = LoadReport()
    for position, field_data in enumerate(read_yaml(path)):
        parent, outcome = _upsert(Sector, {"code": field_data["code"]}, _sector_values(field_data, None, position))
        report.count(outcome)
        for sub_position, sub_data in enumerate(field_data.get("subsectors", [])):
            _, outcome = _upsert(Sector, {"code": sub_data["code"]}, _sector_values(sub_data, parent, sub_position))
            report.count(outcome)
    return report


def _sector_values(data: dict[str, Any], parent: Sector | None, position: int) -> dict[str, Any]:
    return {
        "name_en": data["name"]["en"],
        "name_zh": data["name"]["zh"],
        "name_ur": data["name"]["ur"],
        "parent": parent,
        "position": position,
    }


@transaction.atomic
def concepts_load(path: Path = DATA_DIR / "concepts.yaml") -> LoadReport:
    report = LoadReport()
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    for data in read_yaml(path):
        synonyms = {language: list(data.get("synonyms", {}).get(language) or []) for language in LANGUAGES}
        terms = [data["en"], data["zh"], data["ur"], *(term for values in synonyms.values() for term in values)]
        values = {
            "sector": sectors[data["sector"]],
            "label_en": data["en"],
            "label_zh": data["zh"],
            "label_ur": data["ur"],
            "synonyms": synonyms,
            "search_document": index_document([data["code"].replace("_", " "), *terms]),
        }
        _, outcome = _upsert(Concept, {"code": data["code"]}, values)
        report.count(outcome)
    return report


def organisation_record_from_yaml(data: dict[str, Any], *, is_demo: bool) -> OrganisationRecord:
    fields = {
        "kind": data["kind"],
        "name_en": data["name_en"],
        "name_local": data.get("name_local") or "",
        "language": data.get("language", "en"),
        "country": data["country"],
        "city": data.get("city") or "",
        "website": data.get("website") or "",
        "size_band": data.get("size_band") or "",
        "founded_year": data.get("founded"),
        "description": (data.get("description") or "").strip(),
        "visibility": data.get("visibility", "public"),
    }
    contacts = [
        {
            "name": contact["name"],
            "role": contact.get("role", ""),
            "email": contact.get("email", ""),
            "phone": str(contact.get("phone", "")),
            "is_public": bool(contact.get("public", True)),
        }
        for contact in data.get("contacts") or []
    ]
    return OrganisationRecord(
        key=data["key"],
        fields=fields,
        sector_codes=list(data.get("sectors") or []),
        concept_terms=list(data.get("concepts") or data.get("technologies") or []),
        contacts=contacts,
        is_verified=bool(data.get("verified", False)),
        is_demo=is_demo,
        sources=list(data.get("sources") or []),
    )


@transaction.atomic
def organisations_load(path: Path, *, is_demo: bool) -> LoadReport:
    report = LoadReport()
    for data in read_yaml(path):
        _, outcome = organisation_upsert(record=organisation_record_from_yaml(data, is_demo=is_demo))
        report.count(outcome)
    return report


def organisations_reindex_all() -> int:
    """Rebuild every organisation's search text and index rows (after the glossary changed, a bulk
    load or a restore), each organisation in its own transaction."""
    count = 0
    for organisation in Organisation.objects.prefetch_related("concepts", "sectors").order_by("pk").iterator(500):
        with transaction.atomic():
            organisation_reindex(organisation=organisation)
        count += 1
    return count
