"""Meetings of a community: four-party consultations (四方协商), joint meetings (联席会议),
residents' councils (居民议事会) and others; the topics (议题) each raised and settled."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ParticipantRole(models.TextChoices):
    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    PROPERTY_COMPANY = "property_company", _("Property company")
    BUILDING_LEADER = "building_leader", _("Party-member building leader")
    RESIDENT = "resident", _("Resident")
    OTHER = "other", _("Other")


#: The four parties the article names; a meeting is a four-party consultation when all attend.
FOUR_PARTIES = (
    ParticipantRole.RESIDENTS_COMMITTEE,
    ParticipantRole.OWNERS_COMMITTEE,
    ParticipantRole.PROPERTY_COMPANY,
    ParticipantRole.BUILDING_LEADER,
)


#: The type's code a four-party consultation has: the report counts problems solved "through
#: four-party consultation" from meetings of this type.
FOUR_PARTY = "four_party"


class MeetingType(models.Model):
    """A kind of meeting, as data: the four the report names are seeded, more may be added."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("meeting type")
        verbose_name_plural = _("meeting types")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    """One meeting: its type, where, when, who, the topics raised and the minutes."""

    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("community or compound"),
    )
    type = models.ForeignKey(
        MeetingType,
        on_delete=models.PROTECT,
        to_field="code",
        related_name="meetings",
        verbose_name=_("meeting type"),
    )
    held_at = models.DateTimeField(_("held at"), db_index=True)
    place = models.CharField(_("place"), max_length=120)
    topic = models.CharField(_("topic"), max_length=120)
    minutes = models.TextField(_("minutes"), max_length=10000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_at", "-id"]

    def __str__(self):
        return f"{self.held_at:%Y-%m-%d} {self.topic}"


class MeetingParticipant(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("meeting")
    )
    role = models.CharField(_("party"), max_length=24, choices=ParticipantRole.choices)
    name = models.CharField(_("name"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["meeting_id", "role", "id"]

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


class AgendaItem(models.Model):
    """A topic (议题) raised at a meeting, about a case or not, and what the meeting decided.

    ``resolved`` marks it settled, with ``decision`` its resolution: a settled topic is a problem
    solved, counted once (a case settled again at a later meeting is not counted again).
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting")
    )
    title = models.CharField(_("topic"), max_length=120)
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("case"),
    )
    decision = models.TextField(_("decision"), max_length=4000, blank=True)
    resolved = models.BooleanField(_("resolved by this decision"), default=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["meeting_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="agenda_unique_meeting_case")
        ]

    def __str__(self):
        return f"{self.meeting_id}: {self.title}"
