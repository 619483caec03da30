"""seed_demo makes the same data on every run with the same seed and the same moment."""

from django.db.models import Count

from casework.models import Case, CaseEvent, OrgUnit, User


def _snapshot():
    return (
        list(OrgUnit.objects.order_by("path").values_list("path", "name", "kind")),
        list(User.objects.order_by("username").values_list("username", "name")),
        dict(Case.objects.values_list("state").annotate(n=Count("pk"))),
        CaseEvent.objects.count(),
    )


def test_seed_demo_is_deterministic(shared_demo, django_db_blocker):
    """The session's demo (seed 2026, built up to one fixed moment) is compared with one more
    build in the emptied database, which then stays as the session's demo: one extra seeding.

    The tests that read the demo roll back what they write, so the first build is as it was made.
    """
    with django_db_blocker.unblock():
        shared_demo.build()
        first = _snapshot()
        shared_demo.discard()
        assert not OrgUnit.objects.exists()
        shared_demo.build()
        assert _snapshot() == first
