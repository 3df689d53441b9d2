"""An MoU as documents, English and the second language side by side, any saved version:

- the PDF (WeasyPrint) that is routed, signed and sealed: a title block, numbered clauses in two
  columns, the signatories, the route taken on the last page, and on every page the reference,
  "version N · date" and "Page X of Y";
- the DOCX (python-docx) the parties edit offline: a two-column table (English left, the second
  language right; Urdu right to left in a Nastaliq font, Chinese in a CJK font set as the East-Asian
  font), the same footer on every page with PAGE and NUMPAGES fields.

The documents' own labels are in English and the second language, not in the reader's interface
language: both texts are equally authentic, and a printed MoU reads the same whoever downloads it.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from silkbridge.deals.models import Mou, MouVersion

URDU_FONT = "Noto Nastaliq Urdu"
CHINESE_FONT = "Noto Sans CJK SC"
LATIN_FONT = "Noto Sans"
# The document's fixed words, in each second language (English is the left column's language).
LABELS = {
    "zh": {
        "memorandum": "谅解备忘录",
        "between": "签订方",
        "version": "版本",
        "signatories": "签字人",
        "route": "签署前的审批流程",
    },
    "ur": {
        "memorandum": "مفاہمتی یادداشت",
        "between": "فریقین",
        "version": "نسخہ",
        "signatories": "دستخط کنندگان",
        "route": "دستخط سے پہلے منظوری کا مرحلہ وار سفر",
    },
}


class PdfUnavailable(Exception):
    """WeasyPrint's system libraries (Pango) are missing on this machine."""


def _clauses(mou: Mou, version: MouVersion | None) -> list[dict[str, Any]]:
    if version is not None:
        return list(version.clauses)
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


def _dated(mou: Mou, version: MouVersion | None) -> tuple[int, date]:
    """The version's number and the day it was saved (today for the current, unsaved text)."""
    if version is None:
        version = MouVersion.objects.filter(mou=mou, number=mou.version).first()
    if version is None:
        return mou.version, timezone.localdate()
    return version.number, timezone.localdate(version.saved_at)


def _parties(mou: Mou) -> list[dict[str, str]]:
    names = []
    for party in mou.deal.parties.select_related("organisation").order_by("pk"):
        organisation = party.organisation
        local = organisation.name_local if organisation.language == mou.second_language else ""
        names.append({"en": organisation.name_en, "other": local or organisation.name_en})
    return names


def _urdu_font_file() -> str:
    """The Nastaliq web font installed from npm (`make assets`), as a file URL for WeasyPrint; the
    system's Naskh font stands in without it."""
    directory = Path(getattr(settings, "FONTSOURCE_DIR", "")) / "noto-nastaliq-urdu" / "files"
    path = directory / "noto-nastaliq-urdu-arabic-400-normal.woff"
    return path.as_uri() if path.is_file() else ""


def mou_html(*, mou: Mou, version: MouVersion | None = None) -> str:
    """The print HTML of an MoU (its current text, or one saved version)."""
    number, dated = _dated(mou, version)
    with translation.override("en"):
        return render_to_string(
            "deals/mou/mou_print.html",
            {
                "mou": mou,
                "version_number": number,
                "printed_on": dated,
                "clauses": _clauses(mou, version),
                "second_language": mou.second_language,
                "labels": LABELS[mou.second_language],
                "parties": _parties(mou),
                "urdu_font_file": _urdu_font_file() if mou.second_language == "ur" else "",
                "route_steps": list(mou.route_steps.select_related("acted_by").order_by("position")),
                "signatories": list(mou.signatories.order_by("position", "pk")),
            },
        )


def mou_pdf(*, mou: Mou, version: MouVersion | None = None) -> bytes:
    """The MoU as PDF bytes (not yet sealed)."""
    try:
        from weasyprint import HTML
    except OSError as error:  # Pango missing
        raise PdfUnavailable(str(error)) from error
    pdf: bytes = HTML(string=mou_html(mou=mou, version=version)).write_pdf()
    return pdf


# --- DOCX ---------------------------------------------------------------------------------------------


def _set_fonts(run: Any, language: str) -> None:
    """The run's fonts and language: Latin for English, the East-Asian font for Chinese, the complex
    script font (right to left) for Urdu, so Word picks the right one for every character."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = run._element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), CHINESE_FONT)
    fonts.set(qn("w:cs"), URDU_FONT)
    language_tag = OxmlElement("w:lang")
    language_tag.set(qn("w:val"), "en-GB")
    if language == "zh":
        language_tag.set(qn("w:eastAsia"), "zh-CN")
    if language == "ur":
        properties.append(OxmlElement("w:rtl"))
        language_tag.set(qn("w:bidi"), "ur-PK")
    properties.append(language_tag)


def _right_to_left(paragraph: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement

    paragraph._p.get_or_add_pPr().insert(0, OxmlElement("w:bidi"))
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _write(
    cell_or_document: Any,
    text: str,
    language: str,
    *,
    bold: bool = False,
    size: float | None = None,
    first: bool = False,
) -> None:
    """Lines of text as paragraphs of a cell (its first, empty paragraph used first) or the document."""
    from docx.shared import Pt

    for index, line in enumerate(text.split("\n")):
        paragraph = cell_or_document.paragraphs[0] if first and index == 0 else cell_or_document.add_paragraph()
        if language == "ur":
            _right_to_left(paragraph)
        run = paragraph.add_run(line)
        run.bold = bold
        if size is not None:
            run.font.size = Pt(size)
            if language == "ur":
                run.font.cs_size = Pt(size)
        _set_fonts(run, language)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word computes on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _footer(document: Any, mou: Mou, number: int, dated: date) -> None:
    from docx.shared import Pt

    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.add_run(f"{mou.reference} · version {number} · {dated.isoformat()} · Page ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES")
    for run in paragraph.runs:
        run.font.size = Pt(8)


def _centred(document: Any, text: str, language: str, **style: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    _write(document, text, language, **style)
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _title_block(document: Any, mou: Mou, number: int, dated: date) -> None:
    labels = LABELS[mou.second_language]
    _centred(document, "Memorandum of Understanding", "en", bold=True, size=16)
    _centred(document, labels["memorandum"], mou.second_language, bold=True, size=16)
    _centred(document, mou.title, "en", bold=True, size=13)
    for party in _parties(mou):
        _centred(document, party["en"], "en")
        if party["other"] != party["en"]:
            _centred(document, party["other"], mou.second_language)
    _centred(document, f"{mou.reference} · version {number} · {dated.isoformat()}", "en", size=9)


def _clause_table(document: Any, mou: Mou, clauses: list[dict[str, Any]]) -> None:
    from docx.shared import Cm

    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.autofit = False
    for number, clause in enumerate(clauses, start=1):
        left, right = table.add_row().cells
        left.width = right.width = Cm(8.5)
        _write(left, f"{number}. {clause['title_en']}", "en", bold=True, first=True)
        _write(left, clause["text_en"], "en")
        _write(right, f"{number}. {clause['title_other']}", mou.second_language, bold=True, first=True)
        _write(right, clause["text_other"], mou.second_language)


def _signatures_and_route(document: Any, mou: Mou) -> None:
    from docx.enum.text import WD_BREAK

    labels = LABELS[mou.second_language]
    signatories = list(mou.signatories.order_by("position", "pk"))
    if signatories:
        _write(document, f"Signatories · {labels['signatories']}", mou.second_language, bold=True)
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for index, signatory in enumerate(signatories):
            if index % 2 == 0:
                cells = table.add_row().cells
            text = "\n".join(
                [
                    "\n\n____________________",
                    signatory.name,
                    signatory.title,
                    signatory.organisation_name,
                    f"{signatory.place}, {signatory.signed_on.isoformat()}",
                ]
            )
            _write(cells[index % 2], text, "en", first=True)
    steps = list(mou.route_steps.select_related("acted_by").order_by("position"))
    if steps:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _write(document, f"Route of this MoU before signature · {labels['route']}", mou.second_language, bold=True)
        table = document.add_table(rows=1, cols=6)
        table.style = "Table Grid"
        for cell, heading in zip(table.rows[0].cells, ("#", "Office", "Outcome", "By", "When", "Note"), strict=True):
            _write(cell, heading, "en", bold=True, first=True)
        for step in steps:
            values = (
                str(step.position),
                step.name_en,
                str(step.get_status_display()),
                step.acted_by.get_full_name() if step.acted_by else "",
                timezone.localtime(step.acted_at).strftime("%Y-%m-%d %H:%M") if step.acted_at else "",
                step.note,
            )
            for cell, value in zip(table.add_row().cells, values, strict=True):
                _write(cell, value, "en", first=True)


def mou_docx(*, mou: Mou, version: MouVersion | None = None) -> bytes:
    """The MoU (its current text, or one saved version) as a Word document, both texts side by side."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    number, dated = _dated(mou, version)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(2)
    document.core_properties.title = mou.title
    with translation.override("en"):
        _footer(document, mou, number, dated)
        _title_block(document, mou, number, dated)
        _clause_table(document, mou, _clauses(mou, version))
        _signatures_and_route(document, mou)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
