"""People: users and their memberships ``(user, unit, role)``."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.pinyin import pinyin_field, pinyin_key


class Role(models.TextChoices):
    GRID_WORKER = "grid_worker", _("Grid worker")
    MINQING_SECRETARY = "minqing_secretary", _("Minqing secretary")
    VOLUNTEER = "volunteer", _("Volunteer")
    HANDLER = "handler", _("Handler")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Administrator")
    #: 热线回访员: calls residents back to check self-reported work (抽查回访); sees nothing else.
    HOTLINE_OPERATOR = "hotline_operator", _("Hotline call-back operator")


#: Roles that collect residents' requests in the field.
COLLECTOR_ROLES = frozenset({Role.GRID_WORKER, Role.MINQING_SECRETARY, Role.VOLUNTEER})


class User(AbstractUser):
    """A person who signs in. Chinese names are one field (``name``), not first and last."""

    name = models.CharField(_("name"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    pinyin = pinyin_field()
    is_demo = models.BooleanField(
        _("demo login"),
        default=False,
        help_text=_("Demo logins are refused when DEBUG is off."),
    )
    is_service_account = models.BooleanField(
        _("service account"),
        default=False,
        help_text=_(
            "An integration acting through the system (an Open311 key), not a person: never "
            "rated, ranked or asked to act."
        ),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name or self.username

    def save(self, *args, **kwargs):
        self.pinyin = pinyin_key(self.name or self.username)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.name or self.username

    def get_short_name(self):
        return self.name or self.username


class Membership(models.Model):
    """A person's role in a unit (任职). It covers the unit's whole subtree."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("unit"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user_id", "unit__path", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"], name="membership_unique_user_unit_role"
            ),
        ]
        indexes = [models.Index(fields=["unit", "role"], name="membership_unit_role")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
