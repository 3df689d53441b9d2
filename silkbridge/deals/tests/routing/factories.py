"""An MoU between a Pakistani authority (with the reference's routes) and a Chinese company, ready to
be routed; and the people who act on it."""

from __future__ import annotations

from typing import Any

from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.deals.models import Deal, DealParty, Mou, MouClause
from silkbridge.deals.services.routing import routes_seed_for
from silkbridge.directory.tests.factories import OrganisationFactory


def mou_for_routing(*, counterpart: str = "foreign_private", seed_routes: bool = True) -> dict[str, Any]:
    authority = OrganisationFactory(kind="government", name_en="Capital Development Authority", city="Islamabad")
    company = OrganisationFactory(name_en="Guiyang Cloud Data Co.", country="CN", city="Guiyang")
    deal = Deal.objects.create(title="Tier-IV data center for Islamabad", subject="data_center")
    DealParty.objects.create(deal=deal, organisation=authority, role="authority")
    DealParty.objects.create(deal=deal, organisation=company, role="partner")
    mou = Mou.objects.create(
        deal=deal, title="MoU on a Tier-IV data center", second_language="zh", counterpart=counterpart, version=2
    )
    MouClause.objects.create(
        mou=mou,
        key="purpose",
        position=1,
        title_en="Purpose",
        title_other="目的",
        text_en="Both texts are equally authentic.",
        text_other="两种文本同等作准。",
    )
    if seed_routes:
        routes_seed_for(authority)
    return {
        "mou": mou,
        "authority": authority,
        "company": company,
        "officer": MembershipFactory(organisation=authority).user,
        "partner": MembershipFactory(organisation=company).user,
        "staff": StaffFactory(),
        "outsider": UserFactory(),
    }


def mou_ready(case: dict[str, Any], *, signatories: int = 2) -> Mou:
    """Send the MoU along its whole route and record `signatories` signatories."""
    from datetime import date

    from silkbridge.deals.services.routing import mou_send, route_step_approve, signatory_add

    mou = case["mou"]
    mou_send(actor=case["officer"], mou=mou)
    while mou.route_steps.filter(status="current").exists():
        route_step_approve(actor=case["officer"], mou=mou)
    people = [
        ("Muhammad Ali", "Chairman", "Capital Development Authority", "Islamabad"),
        ("Wang Fang", "Chief Executive", "Guiyang Cloud Data Co.", "Islamabad"),
    ]
    for name, title, organisation, place in people[:signatories]:
        signatory_add(
            actor=case["officer"],
            mou=mou,
            name=name,
            title=title,
            organisation_name=organisation,
            signed_on=date(2025, 3, 14),
            place=place,
        )
    mou.refresh_from_db()
    return mou
