"""Cases and their append-only history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.models.org import place_label


class CaseState(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved, awaiting feedback")
    REOPENED = "reopened", _("Reopened for redo")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    PARKED = "parked", _("Parked (挂账)")


#: States in which a case is still being worked, for queues, deadlines and partial indexes.
OPEN_STATES = (
    CaseState.NEW,
    CaseState.ASSIGNED,
    CaseState.IN_PROGRESS,
    CaseState.REOPENED,
)
TERMINAL_STATES = (CaseState.CLOSED, CaseState.CANCELLED)


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class CloseReason(models.TextChoices):
    FEEDBACK = "feedback", _("Resident satisfied")
    NO_FEEDBACK = "no_feedback", _("Resident unreachable")
    VERIFIED = "verified", _("Verified by supervisor")


class Case(models.Model):
    """A request that needs work (案件): it moves through the workflow of ``casework.workflow``.

    ``version`` grows by one with every transition, so a client that acts on a stale copy is
    refused. Mutable fields here are the current picture for queues; history and every rate are
    read from ``CaseEvent``.
    """

    state = models.CharField(
        _("state"), max_length=16, choices=CaseState.choices, default=CaseState.NEW
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    category = models.ForeignKey(
        "casework.Category",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("category"),
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("place"),
        help_text=_("Where the problem is: a grid, compound or building."),
    )
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    # Dispatch: the leading handling unit (首接负责) and/or a named handler.
    owner_unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_cases",
        verbose_name=_("handling unit"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_cases",
        verbose_name=_("handler"),
    )
    co_handlers = models.ManyToManyField(
        "casework.OrgUnit",
        blank=True,
        through="casework.CoHandling",
        related_name="co_handled_cases",
        verbose_name=_("co-handling units"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="opened_cases",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True, db_index=True)
    # Deadlines, set when assigned.
    sign_due_at = models.DateTimeField(_("sign for by"), null=True, blank=True)
    due_at = models.DateTimeField(_("resolve by"), null=True, blank=True)
    due_soon_at = models.DateTimeField(
        _("due soon from"),
        null=True,
        blank=True,
        help_text=_(
            "When the case enters the due-soon queue: the category's share of its time left."
        ),
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    result = models.TextField(_("result"), max_length=4000, blank=True)
    close_reason = models.CharField(
        _("close reason"), max_length=16, choices=CloseReason.choices, blank=True
    )
    satisfaction = models.CharField(
        _("satisfaction"), max_length=24, choices=Satisfaction.choices, blank=True
    )
    next_alert_at = models.DateTimeField(
        _("next alert at"),
        null=True,
        blank=True,
        help_text=_("The next moment the deadline sweep owes this case a look."),
    )
    # Escalation (督办) is not a state: how far up the hierarchy an overdue case has climbed.
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    return_count = models.PositiveSmallIntegerField(_("times returned"), default=0)
    # Parking (挂账): the state to go back to, the plan, and when to look at the case again.
    parked_from = models.CharField(
        _("parked from"), max_length=16, choices=CaseState.choices, blank=True
    )
    park_plan = models.TextField(_("plan"), max_length=4000, blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="case_state_created"),
            models.Index(fields=["unit", "state"], name="case_unit_state"),
            models.Index(fields=["owner_unit", "state"], name="case_owner_state"),
            models.Index(fields=["handler", "state"], name="case_handler_state"),
            # The deadline sweep reads only open cases: keep its index small.
            models.Index(
                fields=["due_at"],
                name="case_open_due",
                condition=Q(state__in=["new", "assigned", "in_progress", "reopened"]),
            ),
            # The sweep reads only the cases whose next alert has come: a tiny range scan.
            models.Index(
                fields=["next_alert_at"],
                name="case_next_alert",
                condition=Q(next_alert_at__isnull=False),
            ),
            models.Index(
                fields=["due_soon_at"],
                name="case_open_due_soon",
                condition=Q(state__in=["assigned", "in_progress", "reopened"]),
            ),
            models.Index(
                fields=["sign_due_at"],
                name="case_assigned_sign_due",
                condition=Q(state="assigned"),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """The number staff read out on the phone: year opened and id."""
        year = self.created_at.year if self.created_at else ""
        return f"{year}-{self.pk:06d}" if self.pk else ""

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def place_label(self) -> str:
        """The place as people say it: "阳光小区 2栋" for a building (lists annotate
        ``compound_name``), the unit's own name otherwise."""
        return place_label(self.unit, getattr(self, "compound_name", None))


class EventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    ASSIGNED = "assigned", _("Assigned")
    ACCEPTED = "accepted", _("Signed for")
    RETURNED = "returned", _("Returned")
    RESOLVED = "resolved", _("Resolved")
    FEEDBACK = "feedback", _("Feedback recorded")
    #: The resident's own rating of a result (tracking page or SMS link), beside the 回访.
    RESIDENT_FEEDBACK = "resident_feedback", _("Resident's own rating")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    ESCALATED = "escalated", _("Escalated")
    CHASED = "chased", _("Chased")
    REMINDED = "reminded", _("Reminder sent")
    CONSULTED = "consulted", _("Consultation decision")
    REQUEST_MERGED = "request_merged", _("Request merged")
    NOTE = "note", _("Note")
    PHOTO = "photo", _("Photo added")
    TRANSFERRED = "transferred", _("Transferred (转办)")
    SENT_UP = "sent_up", _("Sent up a level (兜底)")
    CO_REPORTED = "co_reported", _("Co-handler reported its part")
    EXTENSION_REQUESTED = "extension_requested", _("Extension applied for")
    EXTENSION_DECIDED = "extension_decided", _("Extension decided")
    PARKED = "parked", _("Parked (挂账)")
    UNPARKED = "unparked", _("Taken off the parked list")


class CaseEvent(models.Model):
    """One entry of a case's history (案件日志); append-only, written by ``casework.events``."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        help_text=_("Empty when the system acted (the deadline sweep)."),
    )
    created_at = models.DateTimeField(_("at"), db_index=True)
    from_state = models.CharField(_("from"), max_length=16, choices=CaseState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=16, choices=CaseState.choices, blank=True)
    note = models.TextField(_("note"), max_length=4000, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case", "created_at"], name="caseevent_case_time"),
            models.Index(fields=["kind", "created_at"], name="caseevent_kind_time"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class CoHandling(models.Model):
    """One co-handling unit's part of a case (协办): its deadline and what it reported.

    The lead unit (首接负责) resolves the case; each co-handler records its opinion and that its
    part is done, and the lead sees which parts are still open.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="co_handling", verbose_name=_("case")
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="co_handling",
        verbose_name=_("co-handling unit"),
    )
    due_at = models.DateTimeField(_("part due by"), null=True, blank=True)
    done_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    opinion = models.TextField(_("opinion (协办意见)"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("co-handling part")
        verbose_name_plural = _("co-handling parts")
        constraints = [
            models.UniqueConstraint(fields=["case", "unit"], name="cohandling_once_per_unit")
        ]

    def __str__(self):
        return f"{self.case_id} {self.unit_id}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class ExtensionState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("extension", "Pending")
    APPROVED = "approved", pgettext_lazy("extension", "Approved")
    REJECTED = "rejected", pgettext_lazy("extension", "Rejected")
    #: Ended undecided: the case changed hands, was resolved, parked or cancelled first.
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Extension(models.Model):
    """A handler's application to move a case's resolve deadline (延期), and its decision."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("case")
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handling unit"),
        help_text=_("The unit that asked; the limit of extensions counts per unit and case."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    old_due_at = models.DateTimeField(_("deadline before"))
    due_at = models.DateTimeField(_("deadline asked for"))
    reason = models.TextField(_("reason"), max_length=4000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(state="pending"), name="extension_one_pending"
            )
        ]

    def __str__(self):
        return f"{self.case_id} {self.state} {self.due_at:%Y-%m-%d}"


class PhotoStage(models.TextChoices):
    """When a case photo was taken, as 12345 practice asks: the site before and the work after."""

    BEFORE = "before", _("Before (处置前)")
    AFTER = "after", _("After (处置后)")
    OTHER = "other", _("Other")


class CasePhoto(models.Model):
    """A photo a party to the case added (the site before, the work after), re-encoded."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="photos", verbose_name=_("case")
    )
    image = models.FileField(_("image"), upload_to="cases/photos/", max_length=200)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("bytes"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    stage = models.CharField(
        _("stage"), max_length=8, choices=PhotoStage.choices, default=PhotoStage.OTHER
    )

    class Meta:
        verbose_name = _("case photo")
        verbose_name_plural = _("case photos")
        ordering = ["added_at", "id"]

    def __str__(self):
        return f"{self.case_id} {self.image.name}"
