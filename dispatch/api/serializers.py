"""Shapes of the dispatch API (component names start with ``Dispatch``)."""

from __future__ import annotations

from rest_framework import serializers

from dispatch.models import DispatchModel
from dispatch.services.serving import DESCRIPTION_MAX

# A plain string in the schema: an enum named "kind" would collide with the other apps' kinds.
KIND_HELP = "learned (from the history) or keywords (of the category names: too little history)"


class DispatchSuggestQuerySerializer(serializers.Serializer):
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX,
        allow_blank=True,
        trim_whitespace=False,
        help_text="What the resident asks for, as typed so far.",
    )
    unit = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The place (grid, compound, building or community) in your scope; without it "
        "no handling unit is suggested.",
    )


class DispatchSuggestedCategorySerializer(serializers.Serializer):
    category = serializers.IntegerField()
    name = serializers.CharField()
    group = serializers.CharField(help_text="The category's group (parent), may be empty.")
    score = serializers.FloatField(min_value=0, max_value=1)


class DispatchSuggestedUnitSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.FloatField(
        min_value=0, max_value=1, help_text="Share of the similar cases this unit led."
    )


class DispatchModelInfoSerializer(serializers.Serializer):
    version = serializers.IntegerField(allow_null=True, help_text="Null before any training.")
    kind = serializers.CharField(help_text=KIND_HELP)
    top1 = serializers.FloatField(allow_null=True)
    top3 = serializers.FloatField(allow_null=True)


class DispatchSuggestionSerializer(serializers.Serializer):
    categories = DispatchSuggestedCategorySerializer(many=True)
    units = DispatchSuggestedUnitSerializer(many=True)
    model = DispatchModelInfoSerializer()


class DispatchModelVersionSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="pk", read_only=True)
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    trained_by = serializers.CharField(
        source="trained_by.name", allow_null=True, default=None, read_only=True
    )
    fallback_reason = serializers.CharField(read_only=True)
    unseen_top1 = serializers.FloatField(allow_null=True, read_only=True)
    unseen_top3 = serializers.FloatField(allow_null=True, read_only=True)

    class Meta:
        model = DispatchModel
        fields = [
            "version",
            "created_at",
            "trained_by",
            "kind",
            "is_active",
            "activated_at",
            "samples",
            "classes",
            "heldout_size",
            "heldout_from",
            "heldout_to",
            "top1",
            "top3",
            "unseen_top1",
            "unseen_top3",
            "fallback_reason",
        ]
        read_only_fields = fields


class DispatchAcceptanceQuerySerializer(serializers.Serializer):
    to = serializers.DateField(required=False, help_text="Last day, YYYY-MM-DD (inclusive).")

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword: declared here, kept as from_ in validated_data.
        fields["from"] = serializers.DateField(
            required=False, source="from_", help_text="First day, YYYY-MM-DD."
        )
        return fields


class _Figures(serializers.Serializer):
    recorded = serializers.IntegerField()
    accepted = serializers.IntegerField(help_text="The first suggestion was filed.")
    in_top3 = serializers.IntegerField(help_text="The category filed was among the three.")
    accepted_rate = serializers.FloatField(allow_null=True)
    top3_rate = serializers.FloatField(allow_null=True)


class DispatchAcceptanceCategorySerializer(_Figures):
    category = serializers.IntegerField()
    name = serializers.CharField()
    group = serializers.CharField()
    suggested_first = serializers.IntegerField(
        help_text="How often this category was the first suggestion, whatever was filed."
    )


class DispatchAcceptanceVersionSerializer(_Figures):
    version = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField(help_text=KIND_HELP)


class DispatchAcceptanceTotalSerializer(_Figures):
    pass


class DispatchAcceptanceSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField(help_text="Exclusive.")
    total = DispatchAcceptanceTotalSerializer()
    categories = DispatchAcceptanceCategorySerializer(many=True)
    versions = DispatchAcceptanceVersionSerializer(many=True)
