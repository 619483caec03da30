"""The admin site shows a staff member only the places they cover, and keeps its own log."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from casework.admin_base import ScopedAdmin
from casework.models import Membership, OrgUnit, Role, UnitKind
from casework.services import membership_grant, person_create, unit_create
from requests_app.services import request_open_case


def _allow(user, *codenames):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


@pytest.fixture
def two_counties(tree, people, collect):
    """博白县 (the tree) and 兴业县 beside it, each with a resident and a case."""
    other = unit_create(name="兴业县", kind=UnitKind.COUNTY, parent=tree.city)
    town = unit_create(name="石南镇", kind=UnitKind.TOWN, parent=other)
    community = unit_create(name="石南社区", kind=UnitKind.COMMUNITY, parent=town)
    grid = unit_create(name="S1网格", kind=UnitKind.GRID, parent=community)
    worker = person_create(username="grid-s1", name="grid-s1", password="pw-for-tests-9731")
    membership_grant(user=worker, unit=grid, role=Role.GRID_WORKER)
    here = collect()
    there = collect(
        actor=worker,
        unit=grid,
        resident={"name": "赵六", "phone": "13912345678", "address": "石南"},
    )
    county_admin = person_create(
        username="county-admin", name="county-admin", password="pw-for-tests-9731"
    )
    membership_grant(user=county_admin, unit=tree.county, role=Role.ADMIN)
    _allow(county_admin, "view_resident", "view_case", "view_orgunit", "view_logentry")
    return {
        "admin": county_admin,
        "here": here,
        "there": there,
        "case_here": request_open_case(request=here, actor=people.grid_a1),
        "case_there": request_open_case(request=there, actor=worker),
        "other_county": other,
    }


def test_a_county_admin_lists_only_their_county(client, two_counties):
    client.force_login(two_counties["admin"])

    residents = client.get(reverse("admin:requests_app_resident_changelist"))
    cases = client.get(reverse("admin:casework_case_changelist"))

    assert residents.status_code == cases.status_code == 200
    assert "王伟" in residents.content.decode()
    assert "赵六" not in residents.content.decode()
    assert list(cases.context["cl"].result_list) == [two_counties["case_here"]]


def test_another_countys_row_is_not_found(client, two_counties):
    client.force_login(two_counties["admin"])
    there = two_counties["there"]

    mine = client.get(
        reverse("admin:requests_app_resident_change", args=[two_counties["here"].resident_id])
    )
    resident = client.get(reverse("admin:requests_app_resident_change", args=[there.resident_id]))
    case = client.get(reverse("admin:casework_case_change", args=[there.case_id]))

    assert mine.status_code == 200
    # Django's admin answers a row it cannot find with a redirect to the index and a message.
    assert resident.status_code == case.status_code == 302
    assert resident.url == case.url == reverse("admin:index")


def test_autocomplete_offers_only_rows_in_scope(client, two_counties, tree):
    client.force_login(two_counties["admin"])
    url = reverse("admin:autocomplete")

    residents = client.get(
        url, {"app_label": "requests_app", "model_name": "request", "field_name": "resident"}
    ).json()
    units = client.get(
        url, {"app_label": "casework", "model_name": "membership", "field_name": "unit"}
    ).json()

    assert [r["text"] for r in residents["results"]] == ["王伟"]
    unit_ids = {int(r["id"]) for r in units["results"]}
    assert tree.county.pk in unit_ids
    assert two_counties["other_county"].pk not in unit_ids
    assert tree.city.pk not in unit_ids


def test_foreign_key_choices_are_scoped(rf, two_counties, tree):
    from django.contrib import admin

    request = rf.get("/")
    request.user = two_counties["admin"]
    model_admin = admin.site._registry[Membership]
    field = model_admin.formfield_for_foreignkey(Membership._meta.get_field("unit"), request)

    assert set(field.queryset) == set(OrgUnit.objects.filter(path__startswith=tree.county.path))


def test_a_superuser_sees_every_county(client, two_counties, people):
    people.admin.is_superuser = people.admin.is_staff = True
    people.admin.save()
    client.force_login(people.admin)

    cases = client.get(reverse("admin:casework_case_changelist"))

    assert set(cases.context["cl"].result_list) == {
        two_counties["case_here"],
        two_counties["case_there"],
    }


def test_every_admin_of_a_placed_model_is_scoped():
    """A model with a foreign key to an org unit, or reached through one, has a scoped admin."""
    from django.contrib import admin

    unscoped = [
        model.__name__
        for model, model_admin in admin.site._registry.items()
        if any(
            getattr(f, "related_model", None) is OrgUnit
            for f in model._meta.get_fields()
            if f.many_to_one or f.one_to_one
        )
        and not isinstance(model_admin, ScopedAdmin)
    ]
    assert unscoped == []


def test_the_admin_log_is_shown_read_only_and_cannot_be_deleted(client, two_counties, people):
    people.admin.is_superuser = people.admin.is_staff = True
    people.admin.save()
    entry = LogEntry.objects.log_actions(
        user_id=people.admin.pk,
        queryset=OrgUnit.objects.filter(pk=two_counties["other_county"].pk),
        action_flag=ADDITION,
        single_object=True,
    )
    client.force_login(people.admin)

    listing = client.get(reverse("admin:admin_logentry_changelist"))
    page = client.get(reverse("admin:admin_logentry_change", args=[entry.pk]))
    delete = client.post(reverse("admin:admin_logentry_delete", args=[entry.pk]), {"post": "yes"})
    bulk = client.post(
        reverse("admin:admin_logentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    add = client.get(reverse("admin:admin_logentry_add"))

    assert listing.status_code == page.status_code == 200
    assert delete.status_code == add.status_code == 403
    assert bulk.status_code in (200, 302)
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_a_person_with_log_entries_is_refused(client, two_counties, people):
    """Deleting a user would take their log entries with them (a cascade): refused."""
    people.admin.is_superuser = people.admin.is_staff = True
    people.admin.save()
    editor = two_counties["admin"]
    LogEntry.objects.log_actions(
        user_id=editor.pk,
        queryset=OrgUnit.objects.filter(pk=two_counties["other_county"].pk),
        action_flag=ADDITION,
        single_object=True,
    )
    client.force_login(people.admin)

    answer = client.post(reverse("admin:casework_user_delete", args=[editor.pk]), {"post": "yes"})

    assert answer.status_code == 403
    assert LogEntry.objects.filter(user=editor).exists()
    assert ContentType.objects.get_for_model(OrgUnit)


def test_a_county_admin_sees_the_log_of_their_county_only(client, two_counties, people):
    worker_there = Membership.objects.get(user__username="grid-s1").user
    for user in (two_counties["admin"], worker_there):
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=OrgUnit.objects.filter(pk=user.memberships.get().unit_id),
            action_flag=ADDITION,
            single_object=True,
        )
    client.force_login(two_counties["admin"])

    listing = client.get(reverse("admin:admin_logentry_changelist"))

    assert [e.user for e in listing.context["cl"].result_list] == [two_counties["admin"]]


def test_staff_cannot_make_themselves_superuser(client, two_counties):
    editor = two_counties["admin"]
    _allow(editor, "view_user", "change_user")
    client.force_login(editor)

    page = client.get(reverse("admin:casework_user_change", args=[editor.pk]))

    form = page.context["adminform"].form
    assert "is_superuser" not in form.fields and "groups" not in form.fields


def test_every_scoped_list_opens_for_a_county_admin(client, two_counties):
    """Each ``scope_path`` names a real relation: every scoped list answers, in scope."""
    from django.contrib import admin

    editor = two_counties["admin"]
    editor.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    client.force_login(editor)
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ScopedAdmin):
            continue
        opts = model._meta
        page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert page.status_code == 200, opts.label
    units = client.get(reverse("admin:casework_orgunit_changelist")).content.decode()
    assert "博白县" in units and "兴业县" not in units
    assert client.get(reverse("admin:requests_app_retentionrun_changelist")).status_code == 200
