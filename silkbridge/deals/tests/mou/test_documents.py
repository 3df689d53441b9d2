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


def _docx(content: bytes):  # type: ignore[no-untyped-def]
    import docx

    return docx.Document(io.BytesIO(content))


def test_the_docx_opens_with_both_texts_side_by_side_and_the_version_in_every_pages_footer():
    from silkbridge.deals.documents import mou_docx
    from silkbridge.deals.services.mou import mou_save
    from silkbridge.deals.tests.mou.factories import clauses_of, drafted

    mou, people = drafted(second_language="zh")
    clauses = clauses_of(mou)
    clauses[0]["text_en"] += " Amended."
    mou_save(actor=people["staff"], mou=mou, clauses=clauses)

    document = _docx(mou_docx(mou=mou, version=mou.versions.get(number=2)))

    table = document.tables[0]
    assert len(table.columns) == 2
    assert len(table.rows) == 13
    left, right = table.rows[0].cells
    assert left.paragraphs[0].text == "1. Parties"
    assert right.paragraphs[0].text == "1. 双方"
    assert left.paragraphs[1].text.endswith('together as the "Parties". Amended.')
    assert right.paragraphs[1].text.startswith("本谅解备忘录（以下简称“本备忘录”）由")
    fonts = right.paragraphs[1].runs[0]._element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "Noto Sans CJK SC"
    footer = document.sections[0].footer
    assert f"{mou.reference} · version 2 · " in footer.paragraphs[0].text
    instructions = [
        node.text.strip()
        for node in footer._element.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}instrText")
    ]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert len(document.sections) == 1  # one section: its footer is on every page


def test_an_urdu_docx_writes_the_urdu_cells_right_to_left_in_a_nastaliq_font():
    from silkbridge.deals.documents import mou_docx
    from silkbridge.deals.tests.mou.factories import drafted

    mou, _people = drafted(second_language="ur", clause_keys=["parties", "language"])
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    document = _docx(mou_docx(mou=mou))

    right = document.tables[0].rows[0].cells[1]
    paragraph = right.paragraphs[1]
    assert paragraph.text.startswith("یہ مفاہمتی یادداشت")
    assert paragraph._p.pPr.find(f"{namespace}bidi") is not None
    run = paragraph.runs[0]._element
    assert run.rPr.find(f"{namespace}rtl") is not None
    assert run.rPr.rFonts.get(f"{namespace}cs") == "Noto Nastaliq Urdu"
    left = document.tables[0].rows[0].cells[0].paragraphs[1]
    assert left._p.pPr is None or left._p.pPr.find(f"{namespace}bidi") is None


def test_the_pdf_of_an_urdu_mou_has_both_texts_the_version_and_page_numbers_on_every_page():
    from silkbridge.deals.tests.mou.factories import drafted

    mou, _people = drafted(second_language="ur")

    reader = PdfReader(io.BytesIO(mou_pdf(mou=mou, version=mou.versions.get(number=1))))

    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"{mou.reference} · version 1 · " in text
        assert f"Page {number} of {len(pages)}" in text
    whole = "\n".join(pages)
    assert "Memorandum of Understanding" in whole
    assert "both texts are equally authentic" in whole.replace("\n", " ")
    assert "یادداشت" in whole  # "memorandum", from the Urdu clauses
