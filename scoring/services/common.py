"""What the evidence services share: who records for whom, and keeping a published quarter's
evidence frozen. (Text is cleaned by ``casework.text.clean_text``, as everywhere.)"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from casework.errors import Conflict
from casework.models import OrgUnit
from casework.selectors.scope import scope_for
from scoring.access import require_supervisor_over
from scoring.calc import QuarterKey
from scoring.models import Quarter, QuarterStatus


def require_self_or_supervisor(actor, person, unit: OrgUnit, *, field: str = "person") -> None:
    """A person records their own evidence at a unit they belong to; a supervisor or admin over
    the unit records anyone's."""
    scope = scope_for(actor)
    if actor.pk == person.pk and scope.covers_path(unit.path):
        return
    require_supervisor_over(actor, unit.path, field=field if actor.pk != person.pk else "unit")


def touch_quarter_of(day: date, *, field: str) -> None:
    """Refuse a record dated in a published quarter; flag a computed one as changed.

    A published quarter is frozen with its evidence: reopen it first to change either. The
    quarter's row is locked for the rest of the caller's transaction, so a record never slips in
    while the quarter is being computed or published.
    """
    code = QuarterKey.of(day).code
    row = (
        Quarter.objects.select_for_update()
        .filter(code=code)
        .values_list("pk", "status", "stale")
        .first()
    )
    if row is None:
        return
    pk, status, stale = row
    if status == QuarterStatus.PUBLISHED:
        raise Conflict(
            _("Quarter %(quarter)s is published; its evidence can no longer change.")
            % {"quarter": code},
            code="quarter_published",
            field=field,
        )
    if status == QuarterStatus.COMPUTED and not stale:
        Quarter.objects.filter(pk=pk).update(stale=True)
