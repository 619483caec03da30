"""Django admin for the scoring rules (data admins edit) and a read-only view of the rest.

Rules, categories, star thresholds and the policy are edited here. The ledger, results and
evidence are shown read-only: they change only through the services (the scoring pages and the
API), which check scope and keep published quarters frozen.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from casework.admin_base import ReadOnlyAdmin, ScopedAdmin
from casework.errors import DomainError
from scoring import services
from scoring.models import (
    Award,
    Commitment,
    DualRegistration,
    DualServiceRecord,
    Evidence,
    HonourAction,
    Indicator,
    Interview,
    Nomination,
    NominationRound,
    PointRule,
    Quarter,
    QuarterAction,
    ScoreEntry,
    ScoreResult,
    ScoringPolicy,
    ServiceCardEntry,
    StarThreshold,
    SupervisorEvaluation,
    Verification,
    VerificationDraw,
    VolunteerActivity,
    VolunteerTeam,
)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "name_en",
        "code",
        "weight",
        "cap",
        "floor",
        "is_common",
        "is_active",
        "sort_order",
    ]
    list_editable = ["weight", "cap", "floor", "is_active", "sort_order"]
    search_fields = ["name", "name_en", "code"]


@admin.register(PointRule)
class PointRuleAdmin(admin.ModelAdmin):
    list_display = ["source", "indicator", "points", "is_active", "updated_at"]
    list_editable = ["indicator", "points", "is_active"]
    list_filter = ["indicator", "is_active"]
    list_select_related = ["indicator"]


@admin.register(StarThreshold)
class StarThresholdAdmin(admin.ModelAdmin):
    list_display = ["subject", "stars", "value", "max_count", "max_share"]
    list_editable = ["value", "max_count", "max_share"]
    list_filter = ["subject"]


@admin.register(ScoringPolicy)
class ScoringPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "person_star_basis",
        "community_star_basis",
        "interview_lowest_count",
        "interview_person_below",
        "interview_community_below",
    ]

    def has_add_permission(self, request):
        return not ScoringPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class QuarterActionInline(admin.TabularInline):
    model = QuarterAction
    extra = 0
    can_delete = False
    fields = ["at", "kind", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Quarter)
class QuarterAdmin(ReadOnlyAdmin):
    list_display = ["code", "status", "computed_at", "published_at", "stale", "result_count"]
    list_filter = ["status"]
    inlines = [QuarterActionInline]
    actions = ["compute"]

    @admin.action(description=_("Compute the selected quarters"))
    def compute(self, request, queryset):
        for quarter in queryset:
            try:
                services.quarter_compute(quarter=quarter, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{quarter}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{quarter}: {_('computed')}", messages.SUCCESS)


@admin.register(ScoreEntry)
class ScoreEntryAdmin(ScopedAdmin, ReadOnlyAdmin):
    scope_path = ("unit__path", "person__memberships__unit__path")
    list_display = ["quarter", "person", "unit", "indicator", "source", "quantity", "points"]
    list_filter = ["quarter", "manual", "indicator", "source"]
    search_fields = ["person__name", "person__username", "unit__name"]
    list_select_related = ["quarter", "person", "unit", "indicator"]


@admin.register(ScoreResult)
class ScoreResultAdmin(ScopedAdmin, ReadOnlyAdmin):
    list_display = [
        "quarter",
        "subject",
        "person",
        "unit",
        "total",
        "rank_in_county",
        "rank_in_town",
        "stars",
        "interview_reason",
    ]
    list_filter = ["quarter", "subject", "stars"]
    search_fields = ["person__name", "person__username", "unit__name"]
    list_select_related = ["quarter", "person", "unit"]


@admin.register(Interview)
class InterviewAdmin(ScopedAdmin, ReadOnlyAdmin):
    list_display = ["quarter", "subject", "person", "unit", "reason", "total", "status", "held_on"]
    list_filter = ["quarter", "status", "reason"]
    list_select_related = ["quarter", "person", "unit"]


@admin.register(ServiceCardEntry)
class ServiceCardEntryAdmin(ScopedAdmin, ReadOnlyAdmin):
    list_display = ["occurred_on", "person", "kind", "title", "unit"]
    list_filter = ["kind"]
    search_fields = ["person__name", "title"]
    list_select_related = ["person", "unit"]
    date_hierarchy = "occurred_on"


@admin.register(Commitment)
class CommitmentAdmin(ScopedAdmin, ReadOnlyAdmin):
    list_display = ["year", "person", "indicator", "text", "unit"]
    list_filter = ["year", "indicator"]
    search_fields = ["person__name", "text"]
    list_select_related = ["person", "indicator", "unit"]


class VerificationInline(admin.TabularInline):
    model = Verification
    extra = 0
    can_delete = False
    fields = ["commitment", "inspector", "outcome", "visited_on", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(VerificationDraw)
class VerificationDrawAdmin(ScopedAdmin, ReadOnlyAdmin):
    list_display = ["drawn_at", "unit", "year", "sample_size", "seed", "drawn_by"]
    inlines = [VerificationInline]
    list_select_related = ["unit", "drawn_by"]


@admin.register(DualRegistration)
class DualRegistrationAdmin(ScopedAdmin, ReadOnlyAdmin):
    scope_path = ("community__path", "home_unit__path")
    list_display = ["year", "person", "home_unit", "community", "registered_on"]
    list_filter = ["year"]
    search_fields = ["person__name"]
    list_select_related = ["person", "home_unit", "community"]


@admin.register(DualServiceRecord)
class DualServiceRecordAdmin(ScopedAdmin, ReadOnlyAdmin):
    scope_path = ("registration__community__path", "registration__home_unit__path")
    list_display = ["served_on", "registration", "hours", "description"]
    date_hierarchy = "served_on"
    list_select_related = ["registration__person", "registration__community"]


@admin.register(VolunteerTeam)
class VolunteerTeamAdmin(ScopedAdmin, ReadOnlyAdmin):
    list_display = ["name", "unit", "leader", "is_active"]
    list_select_related = ["unit", "leader"]


@admin.register(VolunteerActivity)
class VolunteerActivityAdmin(ScopedAdmin, ReadOnlyAdmin):
    scope_path = "team__unit__path"
    list_display = ["held_on", "team", "title", "place", "people_served"]
    date_hierarchy = "held_on"
    list_select_related = ["team"]


@admin.register(SupervisorEvaluation)
class SupervisorEvaluationAdmin(ScopedAdmin, ReadOnlyAdmin):
    scope_path = "person__memberships__unit__path"
    list_display = ["quarter", "person", "grade", "evaluator"]
    list_filter = ["quarter", "grade"]
    list_select_related = ["quarter", "person", "evaluator"]


@admin.register(Evidence)
class EvidenceAdmin(ScopedAdmin, ReadOnlyAdmin):
    scope_path = ("unit__path", "person__memberships__unit__path")
    list_display = ["occurred_at", "source", "person", "unit", "quantity", "source_ref"]
    list_filter = ["source"]
    search_fields = ["source_ref", "person__name"]
    list_select_related = ["person", "unit"]


class HonourAdmin(ScopedAdmin, ReadOnlyAdmin):
    """星级社区工作者 rounds, candidates, awards and their history: changed through the pages
    and the API only (``scoring.services.honours``); each shown to the staff of its county."""


@admin.register(NominationRound)
class NominationRoundAdmin(HonourAdmin):
    scope_path = "county__path"
    list_display = ["county", "year", "title", "status"]


@admin.register(Nomination)
class NominationAdmin(HonourAdmin):
    scope_path = ("unit__path", "round__county__path")
    list_display = ["round", "person", "status"]


@admin.register(Award)
class AwardAdmin(HonourAdmin):
    scope_path = ("unit__path", "county__path")
    list_display = ["certificate_number", "person", "county", "year", "title"]


@admin.register(HonourAction)
class HonourActionAdmin(HonourAdmin):
    scope_path = "round__county__path"
