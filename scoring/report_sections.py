"""The quarterly report's pages about the work itself, in the report's words: meetings and
problems solved by type, the year's honour roll, and what other apps add (requests_app: the
民情书记's visits and the call-back verification).

Each section reads the same selector as the page and the API that show its figures, for the
viewer's scope and the quarter's days, so the PDF, the dashboard and the API agree. Other apps
offer sections as scoring finds its point sources (``scoring.providers``): a
``<app>.scoring_sources`` module with ``report_sections(*, unit, start, end)`` returning
``[{"title", "sentence", "tables": [{"header", "rows", "widths"}]}]``, called once per root of
the viewer's scope, laid out here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from casework.models import OrgUnit, UnitKind
from casework.selectors.consultations import meeting_figures
from casework.selectors.scope import scope_for
from scoring.models import Quarter
from scoring.pdf_kit import table, text
from scoring.providers import MODULE
from scoring.selectors.honours import honour_rolls

#: The printable width of an A4 page with the report's margins.
PAGE_WIDTH = 182 * mm


@dataclass(frozen=True)
class Styles:
    font: str
    heading: ParagraphStyle
    body: ParagraphStyle


def meetings_section(*, viewer, quarter: Quarter, styles: Styles) -> list:
    """Meetings held, topics raised and problems solved per meeting type (议事协商)."""
    figures = meeting_figures(viewer=viewer, start=quarter.starts_at, end=quarter.ends_at)
    story = [
        text(_("Meetings and problems solved"), styles.heading),
        text(
            _(
                "This quarter: %(meetings)d meetings held, %(topics)d topics raised, "
                "%(solved)d problems solved, %(four_party)d of them through four-party "
                "consultation."
            )
            % {
                "meetings": figures["meetings"],
                "topics": figures["topics"],
                "solved": figures["solved"],
                "four_party": figures["solved_four_party"],
            },
            styles.body,
        ),
    ]
    rows = [[_("Meeting type"), _("Meetings held"), _("Topics raised"), _("Problems solved")]]
    rows += [
        [row["name"], row["meetings"], row["topics"], row["solved"]] for row in figures["by_type"]
    ]
    rows.append([_("Total"), figures["meetings"], figures["topics"], figures["solved"]])
    story.append(table(rows, [50 * mm, 30 * mm, 30 * mm, 30 * mm], styles.font))
    return story


@cache
def _offered() -> tuple:
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.{MODULE}"
        if config.name == "scoring" or find_spec(name) is None:
            continue
        offer = getattr(import_module(name), "report_sections", None)
        if offer is not None:
            found.append(offer)
    return tuple(found)


def _roots(viewer) -> list[OrgUnit]:
    """The roots of the viewer's scope (the top units for someone who sees everything)."""
    scope = scope_for(viewer)
    units = (
        OrgUnit.objects.filter(depth=1)
        if scope.everything
        else OrgUnit.objects.filter(path__in=scope.paths)
    )
    return list(units.order_by("path"))


def _lay_out(section: dict, *, styles: Styles, unit: OrgUnit | None) -> list:
    title = section["title"] if unit is None else f"{section['title']} · {unit.name}"
    story = [text(title, styles.heading), text(section["sentence"], styles.body)]
    for part in section["tables"]:
        if not part["rows"]:
            continue
        share = PAGE_WIDTH / sum(part["widths"])
        story.append(
            table(
                [part["header"], *part["rows"]], [w * share for w in part["widths"]], styles.font
            )
        )
    return story


def _counties(roots: list[OrgUnit]) -> list[OrgUnit]:
    """The counties the roots are in or hold (a city's counties, a town's county)."""
    step = OrgUnit.steplen
    q = Q(pk__in=[])
    for root in roots:
        if root.kind == UnitKind.COUNTY or root.depth > 2:
            q |= Q(path=root.path[: 2 * step], kind=UnitKind.COUNTY)
        else:
            q |= Q(path__startswith=root.path, kind=UnitKind.COUNTY)
    return list(OrgUnit.objects.filter(q).order_by("path"))


def honour_roll_section(*, roots: list[OrgUnit], quarter: Quarter, styles: Styles) -> list:
    """The year's honour roll (光荣榜) of each county in the viewer's scope: the 星级社区工作者
    the county approved (``scoring.selectors.honours.honour_rolls``)."""
    story = [text(_("Honour roll (光荣榜)"), styles.heading)]
    counties = _counties(roots)
    rolls = honour_rolls(counties=counties, year=quarter.year)
    for county in counties:
        awards = rolls[county.pk]
        if not awards:
            story.append(
                text(
                    _("%(county)s: no star community workers named for %(year)d yet.")
                    % {"county": county.name, "year": quarter.year},
                    styles.body,
                )
            )
            continue
        story.append(
            text(
                _("%(county)s, %(year)d: %(count)d star community workers named.")
                % {"county": county.name, "year": quarter.year, "count": len(awards)},
                styles.body,
            )
        )
        rows = [[_("Certificate"), _("Name"), _("Community"), _("Title"), _("Cumulative")]]
        rows += [
            [
                award.certificate_number,
                award.person.get_full_name(),
                award.community.name if award.community else award.unit.name,
                f"{award.title} {award.star_text}",
                f"{award.cumulative_total}",
            ]
            for award in awards
        ]
        story.append(table(rows, [26 * mm, 28 * mm, 40 * mm, 60 * mm, 28 * mm], styles.font))
    return story


def work_sections(*, viewer, quarter: Quarter, styles: Styles) -> list:
    """Every section about the quarter's work, in the order the report gives them: the
    other apps' (visits, verification), meetings, then the year's honour roll."""
    story: list = []
    roots = _roots(viewer)
    for offer in _offered():
        for unit in roots:
            for section in offer(unit=unit, start=quarter.starts_at, end=quarter.ends_at):
                story += _lay_out(section, styles=styles, unit=unit if len(roots) > 1 else None)
    story += meetings_section(viewer=viewer, quarter=quarter, styles=styles)
    return story + honour_roll_section(roots=roots, quarter=quarter, styles=styles)
