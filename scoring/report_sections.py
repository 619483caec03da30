"""The quarterly report's pages about the work itself, in the report's words: meetings and
problems solved by type.

Each section reads the same selector as the page and the API that show its figures, for the
viewer's scope and the quarter's days, so the PDF, the dashboard and the API agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from casework.selectors.consultations import meeting_figures
from scoring.models import Quarter
from scoring.pdf_kit import table, text


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


def work_sections(*, viewer, quarter: Quarter, styles: Styles) -> list:
    """Every section about the quarter's work, in the order the report gives them."""
    return meetings_section(viewer=viewer, quarter=quarter, styles=styles)
