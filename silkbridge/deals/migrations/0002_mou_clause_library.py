"""The clause library every install starts with: the platform's own model clauses for MoUs in English,
Simplified Chinese and Urdu (silkbridge/deals/data/clause_library.yaml). Not legal advice; staff edit
the clauses in the admin, and a clause already there (same key) is left as staff left it."""

from pathlib import Path
from typing import Any

import yaml
from django.db import migrations

LIBRARY = Path(__file__).resolve().parent.parent / "data" / "clause_library.yaml"
FIELDS = ("title_en", "title_zh", "title_ur", "text_en", "text_zh", "text_ur")


def load_library(apps: Any, schema_editor: Any) -> None:
    ClauseTemplate = apps.get_model("deals", "ClauseTemplate")
    clauses = yaml.safe_load(LIBRARY.read_text(encoding="utf-8"))
    for position, clause in enumerate(clauses, start=1):
        ClauseTemplate.objects.get_or_create(
            key=clause["key"],
            defaults={"position": position * 10, **{name: clause[name].strip() for name in FIELDS}},
        )


class Migration(migrations.Migration):
    dependencies = [("deals", "0001_initial")]

    operations = [migrations.RunPython(load_library, migrations.RunPython.noop)]
