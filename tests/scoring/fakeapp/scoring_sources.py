"""Offers "answered_on_spot" from casework's cases (any model with a person and a unit will do),
and one kind scoring does not know, which it must ignore."""

from django.db.models import F

from casework.models import Case


def answered_on_spot(start, end):
    return Case.objects.filter(created_at__gte=start, created_at__lt=end).annotate(
        score_person=F("created_by_id"), score_unit=F("unit_id")
    )


def describe(kind, ids):
    return {pk: (f"{kind} {pk}", f"/elsewhere/{pk}/") for pk in ids}


SOURCES = {"answered_on_spot": answered_on_spot, "not_a_kind": answered_on_spot}
