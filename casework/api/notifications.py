"""The inbox over the API: the user's notifications, marking them read, channel preferences."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.filters import IdFilter
from casework.models import Notification, NotificationPreference
from casework.selectors.notifications import notification_list
from casework.services.notifications import (
    notification_mark_read,
    notification_text,
    notifications_mark_all_read,
    preference_set,
)


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.BooleanField(read_only=True)
    message = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "case", "created_at", "read", "read_at", "message"]

    def get_message(self, notification) -> str:
        return notification_text(notification)


class PreferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = NotificationPreference
        fields = ["email", "sms", "digest"]


class NotificationFilter(django_filters.FilterSet):
    read = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", exclude=True)
    case = IdFilter(field_name="case_id")

    class Meta:
        model = Notification
        fields = ["kind"]


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your own inbox; nobody sees another person's notifications."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    def get_queryset(self):
        return notification_list(viewer=self.request.user)

    @extend_schema(
        request=None, responses={204: None, 404: OpenApiResponse(description="Not yours")}
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        try:
            notification_id = int(pk)
        except ValueError:
            notification_id = 0
        notification_mark_read(user=request.user, notification_id=notification_id)
        return Response(status=204)

    @extend_schema(request=None, responses={200: {"type": "object"}})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": notifications_mark_all_read(user=request.user)})


class NotificationPreferenceView(APIView):
    """Which channels besides the inbox you want (email, SMS) and the daily digest."""

    @extend_schema(responses=PreferenceSerializer)
    def get(self, request):
        pref = NotificationPreference.objects.filter(user=request.user).first()
        return Response(PreferenceSerializer(pref or NotificationPreference()).data)

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    def put(self, request):
        """Set any of ``email``, ``sms``, ``digest``; those left out keep their value."""
        current = NotificationPreference.objects.filter(user=request.user).first()
        current = current or NotificationPreference()
        data = PreferenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {name: getattr(current, name) for name in ("email", "sms", "digest")}
        values.update(data.validated_data)
        pref = preference_set(user=request.user, **values)
        return Response(PreferenceSerializer(pref).data)
