"""The org hierarchy: places from city down to building, and handling units attached to them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from casework.pinyin import pinyin_field, pinyin_key


class UnitKind(models.TextChoices):
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")
    TOWN = "town", _("Town / street")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid")
    COMPOUND = "compound", _("Compound")
    BUILDING = "building", _("Building")
    DEPARTMENT = "department", _("Department")
    COMPANY = "company", _("Property company")
    COMMITTEE = "committee", _("Owners' committee")
    #: A town's or county's own handling desk (网格化服务管理中心 / 综治中心): it backstops (兜底)
    #: the cases no unit below owns.
    DESK = "desk", _("Service desk")


#: The kinds a unit of each kind may hang under. Places nest strictly; handling units (department,
#: company, committee) are attached to the place they serve.
ALLOWED_PARENT_KINDS: dict[str, frozenset[str]] = {
    UnitKind.CITY: frozenset(),
    UnitKind.COUNTY: frozenset({UnitKind.CITY}),
    UnitKind.TOWN: frozenset({UnitKind.COUNTY}),
    UnitKind.COMMUNITY: frozenset({UnitKind.TOWN}),
    UnitKind.GRID: frozenset({UnitKind.COMMUNITY}),
    UnitKind.COMPOUND: frozenset({UnitKind.GRID}),
    UnitKind.BUILDING: frozenset({UnitKind.COMPOUND}),
    UnitKind.DEPARTMENT: frozenset({UnitKind.CITY, UnitKind.COUNTY, UnitKind.TOWN}),
    UnitKind.COMPANY: frozenset(
        {UnitKind.COUNTY, UnitKind.TOWN, UnitKind.COMMUNITY, UnitKind.COMPOUND}
    ),
    UnitKind.COMMITTEE: frozenset({UnitKind.COMMUNITY, UnitKind.COMPOUND}),
    UnitKind.DESK: frozenset({UnitKind.COUNTY, UnitKind.TOWN}),
}

#: Place kinds from the top down; escalation climbs this ladder.
PLACE_KINDS = (
    UnitKind.CITY,
    UnitKind.COUNTY,
    UnitKind.TOWN,
    UnitKind.COMMUNITY,
    UnitKind.GRID,
    UnitKind.COMPOUND,
    UnitKind.BUILDING,
)
HANDLING_KINDS = (UnitKind.DEPARTMENT, UnitKind.COMPANY, UnitKind.COMMITTEE, UnitKind.DESK)


class OrgUnit(MP_Node):
    """A node of the hierarchy (组织单元).

    Stored as a materialised path (django-treebeard ``MP_Node``): a unit's subtree is every row
    whose ``path`` starts with its own, one indexed ``LIKE 'prefix%'`` query at any depth.
    """

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices, db_index=True)
    code = models.CharField(
        _("code"), max_length=32, blank=True, help_text=_("Administrative division code, if any.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    pinyin = pinyin_field()
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    steplen = 4

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]
        indexes = [
            # PostgreSQL uses a pattern-ops index for ``LIKE 'prefix%'`` under any collation.
            models.Index(
                fields=["path"], name="orgunit_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pinyin = pinyin_key(self.name)
        super().save(*args, **kwargs)

    @property
    def is_place(self) -> bool:
        return self.kind in PLACE_KINDS

    def parent_path(self) -> str:
        return self.path[: -self.steplen]


def place_label(unit: OrgUnit, compound: str | None) -> str:
    """ "阳光小区 2栋" for a building whose compound is known; the unit's name otherwise."""
    if compound and unit.kind == UnitKind.BUILDING:
        return f"{compound} {unit.name}"
    return unit.name
