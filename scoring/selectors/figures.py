"""The article's figures that scoring keeps, for casework's dashboard (``casework.figures``):
volunteer activities held and people served (开展公益活动…场次，服务群众…人次), and party members
registered with communities under 双报到."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Sum
from django.utils import timezone

from casework.models import OrgUnit
from scoring.models import DualRegistration, VolunteerActivity


def scoring_figures(*, unit: OrgUnit, start: datetime, end: datetime) -> dict[str, int]:
    """Counts for ``unit``'s subtree over ``[start, end)``, two queries."""
    first, after = timezone.localdate(start), timezone.localdate(end)
    activities = VolunteerActivity.objects.filter(
        team__unit__path__startswith=unit.path, held_on__gte=first, held_on__lt=after
    ).aggregate(n=Count("pk"), served=Sum("people_served"))
    # A registration lasts its year: count the members registered for any year of the period.
    last_year = timezone.localdate(end - timedelta(microseconds=1)).year
    members = (
        DualRegistration.objects.filter(
            community__path__startswith=unit.path,
            year__gte=first.year,
            year__lte=last_year,
            registered_on__lt=after,
        )
        .values("person_id")
        .distinct()
        .count()
    )
    return {
        "volunteer_activities": activities["n"],
        "volunteer_people_served": activities["served"] or 0,
        "dual_registration_members": members,
    }
