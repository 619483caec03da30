"""Setting up the hierarchy, the people and the taxonomy."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casework.errors import ValidationFailed
from casework.models import Category, Membership, OrgUnit, Role, User
from casework.models.categories import DEFAULT_DEADLINES, DeadlineClass
from casework.models.org import ALLOWED_PARENT_KINDS, UnitKind
from casework.selectors.scope import scope_forget


@transaction.atomic
def unit_create(*, name: str, kind: str, parent: OrgUnit | None = None, code: str = "") -> OrgUnit:
    """Create a unit under ``parent`` (a root when ``None``), if that kind may hang there."""
    if kind not in UnitKind.values:
        raise ValidationFailed(_("Unknown unit kind."), field="kind")
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("A unit needs a name."), field="name")
    allowed = ALLOWED_PARENT_KINDS[kind]
    if parent is None:
        if allowed:
            raise ValidationFailed(_("This kind of unit needs a parent."), field="parent")
        return OrgUnit.objects.add_root({"name": name, "kind": kind, "code": code})
    if parent.kind not in allowed:
        raise ValidationFailed(
            _("A unit of this kind cannot be placed under that unit."), field="parent"
        )
    # Re-read the parent: treebeard's add_child relies on an up-to-date numchild.
    parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)
    return OrgUnit.objects.add_child(parent, {"name": name, "kind": kind, "code": code})


@transaction.atomic
def person_create(
    *,
    username: str,
    name: str,
    password: str | None = None,
    phone: str = "",
    email: str = "",
    is_demo: bool = False,
    is_staff: bool = False,
    check_password: bool = True,
) -> User:
    """Create a person who can sign in (or not, without a password)."""
    username = (username or "").strip()
    if not username:
        raise ValidationFailed(_("A username is required."), field="username")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(_("That username is taken."), field="username")
    user = User(
        username=username, name=name, phone=phone, email=email, is_demo=is_demo, is_staff=is_staff
    )
    if password:
        if check_password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise ValidationFailed(" ".join(exc.messages), field="password") from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def membership_grant(*, user: User, unit: OrgUnit, role: str) -> Membership:
    """Give ``user`` the ``role`` over ``unit`` and its subtree (idempotent)."""
    if role not in Role.values:
        raise ValidationFailed(_("Unknown role."), field="role")
    membership, _created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if role == Role.ADMIN and not user.is_staff:
        # Admins set up the hierarchy in Django's admin site.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    scope_forget(user)
    return membership


@transaction.atomic
def membership_revoke(*, user: User, unit: OrgUnit, role: str) -> None:
    Membership.objects.filter(user=user, unit=unit, role=role).delete()
    scope_forget(user)


@transaction.atomic
def category_create(
    *,
    code: str,
    name: str,
    name_en: str = "",
    parent: Category | None = None,
    deadline_class: str = DeadlineClass.GENERAL,
    requires_id_number: bool = False,
    requires_verification: bool = False,
    sort_order: int = 0,
) -> Category:
    """Create a category with the default deadlines of its class."""
    if deadline_class not in DeadlineClass.values:
        raise ValidationFailed(_("Unknown deadline class."), field="deadline_class")
    sign_for, amount, unit = DEFAULT_DEADLINES[deadline_class]
    category = Category(
        code=code,
        name=name,
        name_en=name_en,
        parent=parent,
        deadline_class=deadline_class,
        sign_for_minutes=sign_for,
        resolve_amount=amount,
        resolve_unit=unit,
        requires_id_number=requires_id_number,
        requires_verification=requires_verification,
        sort_order=sort_order,
    )
    try:
        category.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ValidationFailed(" ".join(messages), field=field) from None
    category.save()
    return category
