"""The public door's API twin, under ``/api/v1/public/``: no login, throttled per address.

Every step of the page is here: find a place, category suggestions, open requests like this one,
the proof-of-work challenge, filing a request and adding one's voice. The same services as the
page (``selfservice.door``), so the same validation, budgets (429 with ``Retry-After``) and
challenge requirement (400 naming ``altcha``). Answers carry no personal data: places by name,
categories, and for duplicates only a masked excerpt and a signed reference.

Sessions and tokens are not read here (``authentication_classes = []``): the door is the same
for everyone, and without a session there is no CSRF to check. The throttles apply per address:
``anon`` and the ``door`` scope (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["door"]``).
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.text import query_text
from requests_app.services.requests import DESCRIPTION_MAX
from requests_app.views.track import tracking_url
from selfservice import door, door_budget, door_challenge
from selfservice.door_places import door_duplicates, place_land, place_search
from selfservice.door_suggest import suggest_categories

ERRORS = {400: OpenApiTypes.OBJECT, 429: OpenApiTypes.OBJECT}


class _Public(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "door"


# --- Places -------------------------------------------------------------------------------------


class PublicPlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="compound or community")
    name = serializers.CharField()
    community = serializers.CharField(help_text="The compound's community; empty for one.")
    town = serializers.CharField()
    county = serializers.CharField()


class PlaceSearchView(_Public):
    @extend_schema(
        operation_id="public_places",
        parameters=[
            OpenApiParameter(
                "q", str, description="Part of the name, or its pinyin initials (e.g. ygxq)."
            )
        ],
        responses={200: PublicPlaceSerializer(many=True), **ERRORS},
        tags=["public"],
    )
    def get(self, request):
        """Communities and compounds whose name holds ``q`` (at most 20): pick your compound,
        or your community when you do not know the compound."""
        q = query_text(request.query_params.get("q"), field="q")
        return Response(PublicPlaceSerializer(place_search(q), many=True).data)


# --- Category suggestions -----------------------------------------------------------------------


class PublicSuggestQuerySerializer(serializers.Serializer):
    description = serializers.CharField(max_length=DESCRIPTION_MAX, allow_blank=True)
    place = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class PublicSuggestedCategorySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="category.pk")
    name = serializers.CharField(source="category.name")
    score = serializers.FloatField()


class SuggestView(_Public):
    @extend_schema(
        operation_id="public_suggest",
        request=PublicSuggestQuerySerializer,
        responses={
            200: inline_serializer(
                "PublicSuggestions", {"categories": PublicSuggestedCategorySerializer(many=True)}
            ),
            **ERRORS,
        },
        tags=["public"],
    )
    def post(self, request):
        """Categories the text is likely about, best first (at most three; none without a
        trained model). Nothing is written; the text travels in the body, never in a URL."""
        body = PublicSuggestQuerySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        place = place_land(data["place"]).unit if data.get("place") else None
        found = suggest_categories(data["description"], place)
        rows = [{"category": c, "score": round(s, 3)} for c, s in found]
        return Response({"categories": PublicSuggestedCategorySerializer(rows, many=True).data})


# --- Duplicates ---------------------------------------------------------------------------------


class PublicDuplicateQuerySerializer(serializers.Serializer):
    place = serializers.IntegerField(min_value=1)
    description = serializers.CharField(max_length=DESCRIPTION_MAX)


class PublicCandidateSerializer(serializers.Serializer):
    candidate = serializers.CharField(
        source="ref", help_text="Send it back to add your voice (good for two hours)."
    )
    category = serializers.CharField()
    place = serializers.CharField()
    reported_on = serializers.DateField()
    stage = serializers.CharField()
    excerpt = serializers.CharField(help_text="The first words, digits masked.")
    residents = serializers.IntegerField(help_text="Residents who raised it so far.")


class DuplicatesView(_Public):
    @extend_schema(
        operation_id="public_duplicates",
        request=PublicDuplicateQuerySerializer,
        responses={200: PublicCandidateSerializer(many=True), **ERRORS},
        tags=["public"],
    )
    def post(self, request):
        """Open requests about the same compound (or community) from the last 30 days that
        read alike (at most three). Offer "this is my problem too" (``voices/``) before filing
        a new one. Nothing is written."""
        body = PublicDuplicateQuerySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        landing = place_land(body.validated_data["place"])
        found = door_duplicates(
            chosen=landing.chosen, description=body.validated_data["description"]
        )
        return Response(PublicCandidateSerializer(found, many=True).data)


# --- The challenge ------------------------------------------------------------------------------


class ChallengeView(_Public):
    @extend_schema(
        operation_id="public_challenge",
        responses={
            200: inline_serializer(
                "PublicChallenge",
                {
                    "parameters": serializers.DictField(
                        help_text="algorithm, nonce, salt, cost, keyLength, keyPrefix, expiresAt"
                    ),
                    "signature": serializers.CharField(),
                },
            ),
            429: OpenApiTypes.OBJECT,
        },
        tags=["public"],
    )
    def get(self, request):
        """A proof-of-work challenge (ALTCHA, PoW v2: find the counter whose PBKDF2-SHA-256 key
        starts with ``keyPrefix``). Send the solved payload, base64 JSON
        ``{challenge, solution}``, as ``altcha`` when an answer asked for it
        (``challenge_required``); each is good once, until ``expiresAt``."""
        response = Response(door_challenge.challenge_new())
        response["Cache-Control"] = "no-store"
        return response


# --- Filing and voices --------------------------------------------------------------------------


class PublicFileSerializer(serializers.Serializer):
    place = serializers.IntegerField(
        min_value=1, help_text="A compound, or a community when the compound is not known."
    )
    description = serializers.CharField(max_length=DESCRIPTION_MAX)
    category = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="Optional: without it the suggested (or the default) category is taken.",
    )
    phone = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=door.NAME_MAX, required=False, allow_blank=True)
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=door.DOOR_MAX_PHOTOS,
        write_only=True,
    )
    altcha = serializers.CharField(
        max_length=door_challenge.MAX_PAYLOAD,
        required=False,
        allow_blank=True,
        help_text="A solved challenge, when an answer asked for one (challenge_required).",
    )


class PublicFiledSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    tracking_code_display = serializers.CharField()
    track_url = serializers.CharField()
    category = serializers.CharField()
    category_source = serializers.ChoiceField(choices=["chosen", "suggested", "fallback"])
    place = serializers.CharField()


class PublicVoiceSerializer(serializers.Serializer):
    candidate = serializers.CharField(max_length=500, help_text="From duplicates/.")
    phone = serializers.CharField(max_length=32)
    altcha = serializers.CharField(
        max_length=door_challenge.MAX_PAYLOAD, required=False, allow_blank=True
    )


class PublicVoicedSerializer(serializers.Serializer):
    added = serializers.BooleanField(
        help_text="False when this phone had already raised it (nothing was written)."
    )
    tracking_code = serializers.CharField()
    tracking_code_display = serializers.CharField()
    track_url = serializers.CharField()
    category = serializers.CharField()


def _filed_answer(request, obj, *, category_source=None, added=None) -> dict:
    answer = {
        "tracking_code": obj.tracking_code,
        "tracking_code_display": obj.tracking_code_display,
        "track_url": tracking_url(request, obj.tracking_code),
        "category": obj.category.name,
    }
    if category_source is not None:
        answer["category_source"] = category_source
        answer["place"] = obj.place_label
    if added is not None:
        answer["added"] = added
    return answer


def track_base(request) -> str:
    return request.build_absolute_uri(reverse("requests_app:track"))


class FileView(_Public):
    @extend_schema(
        operation_id="public_file",
        request=PublicFileSerializer,
        responses={
            201: PublicFiledSerializer,
            403: OpenApiTypes.OBJECT,
            413: OpenApiTypes.OBJECT,
            **ERRORS,
        },
        tags=["public"],
    )
    def post(self, request):
        """Report a problem (报事): it lands in the grid's queue as channel ``online`` and the
        answer carries its tracking code (also sent by SMS to a mobile). At most 3 photos. At
        most 3 per phone and 10 per address a day (429 with ``Retry-After``); from the third
        attempt within an hour a solved challenge is required (``challenge/``)."""
        body = PublicFileSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        filed = door.door_request_submit(
            place_id=data["place"],
            description=data["description"],
            category_id=data.get("category"),
            phone=data["phone"],
            name=data.get("name", ""),
            photos=data.get("photos", []),
            address=door_budget.address_hash(request),
            challenge=data.get("altcha"),
            track_base=track_base(request),
        )
        answer = _filed_answer(request, filed.request, category_source=filed.category_source)
        return Response(PublicFiledSerializer(answer).data, status=status.HTTP_201_CREATED)


class VoiceView(_Public):
    @extend_schema(
        operation_id="public_voice",
        request=PublicVoiceSerializer,
        responses={
            201: PublicVoicedSerializer,
            200: PublicVoicedSerializer,
            404: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
            **ERRORS,
        },
        tags=["public"],
    )
    def post(self, request):
        """This is my problem too (附议): add your voice to a request ``duplicates/`` offered,
        and get its tracking code. 201 when added; 200 when this phone had already raised it;
        409 when it was dealt with meanwhile."""
        body = PublicVoiceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        voiced = door.door_voice_add(
            candidate=data["candidate"],
            phone=data["phone"],
            address=door_budget.address_hash(request),
            challenge=data.get("altcha"),
        )
        answer = _filed_answer(request, voiced.request, added=voiced.added)
        code = status.HTTP_201_CREATED if voiced.added else status.HTTP_200_OK
        return Response(PublicVoicedSerializer(answer).data, status=code)
