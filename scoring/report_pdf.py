"""The quarterly star-rating report as a PDF (季度星级评定报告), in Chinese, with its charts.

What it holds, for the viewer's scope: the quarter's work in the report's words
(``scoring.report_sections``: meetings and problems solved by type), the ranking of workers per
county and town with their stars, the communities with their stars and their response,
resolution and satisfaction rates, the 约谈 list, the last-place notice (末位通报), and two
charts (workers per star level; satisfaction per community). The figures are the ranking's and
the dashboard's own (``result_list``, ``casework.selectors.rates``), so the three agree.

The font and the table style are ``scoring.pdf_kit``'s.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    PageBreak,
    Spacer,
)

from casework.models import OrgUnit
from casework.rates import rates
from casework.selectors.rates import rate_counts
from casework.selectors.scope import scope_for
from scoring.models import Quarter, Subject
from scoring.pdf_kit import a4_pdf
from scoring.pdf_kit import font as _font
from scoring.pdf_kit import pct as _pct
from scoring.pdf_kit import table as _table
from scoring.pdf_kit import text as _text
from scoring.report_sections import Styles, work_sections
from scoring.selectors.results import interview_list, notice_groups, result_list


def _bar_chart(labels: list[str], values: list[float], font: str, *, percent: bool) -> Drawing:
    drawing = Drawing(170 * mm, 60 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 12 * mm
    chart.width, chart.height = 150 * mm, 42 * mm
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.angle = 30 if len(labels) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 8 else "n"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.valueMin = 0
    if percent:
        chart.valueAxis.valueMax = 100
    chart.bars[0].fillColor = colors.HexColor("#c62828")
    chart.barLabelFormat = "%.1f" if percent else "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 5
    drawing.add(chart)
    return drawing


def community_rates(*, viewer, quarter: Quarter) -> dict[int, dict]:
    """Each visible community's six rates over the quarter, as the dashboard computes them."""
    scope = scope_for(viewer)
    result: dict[int, dict] = {}
    tops = OrgUnit.objects.filter(scope.units_q(), depth__lte=4).order_by("depth", "path")
    seen: set[str] = set()
    for top in tops:
        if any(top.path.startswith(p) for p in seen):
            continue
        seen.add(top.path)
        depth = 4 if top.depth < 4 else top.depth
        _, by_unit = rate_counts(
            unit=top, start=quarter.starts_at, end=quarter.ends_at, depth=depth
        )
        result.update({pk: rates(counts) for pk, counts in by_unit.items()})
    return result


def quarter_report_pdf(*, viewer, quarter: Quarter) -> bytes:
    """Write the quarter's report for what ``viewer`` may see; returns the PDF's bytes."""
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, spaceAfter=6)
    heading = ParagraphStyle(
        "h",
        fontName=font,
        fontSize=12.5,
        leading=18,
        spaceBefore=8,
        spaceAfter=4,
        textColor=colors.HexColor("#c62828"),
    )
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14)
    story: list = [
        _text(_("%(quarter)s star-rating report") % {"quarter": quarter.code}, title),
        _text(
            _("Status: %(status)s · generated %(at)s")
            % {
                "status": quarter.get_status_display(),
                "at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            },
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    story += work_sections(
        viewer=viewer, quarter=quarter, styles=Styles(font=font, heading=heading, body=body)
    )

    people = list(result_list(viewer=viewer, quarter=quarter, subject=Subject.PERSON))
    star_counts = [sum(1 for r in people if r.stars == level) for level in range(6)]
    story += [
        _text(_("Workers per star level"), heading),
        _bar_chart([f"{n}★" for n in range(6)], star_counts, font, percent=False),
    ]

    story.append(_text(_("Ranking of workers"), heading))
    by_county: dict[str, list] = {}
    for row in people:
        by_county.setdefault(row.county.name if row.county else "", []).append(row)
    for county_name, rows in by_county.items():
        story.append(_text(county_name, body))
        table = [
            [
                _("Rank in county"),
                _("Rank in town"),
                _("Name"),
                _("Unit"),
                _("Town"),
                _("Points"),
                _("Stars"),
            ]
        ]
        table += [
            [
                r.rank_in_county or "",
                r.rank_in_town or "",
                r.person.get_full_name() if r.person else "",
                r.unit.name,
                r.town.name if r.town else "",
                f"{r.total}",
                "★" * r.stars,
            ]
            for r in rows
        ]
        story.append(
            _table(table, [18 * mm, 18 * mm, 26 * mm, 38 * mm, 26 * mm, 18 * mm, 22 * mm], font)
        )

    communities = list(result_list(viewer=viewer, quarter=quarter, subject=Subject.COMMUNITY))
    unit_rates = community_rates(viewer=viewer, quarter=quarter)
    story += [PageBreak(), _text(_("Communities: stars and rates"), heading)]
    table = [
        [
            _("Rank in county"),
            _("Community"),
            _("Points"),
            _("Stars"),
            _("Response rate"),
            _("Resolution rate"),
            _("Satisfaction rate"),
        ]
    ]
    for r in communities:
        found = unit_rates.get(r.unit_id, {})
        table.append(
            [
                r.rank_in_county or "",
                r.unit.name,
                f"{r.total}",
                "★" * r.stars,
                _pct(found.get("response")),
                _pct(found.get("resolution")),
                _pct(found.get("satisfaction")),
            ]
        )
    story.append(
        _table(table, [18 * mm, 40 * mm, 20 * mm, 22 * mm, 22 * mm, 22 * mm, 22 * mm], font)
    )
    charted = [
        (r.unit.name, unit_rates.get(r.unit_id, {}).get("satisfaction")) for r in communities
    ]
    charted = [(name, value * 100) for name, value in charted if value is not None][:30]
    story += [
        _text(_("Satisfaction per community"), heading),
        _bar_chart([n for n, _v in charted], [v for _n, v in charted], font, percent=True),
    ]

    talks = list(interview_list(viewer=viewer, quarter=quarter))
    story += [PageBreak(), _text(_("Called to a corrective talk (约谈)"), heading)]
    if talks:
        table = [[_("Who"), _("Unit"), _("Points"), _("Reason"), _("Held on")]]
        table += [
            [
                t.person.get_full_name() if t.person else t.unit.name,
                t.unit.name,
                f"{t.total}",
                t.get_reason_display(),
                t.held_on.isoformat() if t.held_on else "",
            ]
            for t in talks
        ]
        story.append(_table(table, [30 * mm, 40 * mm, 20 * mm, 46 * mm, 26 * mm], font))
    else:
        story.append(_text(_("Nobody this quarter."), body))

    story.append(_text(_("Notice of last places (末位通报)"), heading))
    groups = notice_groups(viewer=viewer, quarter=quarter)
    for group in groups:
        names = [r.person.get_full_name() for r in group.people if r.person] + [
            r.unit.name for r in group.communities
        ]
        story.append(
            _text(
                _("%(unit)s: last place this quarter — %(names)s.")
                % {"unit": group.unit.name, "names": "、".join(names)},
                body,
            )
        )
    if not groups:
        story.append(_text(_("Nobody this quarter."), body))

    return a4_pdf(story, title=f"{quarter.code}")
