"""The inputs of the case actions: one DRF serializer per kind of input, read by both doors.

The API validates a request body with it; the case page renders it as a form
(``casework.views.action_forms``) and validates the posted form with it too. ``context["case"]``
narrows the choices to what fits the case, so the page's select boxes and the API's validation
agree; ``context["user"]`` does the same for what depends on the actor.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.models import Case, Membership, OrgUnit, PhotoStage, Role, Satisfaction, User
from casework.policies import co_handling_units
from casework.selectors.cases import DESK_LEVELS, dispatch_handlers, dispatch_units
from casework.selectors.scope import scope_for

TEXT = 4000


def _text(label, *, required: bool = True, limit: int = TEXT, help_text=None):
    return serializers.CharField(
        label=label,
        max_length=limit,
        required=required,
        allow_blank=not required,
        help_text=help_text,
    )


class YesNo(serializers.BooleanField):
    """A yes-or-no answer that must be given: a form posted without it is refused, naming the
    field (DRF reads a missing checkbox-style boolean in form data as "no")."""

    default_empty_html = serializers.empty


class ActionInput(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "The version of the case you last loaded; if it is out of date the action is refused "
            "with 409 Conflict."
        ),
    )

    @property
    def case(self) -> Case | None:
        return self.context.get("case")


class NoteInput(ActionInput):
    note = _text(_("Note"), required=False)


class ReasonInput(ActionInput):
    reason = _text(_("Reason"))


class ResultInput(ActionInput):
    result = _text(_("What was done"))


class TextInput(ActionInput):
    text = _text(_("Note"))


class _Dispatching(ActionInput):
    """Inputs that choose a unit and a handler among those the case can go to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case is not None:
            units = dispatch_units(self.case)
            for name in ("unit", "co_handlers"):
                if name in self.fields:
                    field = self.fields[name]
                    target = getattr(field, "child_relation", field)
                    target.queryset = units
            if "handler" in self.fields:
                self.fields["handler"].queryset = dispatch_handlers(units)

    def validate(self, attrs):
        # The handler must be one of the chosen unit's (the page lists only those once a unit
        # is chosen); a handler alone is checked by the service, which finds their unit.
        attrs = super().validate(attrs)
        unit, handler = attrs.get("unit"), attrs.get("handler")
        if unit is not None and handler is not None:
            handles = Membership.objects.filter(
                user=handler, role=Role.HANDLER, unit__path__startswith=unit.path
            )
            if not handles.exists():
                raise serializers.ValidationError(
                    {"handler": _("That person is not a handler of the chosen unit.")}
                )
        return attrs


class AssignInput(_Dispatching):
    unit = serializers.PrimaryKeyRelatedField(
        label=_("Handling unit"),
        queryset=OrgUnit.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    handler = serializers.PrimaryKeyRelatedField(
        label=_("Handler (optional)"),
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    co_handlers = serializers.PrimaryKeyRelatedField(
        label=_("Co-handling units"),
        queryset=OrgUnit.objects.filter(is_active=True),
        many=True,
        required=False,
    )
    due_at = serializers.DateTimeField(
        label=_("Deadline (optional)"), required=False, allow_null=True
    )
    note = _text(_("Note"), required=False)


class TransferInput(_Dispatching):
    unit = serializers.PrimaryKeyRelatedField(
        label=_("Transfer to"), queryset=OrgUnit.objects.filter(is_active=True)
    )
    handler = serializers.PrimaryKeyRelatedField(
        label=_("Handler (optional)"),
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    due_at = serializers.DateTimeField(
        label=_("Deadline (optional)"), required=False, allow_null=True
    )
    reason = _text(_("Reason"))


class SendUpInput(ActionInput):
    level = serializers.ChoiceField(
        label=_("Send up to"),
        choices=[(DESK_LEVELS[0], _("the town's desk")), (DESK_LEVELS[1], _("the county's desk"))],
        required=False,
        allow_null=True,
    )
    reason = _text(_("Reason"))


class FeedbackInput(ActionInput):
    solved = YesNo(label=_("Was it solved?"))
    satisfaction = serializers.ChoiceField(
        label=_("How satisfied is the resident?"), choices=Satisfaction.choices
    )
    note = _text(_("Note"), required=False)


class ExtensionInput(ActionInput):
    due_at = serializers.DateTimeField(label=_("New deadline"))
    reason = _text(_("Why more time is needed"))


class ExtensionDecideInput(ActionInput):
    approve = YesNo(label=_("Approve the new deadline?"))
    note = _text(_("Note (required when rejecting)"), required=False)


class ParkInput(ActionInput):
    plan = _text(_("How it will be solved (budget, project, year)"))
    review_on = serializers.DateField(label=_("Review on"))


class UnparkInput(ActionInput):
    note = _text(_("Note"), required=False)
    due_at = serializers.DateTimeField(
        label=_("New deadline (optional)"), required=False, allow_null=True
    )


class CoReportInput(ActionInput):
    opinion = _text(_("Your unit's opinion and what it did (协办意见)"))
    unit = serializers.PrimaryKeyRelatedField(
        label=_("For unit"), queryset=OrgUnit.objects.none(), required=False, allow_null=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.context.get("user")
        if self.case is not None and user is not None:
            ids = [u.pk for u in co_handling_units(scope_for(user), self.case)]
            self.fields["unit"].queryset = OrgUnit.objects.filter(pk__in=ids)


class PhotoInput(ActionInput):
    image = serializers.FileField(label=_("Photo"))
    stage = serializers.ChoiceField(
        label=_("Taken"),
        choices=PhotoStage.choices,
        default=PhotoStage.OTHER,
        help_text=_("Before the work (处置前), after it (处置后), or other."),
    )
    caption = _text(_("Caption"), required=False, limit=200)
