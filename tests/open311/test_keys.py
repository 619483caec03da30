"""Open311 keys: issued by the command (printed once, stored as a hash), listed, revoked."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from casework.models import Role
from casework.selectors.scope import scope_for
from open311.models import Open311Key


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("open311_key", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_the_key_once_and_stores_its_hash(tree):
    out, err = run("create", "12345热线", "--unit", str(tree.grid_a1.pk))
    raw = out.strip()
    assert len(raw) >= 40 and "\n" not in raw
    assert "not shown again" in err
    key = Open311Key.objects.get()
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in key.key_hash and key.prefix == raw[:6]
    # A grid is its own fallback place; the service account cannot sign in and collects there.
    assert key.fallback_place == tree.grid_a1
    assert not key.account.has_usable_password()
    scope = scope_for(key.account)
    assert scope.has_role(Role.VOLUNTEER, path=tree.compound_a1.path)
    assert not scope.covers_path(tree.grid_b1.path)
    listed, _ = run("list")
    assert "12345热线" in listed and raw not in listed and "never" in listed


def test_create_by_code_with_a_fallback_and_refusals(tree):
    tree.community_a.code = "450923100001"
    tree.community_a.save(update_fields=["code"])
    run("create", "网格通", "--unit", "450923100001", "--fallback", str(tree.compound_a1.pk))
    assert Open311Key.objects.get().fallback_place == tree.compound_a1
    with pytest.raises(CommandError):
        run("create", "网格通", "--unit", "450923100001")
    with pytest.raises(CommandError):
        run("create", "外面", "--unit", "450923100001", "--fallback", str(tree.grid_b1.pk))
    with pytest.raises(CommandError):
        run("create", "无处", "--unit", "nowhere")
    assert Open311Key.objects.count() == 1


def test_revoke(tree):
    run("create", "热线", "--unit", str(tree.grid_a1.pk))
    out, _err = run("revoke", "热线")
    assert out.strip() == "Revoked 热线."
    key = Open311Key.objects.get()
    assert not key.is_active and key.revoked_at is not None
    assert not key.account.is_active
    with pytest.raises(CommandError):
        run("revoke", "没有")


def test_the_admin_issues_a_key_once_and_revokes_it(client, tree, django_user_model):
    boss = django_user_model.objects.create_superuser("root", "r@example.org", "pw-for-tests-9731")
    client.force_login(boss)
    response = client.post(
        "/admin/open311/open311key/add/",
        {"name": "市民通", "unit": tree.community_a.pk, "fallback_place": tree.grid_a1.pk},
        follow=True,
    )
    assert response.status_code == 200
    key = Open311Key.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    (raw,) = [m.rsplit("：", 1)[-1] for m in shown if "仅显示这一次" in m]
    assert hashlib.sha256(raw.encode()).hexdigest() == key.key_hash
    assert key.account.memberships.get().role == Role.VOLUNTEER
    # The change page never shows the key again.
    page = client.get(f"/admin/open311/open311key/{key.pk}/change/")
    assert raw not in page.content.decode()
    client.post(
        "/admin/open311/open311key/",
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    key.refresh_from_db()
    assert not key.is_active
