"""seed_demo shows appeals (申诉) and the 双报到 rhythm: in the last published quarter one appeal
upheld (its correction a manual entry that computing again keeps) and one rejected, both decided
within the window before publishing; one appeal pending in the provisional quarter, by the demo
grid worker; and a cadence page with something missing."""

import re

from django.urls import reverse
from django.utils import timezone

from casework.models import User
from scoring import services
from scoring.models import (
    Appeal,
    AppealEventKind,
    AppealStatus,
    Quarter,
    QuarterStatus,
    ScoreEntry,
)
from scoring.selectors.appeals import appeal_closes_on


def test_a_published_quarter_has_an_upheld_and_a_rejected_appeal(demo_data):
    assert "appeals upheld 1" in demo_data.output
    decided = Appeal.objects.exclude(status=AppealStatus.PENDING).select_related("quarter")
    assert sorted(a.status for a in decided) == [AppealStatus.REJECTED, AppealStatus.UPHELD]
    for appeal in decided:
        quarter = appeal.quarter
        assert quarter.status == QuarterStatus.PUBLISHED
        assert appeal.reason and appeal.decision_reason
        # Filed and decided within the window, before the quarter was published.
        closes = appeal_closes_on(quarter)
        assert quarter.ends_at <= appeal.filed_at <= appeal.decided_at < quarter.published_at
        assert timezone.localdate(appeal.filed_at) <= closes
        kinds = list(appeal.events.order_by("at", "pk").values_list("kind", flat=True))
        assert kinds == [AppealEventKind.FILED, appeal.status]
        assert appeal.decided_by_id != appeal.person_id
    upheld = decided.get(status=AppealStatus.UPHELD)
    rejected = decided.get(status=AppealStatus.REJECTED)
    assert upheld.corrected_points is not None
    assert upheld.adjustment == upheld.corrected_points - upheld.points != 0
    assert rejected.correction_id is None and rejected.person_id != upheld.person_id


def test_the_upheld_correction_is_a_manual_entry_that_survives_recomputation(demo_data):
    appeal = Appeal.objects.get(status=AppealStatus.UPHELD)
    admin = User.objects.get(username="demo-admin")
    correction = appeal.correction
    assert (correction.manual, correction.points, correction.quarter_id) == (
        True,
        appeal.adjustment,
        appeal.quarter_id,
    )
    assert correction.detail == {"appeal": appeal.pk, "corrects": appeal.entry_key}
    # The demo computed the quarter again after the decision, then published it.
    quarter = appeal.quarter
    assert quarter.computed_at > appeal.decided_at and not quarter.stale
    # And once more now: the derived entries are replaced, the correction is kept.
    services.quarter_reopen(quarter=quarter.code, actor=admin, reason="复核申诉更正")
    derived = set(
        ScoreEntry.objects.filter(quarter=quarter, manual=False).values_list("pk", flat=True)
    )
    services.quarter_compute(quarter=quarter.code, actor=admin)
    assert ScoreEntry.objects.filter(
        pk=correction.pk, points=appeal.adjustment, manual=True
    ).exists()
    again = set(
        ScoreEntry.objects.filter(quarter=quarter, manual=False).values_list("pk", flat=True)
    )
    assert again and not again & derived


def test_the_provisional_quarter_has_a_pending_appeal_by_the_demo_grid_worker(
    demo_data, client, settings
):
    pending = Appeal.objects.select_related("quarter", "person").get(status=AppealStatus.PENDING)
    assert pending.person.username == "demo-grid"
    assert pending.quarter.status == QuarterStatus.COMPUTED
    assert pending.quarter.ends_at > demo_data.now
    assert Quarter.objects.filter(status=QuarterStatus.COMPUTED).count() == 1
    # The demo login sees it among their appeals (demo logins work with DEBUG on).
    settings.DEBUG = True
    client.force_login(pending.person)
    page = client.get(reverse("scoring:appeals") + "?view=mine")
    assert page.status_code == 200
    assert reverse("scoring:appeal", args=[pending.pk]) in page.content.decode()


def test_the_cadence_page_lists_what_is_missing(demo_data, client, settings):
    assert re.search(r"双报到 monthly \d+", demo_data.output)
    settings.DEBUG = True
    client.force_login(User.objects.get(username="demo-admin"))
    year = timezone.localdate(demo_data.now).year
    html = client.get(reverse("scoring:dual-cadence") + f"?year={year}").content.decode()
    missing = [int(n) for n in re.findall(r"data-months-missing>(\d+)<", html)]
    quarters = [int(n) for n in re.findall(r"data-quarters-missing>(\d+)<", html)]
    reported = [int(n) for n in re.findall(r"data-not-reported-in>(\d+)<", html)]
    members = [int(n) for n in re.findall(r"data-members>(\d+)<", html)]
    assert members and sum(missing) + sum(quarters) + sum(reported) > 0
    assert 'class="flag"' in html  # a member's missing items are listed
    # Most are recorded: fewer report-ins missing than members.
    assert sum(reported) < sum(members)
