"""Requests (诉求) as collected, their photos and their history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Urgency
from casework.models.org import place_label


class RequestStatus(models.TextChoices):
    COLLECTED = "collected", _("Collected")
    ANSWERED_ON_SPOT = "answered_on_spot", _("Answered on the spot")
    CASE_OPENED = "case_opened", _("Case opened")
    MERGED = "merged", _("Merged into an earlier request")
    REJECTED = "rejected", _("Rejected")


class Channel(models.TextChoices):
    ONSITE = "onsite", _("On-site visit")
    HOTLINE = "hotline", _("Hotline")
    ONLINE = "online", _("Smart-community online form")
    MAILBOX = "mailbox", _("Suggestion mailbox")
    VOLUNTEER = "volunteer", _("Volunteer")
    CONSULTATION = "consultation", _("Four-party consultation")
    OPEN311 = "open311", _("Public API")


class Request(models.Model):
    """What one resident asked for, as collected (诉求).

    ``collected`` → ``answered_on_spot`` (现场解答) | ``case_opened`` (协助办理) | ``merged`` |
    ``rejected``; each move is made by one service in ``requests_app.services`` and recorded as a
    ``RequestEvent``. A request points at its case; casework never points back.
    """

    tracking_code = models.CharField(_("tracking code"), max_length=10, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.COLLECTED
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    category = models.ForeignKey(
        "casework.Category",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category"),
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("place"),
        help_text=_("A grid, compound or building."),
    )
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    description = models.TextField(_("description"), max_length=2000)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    resident = models.ForeignKey(
        "requests_app.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("resident"),
        help_text=_("Empty for an anonymous request (a letter in the mailbox)."),
    )
    # Only for categories that need it; encrypted at rest, the masked form kept for display.
    id_number_encrypted = models.TextField(_("ID number (encrypted)"), blank=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, blank=True)
    visit = models.ForeignKey(
        "requests_app.Visit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("visit"),
    )
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("collected by"),
    )
    collected_at = models.DateTimeField(_("collected at"), default=timezone.now)
    created_at = models.DateTimeField(_("entered at"), default=timezone.now)
    # 受理: a worker has taken up a request that came in by itself (the residents' door, Open311).
    # A request collected by a worker is acknowledged when collected.
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    # The outcome.
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    answer = models.TextField(_("answer given"), max_length=2000, blank=True)
    reject_reason = models.CharField(_("reason for rejecting"), max_length=500, blank=True)
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("case"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-collected_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "collected_at"], name="request_unit_time"),
            models.Index(fields=["collected_by", "collected_at"], name="request_collector_time"),
            models.Index(fields=["status", "collected_at"], name="request_status_time"),
            models.Index(fields=["category", "collected_at"], name="request_category_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.ANSWERED_ON_SPOT) | ~Q(answer=""),
                name="request_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[RequestStatus.CASE_OPENED, RequestStatus.MERGED])
                | Q(case__isnull=False),
                name="request_case_opened_has_case",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.MERGED) | Q(merged_into__isnull=False),
                name="request_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.REJECTED) | ~Q(reject_reason=""),
                name="request_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="request_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="request_longitude_range",
            ),
        ]

    def __str__(self):
        return f"{self.tracking_code} {self.description[:30]}"

    @property
    def place_label(self) -> str:
        """The place as people say it ("阳光小区 2栋"; lists annotate ``compound_name``)."""
        return place_label(self.unit, getattr(self, "compound_name", None))

    @property
    def tracking_code_display(self) -> str:
        """The code in two groups of five, easier to read out on the phone."""
        return f"{self.tracking_code[:5]}-{self.tracking_code[5:]}"

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.COLLECTED


class RequestPhoto(models.Model):
    """A photo of the problem, decoded and re-encoded on upload (no EXIF, no hidden payload)."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="photos", verbose_name=_("request")
    )
    image = models.FileField(_("image"), upload_to="requests/photos/", max_length=200)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self):
        return self.image.name


class RequestEventKind(models.TextChoices):
    COLLECTED = "collected", _("Collected")
    ANSWERED_ON_SPOT = "answered_on_spot", _("Answered on the spot")
    CASE_OPENED = "case_opened", _("Case opened")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Rejected")
    PHOTO_ADDED = "photo_added", _("Photo added")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class RequestEvent(models.Model):
    """One entry of a request's history; append-only, written by ``requests_app.events``."""

    request = models.ForeignKey(
        Request, on_delete=models.PROTECT, related_name="events", verbose_name=_("request")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RequestEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    created_at = models.DateTimeField(_("at"), db_index=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"], name="requestevent_req_time")]

    def __str__(self):
        return f"{self.request_id} {self.kind}"
