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


def test_the_inbox_pages_and_its_pager_keeps_the_unread_filter(client_as, people):
    from casework.services.notifications import notify_many

    notify_many([(people.handler_company.pk, "digest", None, f"摘要 {i}") for i in range(51)])
    client = client_as(people.handler_company)
    page = client.get(reverse("inbox"), {"unread": "1"}).content.decode()
    assert page.count('data-kind="digest"') == 50
    assert "第 1 页，共 2 页" in page
    assert 'href="?unread=1&amp;page=2" aria-label="下一页（第 2 页）"' in page
    last = client.get(reverse("inbox"), {"unread": "1", "page": "2"}).content.decode()
    assert last.count('data-kind="digest"') == 1
    assert 'href="?unread=1&amp;page=1" aria-label="上一页（第 1 页）"' in last


def test_the_pager_keeps_the_query_it_is_given_or_else_the_requests_own(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    page = Paginator(range(120), 50).get_page(2)
    request = rf.get("/list/", {"stars": "3", "page": "2"})
    request.user = AnonymousUser()
    own = render_to_string("_pager.html", {"page": page}, request=request)
    assert 'href="?stars=3&amp;page=1"' in own and 'href="?stars=3&amp;page=3"' in own
    given = render_to_string("_pager.html", {"page": page, "query": "unit=7"}, request=request)
    assert 'href="?unit=7&amp;page=1"' in given and 'href="?unit=7&amp;page=3"' in given
    alone = Paginator(range(10), 50).get_page(1)
    assert "pager" not in render_to_string("_pager.html", {"page": alone}, request=request)
