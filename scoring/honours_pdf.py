"""The honour roll (光荣榜) and the certificates (荣誉证书) of 星级社区工作者, as PDFs.

The Chinese font is the quarterly report's (``scoring.report_pdf._font``). Workers' names are
shown (they are staff, not residents); nothing of any resident is read here.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, Spacer

from casework.models import OrgUnit
from scoring.models import Award
from scoring.pdf_kit import a4_pdf
from scoring.pdf_kit import font as _font
from scoring.pdf_kit import table as _table

RED = colors.HexColor("#c62828")
GOLD = colors.HexColor("#b8860b")


def issuer(county: OrgUnit) -> str:
    """The organisation that issues the county's certificates (``MINQING_HONOUR_ISSUER``)."""
    template = getattr(settings, "MINQING_HONOUR_ISSUER", "") or "{county}"
    return template.replace("{county}", county.name)


def honour_roll_pdf(*, county: OrgUnit, year: int, awards: list[Award]) -> bytes:
    """The county's honour roll for ``year``: certificate number, name, community, title,
    stars and cumulative points of each award, in certificate order."""
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=20, leading=28, textColor=RED)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15)
    story: list = [
        Paragraph(
            escape(_("%(county)s %(year)s honour roll") % {"county": county.name, "year": year}),
            title,
        ),
        Paragraph(
            escape(
                _("%(n)s named · issued by %(issuer)s · printed %(at)s")
                % {
                    "n": len(awards),
                    "issuer": issuer(county),
                    "at": timezone.localtime().strftime("%Y-%m-%d"),
                }
            ),
            body,
        ),
        Spacer(1, 5 * mm),
    ]
    rows = [
        [
            _("Certificate number"),
            _("Name"),
            _("Community"),
            _("Title"),
            _("Stars"),
            _("Cumulative points"),
        ]
    ]
    rows += [
        [
            a.certificate_number,
            a.person.get_full_name(),
            a.community.name if a.community else a.unit.name,
            a.title,
            a.star_text,
            f"{a.cumulative_total}",
        ]
        for a in awards
    ]
    if awards:
        story.append(_table(rows, [26 * mm, 26 * mm, 40 * mm, 36 * mm, 22 * mm, 28 * mm], font))
    else:
        story.append(Paragraph(escape(_("Nobody is named yet.")), body))
    return a4_pdf(story, title=f"{county.name} {year}")


def certificate_pdf(*, award: Award) -> bytes:
    """One certificate, A4 landscape: the title, the name, the year, the county, the number
    and the issuing organisation."""
    font = _font()
    out = io.BytesIO()
    width, height = landscape(A4)
    page = canvas.Canvas(out, pagesize=(width, height))
    page.setTitle(f"{award.certificate_number}")
    page.setAuthor("Minqing")
    page.setStrokeColor(GOLD)
    page.setLineWidth(4)
    page.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    page.setLineWidth(1)
    page.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)
    page.setFillColor(RED)
    page.setFont(font, 40)
    page.drawCentredString(width / 2, height - 48 * mm, _("Certificate of honour"))
    page.setFillColor(colors.black)
    page.setFont(font, 30)
    page.drawCentredString(width / 2, height - 82 * mm, award.person.get_full_name())
    page.setFont(font, 16)
    place = award.community.name if award.community else award.unit.name
    page.drawCentredString(
        width / 2,
        height - 100 * mm,
        _("of %(place)s, %(county)s") % {"place": place, "county": award.county.name},
    )
    page.setFont(font, 20)
    honour = f"{award.year}年度{award.title}"
    if award.stars:
        honour = f"{honour} {award.star_text}"
    page.drawCentredString(
        width / 2,
        height - 120 * mm,
        _("is named %(honour)s.") % {"honour": honour},
    )
    page.setFont(font, 14)
    page.drawRightString(width - 36 * mm, 48 * mm, issuer(award.county))
    page.drawRightString(
        width - 36 * mm, 40 * mm, timezone.localtime(award.approved_at).strftime("%Y-%m-%d")
    )
    page.setFont(font, 11)
    page.drawString(
        36 * mm,
        32 * mm,
        _("Certificate number: %(number)s") % {"number": award.certificate_number},
    )
    page.showPage()
    page.save()
    return out.getvalue()
