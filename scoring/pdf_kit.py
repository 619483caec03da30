"""What every PDF of scoring shares: the embedded CJK font, plain-text paragraphs, the red-headed
table and percentages.

The CJK font is embedded: ``MINQING_PDF_FONT`` names a TTF/TTC file; without it the usual Debian
paths are tried (``fonts-wqy-microhei``, ``fonts-noto-cjk``).
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from casework.errors import DomainError

FONT_NAME = "MinqingCJK"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


class FontMissing(DomainError):
    status = 503
    default_code = "font_missing"


def font() -> str:
    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    configured = getattr(settings, "MINQING_PDF_FONT", "")
    for candidate in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if candidate and Path(candidate).exists():
            pdfmetrics.registerFont(TTFont(FONT_NAME, candidate, subfontIndex=0))
            return FONT_NAME
    raise FontMissing(
        _(
            "No Chinese font is installed for PDF reports: install fonts-wqy-microhei or set "
            "MINQING_PDF_FONT."
        )
    )


def pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def text(value: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: ``Paragraph`` reads markup, so ``<`` and ``&`` in a name
    would be taken for tags and entities (or break the report) unless escaped."""
    return Paragraph(escape(str(value)), style)


def table(rows: list[list], widths, font_name: str) -> Table:
    grid = Table(rows, colWidths=widths, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font_name, 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#c62828")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#cfd8dc")),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f5f7fa")]),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return grid


def a4_pdf(story: list, *, title: str) -> bytes:
    """``story`` laid out on A4 portrait pages with the reports' margins; the PDF's bytes."""
    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=title,
        author="Minqing",
    ).build(story)
    return out.getvalue()
