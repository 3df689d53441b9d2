"""An MoU as documents: the PDF (WeasyPrint) that is signed and sealed, with English and the second
language side by side, the version and date on every page, and the route taken on the last page."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from silkbridge.deals.models import Mou, MouVersion


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


def mou_html(*, mou: Mou, version: MouVersion | None = None) -> str:
    """The print HTML of an MoU (its current text, or one saved version)."""
    number = version.number if version is not None else mou.version
    # The document's own chrome (page footer, route page) is in English: both texts are equally
    # authentic, and English is the language both parties read.
    with translation.override("en"):
        return render_to_string(
            "deals/mou/mou_print.html",
            {
                "mou": mou,
                "version_number": number,
                "printed_on": timezone.localdate(),
                "clauses": _clauses(mou, version),
                "second_language": mou.second_language,
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
