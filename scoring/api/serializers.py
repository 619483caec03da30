"""Scoring over the API: quarters, rankings, the 约谈 list and the explanation of a total."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scoring.models import Interview, Quarter, ScoreResult, VerificationDraw
from scoring.selectors.explain import Explanation
from scoring.sources import source_label


class QuarterSerializer(serializers.ModelSerializer):
    provisional = serializers.BooleanField(source="is_provisional", read_only=True)

    class Meta:
        model = Quarter
        fields = [
            "code",
            "year",
            "number",
            "status",
            "starts_at",
            "ends_at",
            "computed_at",
            "published_at",
            "provisional",
            "stale",
            "entry_count",
            "result_count",
        ]


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class RankingRowSerializer(serializers.ModelSerializer):
    """A ranked worker: ``rank`` is within the county, ``rank_in_town`` within the town."""

    name = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    rank = serializers.IntegerField(source="rank_in_county", read_only=True, allow_null=True)
    interview = serializers.CharField(source="interview_reason", read_only=True)

    class Meta:
        model = ScoreResult
        fields = [
            "person",
            "name",
            "unit",
            "unit_name",
            "community",
            "town",
            "county",
            "total",
            "rank",
            "county_size",
            "rank_in_town",
            "town_size",
            "stars",
            "interview",
            "last_in_town",
            "last_in_county",
        ]

    def get_name(self, row) -> str:
        return row.person.get_full_name()


class CommunityRowSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="unit.name", read_only=True)
    rank = serializers.IntegerField(source="rank_in_county", read_only=True, allow_null=True)
    interview = serializers.CharField(source="interview_reason", read_only=True)

    class Meta:
        model = ScoreResult
        fields = [
            "unit",
            "name",
            "town",
            "county",
            "total",
            "own_total",
            "workers_mean",
            "workers_count",
            "rank",
            "county_size",
            "rank_in_town",
            "town_size",
            "stars",
            "interview",
            "last_in_town",
            "last_in_county",
        ]


class InterviewSerializer(serializers.ModelSerializer):
    quarter = serializers.CharField(source="quarter.code", read_only=True)
    name = serializers.CharField(source="subject_name", read_only=True)
    held_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Interview
        fields = [
            "id",
            "quarter",
            "subject",
            "person",
            "unit",
            "name",
            "reason",
            "total",
            "rank_in_town",
            "town_size",
            "status",
            "held_on",
            "held_by",
            "held_by_name",
            "interviewee",
            "notes",
            "follow_up",
            "follow_up_due",
            "annual_grade_lowered",
            "bonus_withheld",
        ]

    def get_held_by_name(self, interview) -> str | None:
        return interview.held_by.get_full_name() if interview.held_by_id else None


class ScoreItemSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    label = serializers.CharField()
    url = serializers.CharField(allow_null=True)


class LineAppealSerializer(serializers.Serializer):
    """An appeal (申诉) of an entry, as "why these points" shows it."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    reason = serializers.CharField()
    filed_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField()
    points = serializers.DecimalField(max_digits=10, decimal_places=2)
    corrected_points = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    adjustment = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)


class ScoreEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="entry.pk")
    category = serializers.CharField(source="entry.indicator.code")
    source = serializers.CharField(source="entry.source")
    source_label = serializers.SerializerMethodField()
    quantity = serializers.DecimalField(source="entry.quantity", max_digits=12, decimal_places=2)
    per = serializers.DecimalField(
        source="entry.per", max_digits=8, decimal_places=2, allow_null=True
    )
    points = serializers.DecimalField(source="entry.points", max_digits=10, decimal_places=2)
    manual = serializers.BooleanField(source="entry.manual")
    reason = serializers.CharField()
    items = ScoreItemSerializer(many=True)
    appeals = LineAppealSerializer(many=True)
    appealable = serializers.BooleanField()

    def get_source_label(self, line) -> str:
        return source_label(line.entry.source)


class ScoreCategorySerializer(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.label")
    raw = serializers.DecimalField(max_digits=10, decimal_places=2)
    weight = serializers.DecimalField(source="terms.weight", max_digits=6, decimal_places=2)
    cap = serializers.DecimalField(
        source="terms.cap", max_digits=8, decimal_places=2, allow_null=True
    )
    floor = serializers.DecimalField(
        source="terms.floor", max_digits=8, decimal_places=2, allow_null=True
    )
    subtotal = serializers.DecimalField(max_digits=10, decimal_places=2)


class ExplanationSerializer(serializers.Serializer):
    """``total`` is what the ledger adds up to; ``ranked_total`` what the ranking shows (equal
    unless the ledger changed since the quarter was computed)."""

    quarter = serializers.CharField(source="quarter.code")
    status = serializers.CharField(source="quarter.status")
    provisional = serializers.BooleanField(source="quarter.is_provisional")
    total = serializers.DecimalField(max_digits=10, decimal_places=2)
    own_total = serializers.DecimalField(max_digits=10, decimal_places=2)
    ranked_total = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    rank = serializers.SerializerMethodField()
    rank_in_town = serializers.SerializerMethodField()
    stars = serializers.SerializerMethodField()
    categories = ScoreCategorySerializer(source="blocks", many=True)
    entries = serializers.SerializerMethodField()
    appeals_elsewhere = LineAppealSerializer(many=True)

    def get_rank(self, explanation: Explanation) -> int | None:
        return explanation.result.rank_in_county if explanation.result else None

    def get_rank_in_town(self, explanation: Explanation) -> int | None:
        return explanation.result.rank_in_town if explanation.result else None

    def get_stars(self, explanation: Explanation) -> int | None:
        return explanation.result.stars if explanation.result else None

    @extend_schema_field(ScoreEntrySerializer(many=True))
    def get_entries(self, explanation: Explanation) -> list[dict]:
        lines = [line for block in explanation.blocks for line in block.lines]
        return ScoreEntrySerializer(lines, many=True).data


class WithheldSerializer(serializers.Serializer):
    """Work of the quarter that does not score (yet): ``pending`` a call-back sample, or
    ``voided`` by a failed call-back (``scoring.withheld``)."""

    source = serializers.CharField()
    state = serializers.ChoiceField(choices=["pending", "voided"])
    label = serializers.CharField()
    count = serializers.IntegerField()
    months = serializers.ListField(child=serializers.CharField())


class PersonScoreSerializer(ExplanationSerializer):
    person = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.get_full_name")
    withheld = WithheldSerializer(many=True, read_only=True)


class CommunityScoreSerializer(ExplanationSerializer):
    unit = serializers.IntegerField(source="unit.pk")
    name = serializers.CharField(source="unit.name")
    workers_mean = serializers.SerializerMethodField()

    def get_workers_mean(self, explanation: Explanation) -> str | None:
        result = explanation.result
        return str(result.workers_mean) if result and result.workers_mean is not None else None


class DrawRequestSerializer(serializers.Serializer):
    """A 双随机 draw: without ``inspectors``, each pledge's inspector is drawn from the
    supervisors of the other communities of its town."""

    unit = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    year = serializers.IntegerField(min_value=2000, max_value=2999)
    sample_size = serializers.IntegerField(min_value=1, max_value=500)
    inspectors = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        default=list,
        max_length=500,
    )
    seed = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2**62)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class DrawCheckSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    commitment = serializers.IntegerField(source="commitment_id")
    inspector = serializers.IntegerField(source="inspector_id", allow_null=True)
    outcome = serializers.CharField()


class DrawSerializer(serializers.ModelSerializer):
    checks = serializers.SerializerMethodField()

    class Meta:
        model = VerificationDraw
        fields = [
            "id",
            "unit",
            "year",
            "sample_size",
            "seed",
            "population",
            "inspectors",
            "drawn_by",
            "drawn_at",
            "note",
            "checks",
        ]

    @extend_schema_field(DrawCheckSerializer(many=True))
    def get_checks(self, draw):
        return DrawCheckSerializer(draw.verifications.order_by("commitment_id"), many=True).data
