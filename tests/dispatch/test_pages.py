"""``/dispatch/`` (versions, retraining, acceptance) and the intake page's suggestion box."""

import pytest
from django.urls import reverse

from dispatch.models import DispatchModel

INDEX = "/dispatch/"


def test_supervisors_and_admins_see_the_page_others_do_not(client_as, client, people, cats):
    assert client.get(INDEX).status_code == 302  # to the login page
    assert client_as(people.grid_a1).get(INDEX).status_code == 403
    assert client_as(people.handler_company).get(INDEX).status_code == 403
    assert client_as(people.supervisor_a).get(INDEX).status_code == 200


def test_before_any_training_the_page_says_keywords_only(client_as, people, cats):
    page = client_as(people.admin).get(INDEX).content.decode()
    assert "data-fallback" in page
    assert 'action="/dispatch/train/"' in page


def test_the_retrain_button_is_for_admins_only(client_as, people, history, learn_from_few):
    history(40)
    page = client_as(people.supervisor_a).get(INDEX).content.decode()
    assert 'action="/dispatch/train/"' not in page
    refused = client_as(people.supervisor_a).post(reverse("dispatch:train"), follow=True)
    assert not DispatchModel.objects.exists()
    assert [m.level_tag for m in refused.context["messages"]] == ["error"]
    done = client_as(people.admin).post(reverse("dispatch:train"), follow=True)
    version = DispatchModel.objects.get()
    assert version.kind == "learned" and version.trained_by == people.admin
    page = done.content.decode()
    assert f'data-active-version="{version.pk}"' in page
    assert 'data-kind="learned"' in page
    assert "data-fallback" not in page


def test_a_keywords_version_is_shown_as_such(client_as, people, history):
    history(8)
    client_as(people.admin).post(reverse("dispatch:train"))
    page = client_as(people.admin).get(INDEX).content.decode()
    assert 'data-kind="keywords"' in page and "data-fallback" in page


def test_an_admin_goes_back_to_an_earlier_version(client_as, people, history, learn_from_few):
    history(40)
    client = client_as(people.admin)
    client.post(reverse("dispatch:train"))
    client.post(reverse("dispatch:train"))
    first = DispatchModel.objects.order_by("pk").first()
    client.post(reverse("dispatch:activate", args=[first.pk]))
    first.refresh_from_db()
    assert first.is_active


def _records(people, tree, cats, capture, n):
    from requests_app.services import request_collect

    keys = ["water", "light", "noise", "lift"]
    texts = {"water": "停水了", "light": "路灯不亮", "noise": "噪音扰民", "lift": "电梯故障"}
    for i in range(n):
        key = keys[i % len(keys)]
        with capture(execute=True):
            request_collect(
                actor=people.grid_a1,
                channel="onsite",
                category=getattr(cats, key),
                unit=tree.compound_a1,
                description=texts[key],
            )


@pytest.mark.parametrize("n", [1, 8])
def test_acceptance_per_category_in_a_pinned_number_of_queries(
    client_as, people, tree, cats, django_capture_on_commit_callbacks, django_assert_num_queries, n
):
    _records(people, tree, cats, django_capture_on_commit_callbacks, n)
    client = client_as(people.admin)
    client.get(INDEX)
    # session, user, memberships, versions count (no version: no page of them), active
    # version, three aggregates, the menu's unread count
    with django_assert_num_queries(9):
        page = client.get(INDEX)
    assert page.status_code == 200
    figures = page.context["figures"]
    assert figures.total.recorded == n
    assert page.content.decode().count("<tr data-category=") == min(n, 4)


def test_a_bad_period_is_a_400_with_the_default_period_shown(client_as, people, cats):
    page = client_as(people.admin).get(INDEX, {"from": "2026-13-01"})
    assert page.status_code == 400
    assert page.context["figures"].total.recorded == 0


def test_the_intake_page_carries_the_suggestion_box(client_as, people, cats):
    page = client_as(people.grid_a1).get(reverse("requests_app:intake")).content.decode()
    assert 'data-suggest-url="/api/v1/dispatch/suggest/"' in page
    assert 'data-description="#id_description"' in page
    assert "dispatch/suggest.js" in page
