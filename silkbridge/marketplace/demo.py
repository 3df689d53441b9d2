"""Fictional demo opportunity profiles (`silkbridge load_demo`): Chinese offers written in Chinese,
Pakistani requests in English and Urdu, two investors' mandates — published, with their matches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from silkbridge.directory.models import Organisation
from silkbridge.marketplace import services
from silkbridge.marketplace.choices import OpportunityStatus
from silkbridge.marketplace.models import Opportunity
from silkbridge.matching import services as matching

DATA = Path(__file__).resolve().parent / "data" / "demo_opportunities.yaml"


def demo_opportunities_ensure(*, staff: Any, path: Path = DATA) -> dict[str, int]:
    """Create the demo profiles that do not exist yet (by organisation and title), publish them, and
    compute every live profile's matches. Running it again creates nothing."""
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    created = 0
    today = timezone.localdate()
    with transaction.atomic():
        for record in records:
            record = dict(record)
            organisation = Organisation.objects.get(key=record.pop("organisation"))
            if Opportunity.objects.filter(organisation=organisation, title=record["title"]).exists():
                continue
            opportunity = services.opportunity_create(actor=staff, organisation=organisation, fields=record)
            opportunity.status = OpportunityStatus.PUBLISHED
            opportunity.published_at = timezone.now()
            opportunity.expires_on = today + services.DEFAULT_LIFETIME
            opportunity.is_demo = True
            opportunity.save()
            created += 1
    with matching.in_worker():  # load_demo is a command, a worker's kind of process
        result = matching.rebuild()
    return {"created": created, **result}
