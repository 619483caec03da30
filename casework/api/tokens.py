"""Your own API tokens over the API: list, make (the key shown once), rename, revoke."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from casework.errors import NotPermitted
from casework.models import ApiToken
from casework.selectors.tokens import token_list
from casework.services.tokens import NAME_LIMIT, token_create, token_rename, token_revoke


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
        read_only_fields = fields


class NewTokenSerializer(TokenSerializer):
    key = serializers.CharField(
        read_only=True, help_text="The whole key. Shown this once: it is not stored."
    )

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "key"]
        read_only_fields = fields


class TokenNameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_LIMIT, help_text="e.g. 平板-张三")


@extend_schema_view(
    list=extend_schema(summary="Your API tokens (not revoked), newest first"),
    retrieve=extend_schema(summary="One of your API tokens"),
)
class TokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your own API tokens; nobody sees another person's. The key itself is never shown again
    after it is made: only its first characters (``prefix``), to tell tokens apart."""

    serializer_class = TokenSerializer

    def get_queryset(self):
        return token_list(viewer=self.request.user)

    @extend_schema(
        summary="Make a token",
        request=TokenNameSerializer,
        responses={201: NewTokenSerializer},
    )
    def create(self, request):
        """Make a token named ``name``; the answer holds its ``key``, shown this once. Only from
        a signed-in session: a token cannot make more tokens (a stolen one would outlive its
        revocation)."""
        if isinstance(request.auth, ApiToken):
            raise NotPermitted(
                _("Tokens are made from a signed-in session on the website, not with a token."),
                code="session_required",
            )
        body = TokenNameSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        token, key = token_create(user=request.user, name=body.validated_data["name"])
        data = NewTokenSerializer(token).data
        data["key"] = key
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Rename a token", request=TokenNameSerializer, responses={200: TokenSerializer}
    )
    def partial_update(self, request, pk=None):
        body = TokenNameSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        token = token_rename(
            actor=request.user, token_id=int(pk), name=body.validated_data["name"]
        )
        return Response(TokenSerializer(token).data)

    @extend_schema(summary="Revoke a token", responses={204: None})
    def destroy(self, request, pk=None):
        token_revoke(actor=request.user, token_id=int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Revoke a token", request=None, responses={200: TokenSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = token_revoke(actor=request.user, token_id=int(pk))
        return Response(TokenSerializer(token).data)
