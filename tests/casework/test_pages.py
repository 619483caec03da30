"""Pages: login, the home page per role, the unit page and its scope."""

import pytest
from django.urls import reverse


def test_the_login_page_renders_in_chinese_by_default(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_the_english_switch_works(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert "Sign in" in page


def test_home_requires_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("who", "panels"),
    [
        ("grid_a1", {"grid_worker"}),
        ("supervisor_a", {"supervisor"}),
        ("handler_company", {"handler"}),
        ("admin", {"admin"}),
        ("volunteer_a1", {"volunteer"}),
    ],
)
def test_home_shows_one_panel_per_role(client_as, people, who, panels):
    page = client_as(getattr(people, who)).get(reverse("home")).content.decode()
    for role in ("admin", "supervisor", "handler", "grid_worker", "volunteer"):
        assert (f'data-role="{role}"' in page) == (role in panels)


def test_a_grid_worker_gets_404_for_a_unit_page_in_another_grid(client_as, tree, people):
    client = client_as(people.grid_a1)
    assert client.get(reverse("unit-detail", args=[tree.grid_a1.pk])).status_code == 200
    assert client.get(reverse("unit-detail", args=[tree.grid_b1.pk])).status_code == 404
    assert client.get(reverse("unit-detail", args=[tree.community_a.pk])).status_code == 404


def test_the_unit_page_lists_children_and_people_in_scope(client_as, tree, people):
    page = (
        client_as(people.supervisor_a)
        .get(reverse("unit-detail", args=[tree.community_a.pk]))
        .content.decode()
    )
    assert "A1网格" in page and "城东物业" in page
    assert "grid-a1" in page
    assert "城西社区" not in page


def test_admins_are_warned_when_the_calendar_runs_out(client_as, people, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2099, 1, 1))
    page = client_as(people.admin).get(reverse("home")).content.decode()
    assert 'data-warning="calendar"' in page
    page = client_as(people.grid_a1).get(reverse("home")).content.decode()
    assert 'data-warning="calendar"' not in page
