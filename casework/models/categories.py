"""The request taxonomy (two levels) with its default deadlines."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.pinyin import pinyin_field, pinyin_key


class DeadlineClass(models.TextChoices):
    """Beijing 12345 norms for how fast a kind of problem must be solved."""

    EMERGENCY = "emergency", _("Emergency, danger to life or property")
    UTILITY = "utility", _("Water, power, gas, heating")
    GENERAL = "general", _("General")
    COMPLEX = "complex", _("Complex")


class DeadlineUnit(models.TextChoices):
    HOURS = "hours", _("clock hours")
    WORKDAYS = "workdays", _("working days")


#: Defaults per deadline class: (sign-for minutes, resolve amount, resolve unit).
DEFAULT_DEADLINES: dict[str, tuple[int, int, str]] = {
    DeadlineClass.EMERGENCY: (30, 2, DeadlineUnit.HOURS),
    DeadlineClass.UTILITY: (120, 24, DeadlineUnit.HOURS),
    DeadlineClass.GENERAL: (120, 7, DeadlineUnit.WORKDAYS),
    DeadlineClass.COMPLEX: (120, 15, DeadlineUnit.WORKDAYS),
}


class Category(models.Model):
    """A kind of request (诉求分类): a top-level group or a leaf under one."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    pinyin = pinyin_field()
    deadline_class = models.CharField(
        _("deadline class"),
        max_length=16,
        choices=DeadlineClass.choices,
        default=DeadlineClass.GENERAL,
    )
    sign_for_minutes = models.PositiveIntegerField(_("sign for within (minutes)"), default=120)
    resolve_amount = models.PositiveIntegerField(_("resolve within"), default=7)
    resolve_unit = models.CharField(
        _("resolve unit"),
        max_length=16,
        choices=DeadlineUnit.choices,
        default=DeadlineUnit.WORKDAYS,
    )
    due_soon_share = models.DecimalField(
        _("due-soon share"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.25"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("0.99"))],
        help_text=_(
            "A case is due soon when this share of its time is left (0.25 = the last quarter)."
        ),
    )
    requires_id_number = models.BooleanField(
        _("requires ID number"),
        default=False,
        help_text=_("Collect the resident's ID number only where this kind of request needs it."),
    )
    requires_verification = models.BooleanField(
        _("supervisor verifies before closing"), default=False
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "code"]

    def __str__(self):
        if self.parent_id:
            return f"{self.parent.name} / {self.name}"
        return self.name

    def save(self, *args, **kwargs):
        # Derived from the name alone, so search can match "wy" to 物业.
        self.pinyin = pinyin_key(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("Categories have two levels only.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A category cannot be its own parent.")})
