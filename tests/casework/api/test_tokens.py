"""A person's own API tokens, on the page (/me/tokens/) and in the API (/api/v1/tokens/): made
with the key shown once, listed without it, renamed and revoked; nobody else's."""

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from casework.errors import Conflict, NotFound, ValidationFailed
from casework.models import ApiToken
from casework.selectors.tokens import token_list
from casework.services.tokens import key_digest, token_create, token_rename, token_revoke

# --- The service -------------------------------------------------------------------------------


def test_a_token_is_made_with_a_key_shown_once_and_stored_as_a_digest(people):
    now = timezone.now()
    token, key = token_create(user=people.grid_a1, name=" 平板-张三 ", now=now)
    assert token.name == "平板-张三"
    assert token.prefix == key[:8] and len(key) >= 40
    assert token.key_hash == key_digest(key)
    assert token.created_at == now and token.expires_at == now + timedelta(days=30)
    assert token.last_used_at is None and token.revoked_at is None


@pytest.mark.parametrize(
    ("name", "code"), [("", "required"), ("   ", "required"), ("x" * 65, "max_length")]
)
def test_a_bad_name_is_refused_naming_the_field_and_nothing_is_written(people, name, code):
    with pytest.raises(ValidationFailed) as refused:
        token_create(user=people.grid_a1, name=name)
    assert refused.value.field == "name" and refused.value.code == code
    assert not ApiToken.objects.exists()


def test_a_person_holds_at_most_the_limit_of_live_tokens(people, settings):
    settings.MINQING_TOKENS_PER_PERSON = 2
    first, _ = token_create(user=people.grid_a1, name="a")
    token_create(user=people.grid_a1, name="b")
    with pytest.raises(Conflict) as refused:
        token_create(user=people.grid_a1, name="c")
    assert refused.value.code == "too_many_tokens"
    assert ApiToken.objects.count() == 2
    # Another person has their own allowance; a revoked or expired token frees a place.
    token_create(user=people.grid_b1, name="a")
    token_revoke(actor=people.grid_a1, token_id=first.pk)
    token_create(user=people.grid_a1, name="c")
    ApiToken.objects.filter(name="b").update(expires_at=timezone.now())
    token_create(user=people.grid_a1, name="d")
    assert ApiToken.objects.filter(user=people.grid_a1).count() == 4


def test_only_the_owner_renames_or_revokes_a_token(people):
    token, _ = token_create(user=people.grid_a1, name="a")
    with pytest.raises(NotFound):
        token_rename(actor=people.grid_b1, token_id=token.pk, name="mine now")
    with pytest.raises(NotFound):
        token_revoke(actor=people.admin, token_id=token.pk)
    token.refresh_from_db()
    assert token.name == "a" and token.revoked_at is None


def test_revoking_twice_is_a_conflict_that_changes_nothing(people):
    token, _ = token_create(user=people.grid_a1, name="a")
    first = token_revoke(actor=people.grid_a1, token_id=token.pk).revoked_at
    with pytest.raises(Conflict):
        token_revoke(actor=people.grid_a1, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at == first and token.revoked_by == people.grid_a1


def test_the_list_is_the_viewers_own_live_tokens_newest_first(people):
    now = timezone.now()
    older, _ = token_create(user=people.grid_a1, name="older", now=now - timedelta(hours=1))
    newer, _ = token_create(user=people.grid_a1, name="newer", now=now)
    gone, _ = token_create(user=people.grid_a1, name="gone", now=now)
    token_revoke(actor=people.grid_a1, token_id=gone.pk)
    token_create(user=people.grid_b1, name="theirs")
    assert list(token_list(viewer=people.grid_a1)) == [newer, older]
    assert len(token_list(viewer=people.grid_a1, include_revoked=True)) == 3


# --- The API -----------------------------------------------------------------------------------

FIELDS = {"id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"}


@pytest.mark.parametrize(
    "who", ["grid_a1", "volunteer_a1", "handler_company", "admin", "outsider"]
)
def test_every_person_makes_lists_renames_and_revokes_their_tokens_in_the_api(api_as, people, who):
    client = api_as(getattr(people, who))
    made = client.post("/api/v1/tokens/", {"name": "平板-张三"}, format="json")
    assert made.status_code == 201
    body = made.json()
    assert set(body) == FIELDS | {"key"}
    key = body["key"]
    assert body["prefix"] == key[:8]
    listed = client.get("/api/v1/tokens/").json()
    assert listed["count"] == 1
    assert set(listed["results"][0]) == FIELDS  # never the key again
    assert key not in str(listed)
    pk = body["id"]
    renamed = client.patch(f"/api/v1/tokens/{pk}/", {"name": "平板-李四"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "平板-李四"
    assert client.get(f"/api/v1/tokens/{pk}/").json()["name"] == "平板-李四"
    assert client.delete(f"/api/v1/tokens/{pk}/").status_code == 204
    assert client.get("/api/v1/tokens/").json()["count"] == 0
    assert ApiToken.objects.get(pk=pk).revoked_by == getattr(people, who)


def test_the_revoke_action_answers_the_revoked_token(api_as, people):
    token, key = token_create(user=people.grid_a1, name="a")
    client = api_as(people.grid_a1)
    answer = client.post(f"/api/v1/tokens/{token.pk}/revoke/")
    assert answer.status_code == 200 and answer.json()["revoked_at"]
    again = client.post(f"/api/v1/tokens/{token.pk}/revoke/")
    assert again.status_code == 409 and again.json()["code"] == "revoked"
    client.logout()
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_a_token_revokes_itself_but_cannot_make_another(api_client, people):
    token, key = token_create(user=people.grid_a1, name="a")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    made = api_client.post("/api/v1/tokens/", {"name": "b"}, format="json")
    assert made.status_code == 403 and made.json()["code"] == "session_required"
    assert ApiToken.objects.count() == 1
    assert api_client.get("/api/v1/tokens/").json()["results"][0]["id"] == token.pk
    assert api_client.delete(f"/api/v1/tokens/{token.pk}/").status_code == 204
    assert api_client.get("/api/v1/tokens/").status_code == 401


def test_another_persons_token_is_not_found_in_the_api(api_as, people):
    token, _ = token_create(user=people.grid_b1, name="theirs")
    client = api_as(people.admin)
    assert client.get(f"/api/v1/tokens/{token.pk}/").status_code == 404
    assert (
        client.patch(f"/api/v1/tokens/{token.pk}/", {"name": "x"}, format="json").status_code
        == 404
    )
    assert client.delete(f"/api/v1/tokens/{token.pk}/").status_code == 404
    assert client.post(f"/api/v1/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.name == "theirs" and token.revoked_at is None


def test_bad_input_in_the_api_names_the_field(api_as, people, settings):
    client = api_as(people.grid_a1)
    for body in ({}, {"name": ""}, {"name": "x" * 65}):
        answer = client.post("/api/v1/tokens/", body, format="json")
        assert answer.status_code == 400 and "name" in answer.json()
    settings.MINQING_TOKENS_PER_PERSON = 1
    assert client.post("/api/v1/tokens/", {"name": "a"}, format="json").status_code == 201
    full = client.post("/api/v1/tokens/", {"name": "b"}, format="json")
    assert full.status_code == 409 and full.json()["code"] == "too_many_tokens"
    assert ApiToken.objects.count() == 1


def test_anonymous_callers_get_401(api_client, db):
    assert api_client.get("/api/v1/tokens/").status_code == 401
    assert api_client.post("/api/v1/tokens/", {"name": "a"}, format="json").status_code == 401


@pytest.mark.parametrize("rows", [1, 6])
def test_the_token_list_costs_a_fixed_number_of_queries(
    api_as, people, rows, django_assert_num_queries
):
    for n in range(rows):
        token_create(user=people.grid_a1, name=f"t{n}")
    client = api_as(people.grid_a1)
    # session, user, count, page
    with django_assert_num_queries(4):
        assert client.get("/api/v1/tokens/").json()["count"] == rows


# --- The page ----------------------------------------------------------------------------------


def test_the_page_makes_a_token_and_shows_its_key_once(client_as, people):
    client = client_as(people.grid_a1)
    page = client.post(reverse("my-tokens"), {"name": "平板-张三"})
    assert page.status_code == 200
    token = ApiToken.objects.get()
    html = page.content.decode()
    key = page.context["key"]
    assert token.key_hash == key_digest(key) and key in html
    assert "no-store" in page["Cache-Control"]
    again = client.get(reverse("my-tokens")).content.decode()
    assert key not in again and token.prefix in again and "平板-张三" in again


def test_the_page_refuses_a_bad_name_on_its_field(client_as, people, settings):
    client = client_as(people.grid_a1)
    page = client.post(reverse("my-tokens"), {"name": ""})
    assert page.status_code == 400 and page.context["form"].errors["name"]
    settings.MINQING_TOKENS_PER_PERSON = 1
    client.post(reverse("my-tokens"), {"name": "a"})
    full = client.post(reverse("my-tokens"), {"name": "b"})
    assert full.status_code == 400 and full.context["form"].non_field_errors()
    assert ApiToken.objects.count() == 1


def test_the_page_renames_and_revokes(client_as, people):
    token, _ = token_create(user=people.grid_a1, name="a")
    client = client_as(people.grid_a1)
    client.post(reverse("my-token-rename", args=[token.pk]), {"name": "平板-李四"})
    token.refresh_from_db()
    assert token.name == "平板-李四"
    client.post(reverse("my-token-rename", args=[token.pk]), {"name": ""})
    token.refresh_from_db()
    assert token.name == "平板-李四"
    answer = client.post(reverse("my-token-revoke", args=[token.pk]))
    assert answer.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "平板-李四" not in client.get(reverse("my-tokens")).content.decode()


def test_the_page_does_not_touch_another_persons_token(client_as, people):
    token, _ = token_create(user=people.grid_b1, name="theirs")
    client = client_as(people.grid_a1)
    assert (
        client.post(reverse("my-token-rename", args=[token.pk]), {"name": "x"}).status_code == 404
    )
    assert client.post(reverse("my-token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.name == "theirs" and token.revoked_at is None
    assert "theirs" not in client.get(reverse("my-tokens")).content.decode()


def test_the_page_needs_a_sign_in_and_is_linked_from_home(client, client_as, people):
    assert client.get(reverse("my-tokens")).status_code == 302
    home = client_as(people.grid_a1).get(reverse("home")).content.decode()
    assert reverse("my-tokens") in home


@pytest.mark.parametrize("rows", [1, 6])
def test_the_token_page_costs_a_fixed_number_of_queries(
    client_as, people, rows, django_assert_num_queries
):
    for n in range(rows):
        token_create(user=people.grid_a1, name=f"t{n}")
    client = client_as(people.grid_a1)
    with django_assert_num_queries(5):
        page = client.get(reverse("my-tokens"))
    assert len(page.context["tokens"]) == rows


# --- The admin ---------------------------------------------------------------------------------


def test_the_admin_lists_tokens_without_the_key_and_revokes_them(client, people):
    people.admin.is_staff = people.admin.is_superuser = True
    people.admin.save()
    token, key = token_create(user=people.grid_a1, name="平板-张三")
    client.force_login(people.admin)
    page = client.get(reverse("admin:casework_apitoken_changelist")).content.decode()
    assert "平板-张三" in page and token.prefix in page
    assert key not in page and token.key_hash not in page
    detail = client.get(reverse("admin:casework_apitoken_change", args=[token.pk])).content
    assert token.key_hash.encode() not in detail
    client.post(
        reverse("admin:casework_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == people.admin
    admin_ = site._registry[ApiToken]
    request = RequestFactory().get("/")
    request.user = people.admin
    assert not admin_.has_add_permission(request) and not admin_.has_delete_permission(request)


# --- The demo ----------------------------------------------------------------------------------


def test_the_demo_shows_tokens_on_the_owners_pages(demo_data, client, settings):
    settings.DEBUG = True  # demo accounts sign in only then
    tablet = ApiToken.objects.get(user__username="demo-grid")
    assert tablet.name == "平板-网格员" and tablet.last_used_at is not None
    assert ApiToken.objects.filter(user__username="demo-admin", name="12345热线对接").exists()
    client.force_login(tablet.user)
    page = client.get(reverse("my-tokens")).content.decode()
    assert "平板-网格员" in page and tablet.prefix in page
