"""Retention: removing residents' numbers from settled cases' free text.

Called by ``requests_app``'s retention job (casework never reaches for residents itself). The
case's history (``CaseEvent``) is append-only and is left as written; see docs/SECURITY.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from casework.models import Case, CoHandling
from casework.models.cases import TERMINAL_STATES
from casework.text import scrub_personal

#: The free-text fields of a case that staff fill and that may quote a resident's number.
CASE_TEXT_FIELDS = ("title", "description", "result", "park_plan")


@transaction.atomic
def cases_scrub_personal(*, case_ids: Iterable[int]) -> int:
    """Replace phone and ID numbers in the free text of closed or cancelled cases.

    Preconditions: none; cases not in a terminal state are skipped, so a case still being worked
    keeps the number its handler may need. Side effects: saves the case's text fields and its
    co-handlers' opinions with ``update_fields``; writes no event and leaves ``version``, the
    state, every date and therefore every tally and rate as they were. Returns how many cases
    changed; running it again changes nothing.
    """
    changed = 0
    cases = Case.objects.select_for_update().filter(
        pk__in=list(case_ids), state__in=TERMINAL_STATES
    )
    for case in cases.order_by("pk"):
        fields = []
        for name in CASE_TEXT_FIELDS:
            value = getattr(case, name)
            scrubbed = scrub_personal(value)
            if scrubbed != value:
                setattr(case, name, scrubbed)
                fields.append(name)
        parts_changed = False
        for part in CoHandling.objects.filter(case=case).exclude(opinion=""):
            scrubbed = scrub_personal(part.opinion)
            if scrubbed != part.opinion:
                part.opinion = scrubbed
                part.save(update_fields=["opinion"])
                parts_changed = True
        if fields:
            case.save(update_fields=fields)
        if fields or parts_changed:
            changed += 1
    return changed
