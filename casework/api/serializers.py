from rest_framework import serializers

from casework.models import Category, Membership, OrgUnit, User


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField()

    class Meta:
        model = OrgUnit
        fields = ["id", "name", "kind", "code", "parent", "path", "depth"]

    def get_parent(self, unit) -> int | None:
        # Resolved from a map the view builds in one query, not a query per row.
        return self.context.get("parent_ids", {}).get(unit.parent_path())


class MembershipSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")
    unit_kind = serializers.CharField(source="unit.kind")

    class Meta:
        model = Membership
        fields = ["unit", "unit_name", "unit_kind", "role"]


class MeSerializer(serializers.ModelSerializer):
    memberships = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name", "email", "memberships", "roles"]

    def get_memberships(self, user) -> list[dict]:
        rows = user.memberships.select_related("unit").order_by("unit__path", "role")
        return MembershipSerializer(rows, many=True).data

    def get_roles(self, user) -> list[str]:
        return sorted({m.role for m in user.memberships.all()})


class PersonMembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["unit", "role"]


class PersonSerializer(serializers.ModelSerializer):
    memberships = PersonMembershipSerializer(source="visible_memberships", many=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "memberships"]


class CategorySerializer(serializers.ModelSerializer):
    deadlines = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "parent",
            "deadline_class",
            "deadlines",
            "requires_id_number",
            "requires_verification",
        ]

    def get_deadlines(self, category) -> dict:
        return {
            "sign_for_minutes": category.sign_for_minutes,
            "resolve_amount": category.resolve_amount,
            "resolve_unit": category.resolve_unit,
        }
