"""Who may do what in scoring: plain reads of the viewer's scope, shared by the services (which
enforce them) and the selectors and pages (which only show what a person may do)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import NotPermitted, ValidationFailed
from casework.models import Membership, OrgUnit, Role
from casework.selectors.scope import scope_for
from casework.workflow import SUPERVISORS


def is_top_admin(user) -> bool:
    """An administrator of a whole tree (its root unit), or a superuser."""
    if user is None or not user.is_authenticated:
        return False
    scope = scope_for(user)
    if scope.everything:
        return True
    return any(
        role == Role.ADMIN and len(path) == OrgUnit.steplen for path, role in scope.role_paths
    )


def require_top_admin(actor, *, field: str = "quarter") -> None:
    """Refuse unless ``actor`` is a top administrator; ``None`` is the system (command, task)."""
    if actor is None:
        return
    if not is_top_admin(actor):
        raise NotPermitted(
            _("Only an administrator of the whole city may compute or publish a quarter."),
            field=field,
        )


def require_supervisor_over(actor, path: str, *, field: str) -> None:
    if not scope_for(actor).has_role(*SUPERVISORS, path=path):
        raise NotPermitted(_("You do not supervise this unit."), field=field)


def person_paths(person) -> list[str]:
    """The paths of the units where ``person`` holds a membership (one query)."""
    return list(
        Membership.objects.filter(user=person, unit__is_active=True).values_list(
            "unit__path", flat=True
        )
    )


def supervises_person(actor, person, *, paths: list[str] | None = None) -> bool:
    """Whether ``actor`` supervises (or administers) a unit ``person`` belongs to."""
    scope = scope_for(actor)
    if scope.everything:
        return True
    paths = person_paths(person) if paths is None else paths
    return any(scope.has_role(*SUPERVISORS, path=path) for path in paths)


def check_past_date(day: date, *, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationFailed(_("This date is in the future."), field=field)


#: The levels whose supervisors and administrators decide appeals of points (申诉): the county
#: (or the city above it), never the community or town that recorded the work.
APPEAL_DECIDING_KINDS = ("city", "county")


def appeal_decider_paths(viewer) -> list[str]:
    """The paths of the cities and counties where ``viewer`` is a supervisor or admin (one
    query, none for a superuser, who decides everywhere: ``[""]``)."""
    if viewer is None or not viewer.is_authenticated:
        return []
    if viewer.is_superuser:
        return [""]
    return list(
        Membership.objects.filter(
            user=viewer,
            role__in=SUPERVISORS,
            unit__is_active=True,
            unit__kind__in=APPEAL_DECIDING_KINDS,
        ).values_list("unit__path", flat=True)
    )


def decides_appeals_over(viewer, path: str) -> bool:
    """Whether ``viewer`` may decide the appeals of a worker ranked at ``path``."""
    return any(path.startswith(p) for p in appeal_decider_paths(viewer))
