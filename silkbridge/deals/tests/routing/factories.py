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
