"""Profiles for tests, created and published through the services as users and staff would.

`published(...)` creates a member of a new organisation (unless given), creates the profile, sends it
for review, has staff approve it, and refreshes its matches (the background task, run here directly:
test transactions never commit, so on-commit tasks do not fire unless a test captures them).
"""

from __future__ import annotations

from typing import Any

from silkbridge.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from silkbridge.core.i18n import content_language
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.marketplace import services
from silkbridge.marketplace.models import Opportunity
from silkbridge.matching import services as matching

XRAY_OFFER_ZH: dict[str, Any] = {
    "kind": "technology_offer",
    "title": "人工智能胸部X光片辅助诊断系统",
    "description": "基于深度学习的医学影像分析，自动识别胸片中的肺结核和肺炎征象，供放射科医生复核。"
    "支持技术许可与合资。",
    "trl": 8,
    "deal_types": ["licence", "joint_venture"],
}
XRAY_REQUEST_EN: dict[str, Any] = {
    "kind": "technology_request",
    "title": "AI triage of chest X-rays for tuberculosis screening",
    "description": "A diagnostics network wants medical imaging AI that flags tuberculosis on chest X-rays, "
    "on premises, under a licence.",
    "trl": 7,
    "deal_types": ["licence"],
}
CROP_OFFER_ZH: dict[str, Any] = {
    "kind": "technology_offer",
    "title": "基于手机图像的作物病害识别系统",
    "description": "利用计算机视觉识别小麦锈病和棉花曲叶病等作物病害，农户用手机拍照即可得到诊断。",
    "trl": 7,
    "deal_types": ["licence", "technical_cooperation"],
}
CROP_REQUEST_UR: dict[str, Any] = {
    "kind": "technology_request",
    "title": "موبائل تصاویر سے فصلوں کی بیماریوں کی نشاندہی",
    "description": "ہمیں ایسی ٹیکنالوجی درکار ہے جو موبائل فون کی تصاویر سے گندم اور کپاس کی بیماریوں کی نشاندہی کرے۔",
    "trl": 6,
    "deal_types": ["licence"],
}


def member(*, country: str = "PK", language: str = "en", **organisation_fields: Any) -> tuple[Any, Any]:
    """A user (whose pages and e-mails are in `language`, a UI language) who owns a new organisation."""
    membership = MembershipFactory(
        user=UserFactory(language=language),
        organisation=OrganisationFactory(country=country, language=content_language(language), **organisation_fields),
    )
    return membership.user, membership.organisation


def draft(organisation: Any, user: Any, **fields: Any) -> Opportunity:
    return services.opportunity_create(actor=user, organisation=organisation, fields=fields)


def published(
    organisation: Any = None, user: Any = None, *, country: str = "PK", refresh: bool = True, **fields: Any
) -> Opportunity:
    if organisation is None:
        user, organisation = member(country=country)
    opportunity = draft(organisation, user, **fields)
    services.opportunity_submit(actor=user, opportunity=opportunity)
    services.opportunity_review(actor=StaffFactory(), opportunity=opportunity, decision="approve")
    if refresh:
        matches_refresh(opportunity.pk)
    opportunity.refresh_from_db()
    return opportunity


def matches_refresh(opportunity_id: int) -> dict[str, int]:
    """What the worker's "matching.refresh" run does, done here directly."""
    with matching.in_worker():
        return matching.refresh(opportunity_id)


def matches_rebuild() -> dict[str, int]:
    """What the worker's "matching.rebuild" run does, done here directly."""
    with matching.in_worker():
        return matching.rebuild()
