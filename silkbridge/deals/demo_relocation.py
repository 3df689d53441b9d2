"""The FICTIONAL relocation demo (`silkbridge load_demo`): three fictional Chinese companies' relocation
requests (a fintech looking at Islamabad, an agri-drone maker looking at Lahore, a data-center operator),
written as such companies would (Chinese, English, both), shared with suitable real zones, and one case
that the Special Technology Zones Authority has brought to the site-visit stage, with a document and a next
step. The data is `data/demo_relocation.yaml`; it goes through the services, so the history rows are real.

The zones and STZA are real reference data (`load_reference`); the requests, the case and the people are
not. Running it again changes nothing: it stops when the case exists. Skipped (with the reason) when the
reference or demo organisations are not loaded.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from silkbridge.deals.demo import _user, demo_pdf
from silkbridge.deals.models import Deal
from silkbridge.deals.services import cases, pipeline
from silkbridge.directory.models import Membership, Organisation
from silkbridge.zones.models import RelocationRequest, Zone
from silkbridge.zones.relocation_services import RelocationRequestData, relocation_request_create

DATA = Path(__file__).resolve().parent / "data" / "demo_relocation.yaml"


def _request_data(record: dict[str, Any]) -> RelocationRequestData:
    return RelocationRequestData(
        title=record["title"],
        language=record["language"],
        activities=record["activities"].strip(),
        sectors=list(record["sectors"]),
        space_kind=record["space_kind"],
        space_amount=record.get("space_amount"),
        power_kw=record.get("power_kw"),
        data_center_tier=record.get("data_center_tier"),
        staff_to_hire=record.get("staff_to_hire"),
        staff_to_bring=record.get("staff_to_bring"),
        move_by=timezone.localdate() + timedelta(days=record["move_by_days"]),
        budget_usd=record.get("budget_usd"),
        preferred_cities=list(record["preferred_cities"]),
        must_haves=list(record["must_haves"]),
        shared_with=list(record["shared_with"]),
    )


def _missing(data: dict[str, Any]) -> str:
    organisations = {data["zone_authority"]["organisation"], *(record["company"] for record in data["requests"])}
    found = set(Organisation.objects.filter(key__in=organisations).values_list("key", flat=True))
    absent = sorted(organisations - found)
    zones = {key for record in data["requests"] for key in record["shared_with"]}
    absent_zones = sorted(zones - set(Zone.objects.filter(key__in=zones).values_list("key", flat=True)))
    return ", ".join([*absent, *absent_zones])


@transaction.atomic
def demo_relocation_ensure(*, password: str) -> dict[str, Any]:
    """File the demo requests and bring the demo case to the site visit, once. Returns what it did:
    {"case": reference or None, "created": bool, "requests": n, "people": [e-mail…], "skipped": reason}."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    missing = _missing(data)
    if missing:
        return {"case": None, "created": False, "requests": 0, "people": [], "skipped": f"not loaded: {missing}"}
    authority = data["zone_authority"]
    zone = Zone.objects.get(key=authority["zone"])
    if zone.organisation_id is None:  # STZA develops Islamabad Technopolis (zones.yaml); a staff link is kept
        zone.organisation = Organisation.objects.get(key=authority["organisation"])
        zone.save(update_fields=["organisation"])
    officer = _user(authority["person"], password=password)
    Membership.objects.get_or_create(user=officer, organisation=zone.organisation, defaults={"role": "member"})
    people = [officer.email]
    filed: dict[str, RelocationRequest] = {}
    for record in data["requests"]:
        company = Organisation.objects.get(key=record["company"])
        member = _user(record["person"], password=password)
        Membership.objects.get_or_create(user=member, organisation=company, defaults={"role": "owner"})
        people.append(member.email)
        existing = RelocationRequest.objects.filter(organisation=company, title=record["title"]).first()
        filed[record["company"]] = existing or relocation_request_create(
            actor=member, organisation=company, data=_request_data(record)
        )
    story = data["case"]
    relocation_request = filed[story["company"]]
    case = Deal.objects.filter(relocation_request=relocation_request, zone=zone).first()
    if case is not None:
        return {"case": case.reference, "created": False, "requests": len(filed), "people": people, "skipped": ""}
    case = cases.relocation_case_open(actor=officer, relocation_request=relocation_request, zone=zone)
    for move in story["moves"]:
        case = pipeline.deal_stage_set(actor=officer, deal=case, stage=move["stage"], note=move["note"])
    document = story["document"]
    pipeline.deal_document_add(
        actor=officer,
        deal=case,
        upload=SimpleUploadedFile(document["name"], demo_pdf(document["text"]), "application/pdf"),
    )
    step = story["next_step"]
    pipeline.deal_next_step_set(
        actor=officer,
        deal=case,
        next_step=step["text"],
        due_on=timezone.localdate() + timedelta(days=step["due_in_days"]),
    )
    return {"case": case.reference, "created": True, "requests": len(filed), "people": people, "skipped": ""}
