"""Rough edges of issue 12: the intake page's channels, the dashboard's default period and red
list, the inbox's unread rows."""

from datetime import date

import pytest
from django.urls import reverse

from casework.views.dashboard import default_month
from requests_app.models import Channel
from requests_app.views.forms import FIELD_CHANNELS, IntakeForm

pytestmark = pytest.mark.django_db


def test_the_intake_page_offers_only_the_channels_collected_by_hand(client_as, people):
    offered = [value for value, _label in IntakeForm.base_fields["channel"].choices]
    assert offered == [c.value for c in FIELD_CHANNELS]
    assert Channel.OPEN311 not in offered and Channel.ONLINE not in offered
    page = client_as(people.grid_a1).get(reverse("requests_app:intake")).content.decode()
    assert 'value="open311"' not in page


@pytest.mark.parametrize(
    ("today", "shown"),
    [
        (date(2026, 12, 1), date(2026, 11, 1)),  # a month a day old: the last complete one
        (date(2026, 12, 7), date(2026, 11, 1)),
        (date(2026, 12, 8), date(2026, 12, 1)),  # a week old: this month
        (date(2026, 1, 3), date(2025, 12, 1)),  # across the year
    ],
)
def test_the_dashboard_defaults_to_a_month_with_something_in_it(today, shown):
    assert default_month(today) == shown


def test_the_dashboard_says_which_month_it_shows(client_as, people):
    from django.utils import timezone

    page = client_as(people.supervisor_a).get(reverse("dashboard")).content.decode()
    shown = default_month(timezone.localdate()).strftime("%Y-%m")
    assert f'name="month" value="{shown}"' in page


def test_the_red_list_names_its_rate_and_leaves_out_units_with_no_cases(
    client_as, open_case, drive, people, tree
):
    from django.utils import timezone

    drive(open_case(), "closed")
    month = timezone.localdate().strftime("%Y-%m")
    page = client_as(people.town_supervisor).get(
        reverse("dashboard"), {"unit": tree.town.pk, "month": month}
    )
    html = page.content.decode()
    red = html[html.index('class="ranking red"') : html.index("</ol>", html.index("ranking red"))]
    assert tree.community_a.name in red
    assert "overall rate" in red or "综合率" in red
    assert tree.community_b.name not in red  # no cases there


def test_unread_notifications_are_not_styled_as_the_header_badge(
    client_as, open_case, drive, people
):
    drive(open_case(), "assigned")  # tells the handler
    page = client_as(people.handler_company).get(reverse("inbox")).content.decode()
    assert 'class="notification is-unread"' in page
    assert 'class="unread-count"' in page  # the header's count
    assert 'class="notification unread"' not in page
