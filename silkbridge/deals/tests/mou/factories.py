"""A deal between a Pakistani authority and a Chinese company, their members, and MoUs drafted for it."""

from __future__ import annotations

from typing import Any

from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.deals.models import Deal, DealParty, Mou
from silkbridge.deals.services.mou import mou_draft
from silkbridge.directory.tests.factories import OrganisationFactory

AUTHORITY_NAME = "Islamabad Capital Development Test Authority"
AUTHORITY_NAME_UR = "اسلام آباد ترقیاتی آزمائشی ادارہ"
COMPANY_NAME = "Huaxia Cloud Data Test Co."
COMPANY_NAME_ZH = "华夏云数据测试有限公司"


def deal_with_parties(**fields: Any) -> tuple[Deal, dict[str, Any]]:
    """A data-center deal: the authority (PK, writes Urdu) and the company (CN, writes Chinese), each
    with an owner; returns the deal and {"authority", "company", "authority_member", "company_member"}."""
    authority = OrganisationFactory(
        kind="government", name_en=AUTHORITY_NAME, name_local=AUTHORITY_NAME_UR, language="ur", country="PK"
    )
    company = OrganisationFactory(name_en=COMPANY_NAME, name_local=COMPANY_NAME_ZH, language="zh", country="CN")
    deal = Deal.objects.create(
        title=fields.pop("title", "Tier-IV data center for Islamabad"), subject="data_center", **fields
    )
    DealParty.objects.create(deal=deal, organisation=company, role="partner")
    DealParty.objects.create(deal=deal, organisation=authority, role="authority")
    people = {
        "authority": authority,
        "company": company,
        "authority_member": MembershipFactory(organisation=authority).user,
        "company_member": MembershipFactory(organisation=company).user,
    }
    return deal, people


def drafted(*, second_language: str = "zh", **fields: Any) -> tuple[Mou, dict[str, Any]]:
    deal, people = deal_with_parties()
    people["staff"] = StaffFactory()
    mou = mou_draft(
        actor=people["authority_member"],
        deal=deal,
        second_language=second_language,
        counterpart="foreign_private",
        title=fields.pop("title", "MoU on a Tier-IV data center and big data platform"),
        **fields,
    )
    return mou, people


def outsider() -> Any:
    """A member of an organisation that is no party to any deal here."""
    return MembershipFactory(organisation=OrganisationFactory(name_en="Unrelated Test Ltd")).user


def clauses_of(mou: Mou) -> list[dict[str, str]]:
    """The MoU's current clauses as the save service takes them."""
    return [
        {
            "key": clause.key,
            "title_en": clause.title_en,
            "title_other": clause.title_other,
            "text_en": clause.text_en,
            "text_other": clause.text_other,
        }
        for clause in mou.clauses.order_by("position")
    ]


__all__ = ["UserFactory", "clauses_of", "deal_with_parties", "drafted", "outsider"]
