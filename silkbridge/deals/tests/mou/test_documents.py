"""An MoU's PDF: both languages side by side, version and date on every page."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from silkbridge.deals.documents import mou_pdf
from silkbridge.deals.models import Deal, Mou, MouClause

pytestmark = pytest.mark.django_db


def test_the_pdf_carries_both_texts_and_the_version_on_each_page():
    deal = Deal.objects.create(title="Islamabad data center", subject="data_center")
    mou = Mou.objects.create(deal=deal, title="MoU on a Tier-IV data center", second_language="zh", version=3)
    for position in range(1, 25):
        MouClause.objects.create(
            mou=mou,
            key=f"clause-{position}",
            position=position,
            title_en=f"Clause {position}",
            title_other=f"第{position}条",
            text_en="Both texts are equally authentic. " * 8,
            text_other="两种文本同等作准。" * 8,
        )

    reader = PdfReader(io.BytesIO(mou_pdf(mou=mou)))

    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "version 3" in text
        assert f"Page {number} of {len(reader.pages)}" in text
    first = reader.pages[0].extract_text()
    assert "Both texts are equally authentic." in first
    assert "两种文本同等作准" in first
