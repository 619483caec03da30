"""Render an action's input serializer as an HTML form, so the page and the API share one input.

The page posts plain field names (no prefix: the serializer reads them as the API would); each
form gets its own ``auto_id`` so several forms on one page never share an element id.

The forms are made for a tablet held in one hand (templates/casework/_action_fields.html draws
them): one column, the right input types, radios inside their labels, and the places and people
to choose from as searchable pickers (static/js/picker.js enhances the ``<select>``; without
script the plain select works). Choosing a handling unit narrows the handlers to that unit's.
A refused form comes back with each error next to its field and the first one focused.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, PrimaryKeyRelatedField

from casework.models import Membership, OrgUnit, Role

YES_NO = [("true", _("Yes")), ("false", _("No"))]
#: The empty choice of a select (never Django's "---------").
CHOOSE = _("Choose…")


class PickerSelect(forms.Select):
    """A ``<select>`` whose options carry what the picker searches and shows: ``data-pinyin``
    (initials and full pinyin), ``data-hint`` (a unit's kind, a person's units) and, for people,
    ``data-units`` (the ids of the units they handle for)."""

    def __init__(self, attrs=None, choices=(), option_attrs=None):
        super().__init__(attrs, choices)
        self.option_attrs: dict[str, dict] = option_attrs or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        extra = self.option_attrs.get(str(value))
        if extra is None:
            # A model choice field's option knows its row: a place's or a person's pinyin.
            instance = getattr(value, "instance", None)
            extra = {"data-pinyin": instance.pinyin} if hasattr(instance, "pinyin") else None
        if extra:
            option["attrs"] = {**option["attrs"], **extra}
        return option


class PickerSelectMultiple(PickerSelect, forms.SelectMultiple):
    allow_multiple_selected = True


def picker_attrs(kind: str, *, placeholder=None, source: str = "", **extra) -> dict:
    """The data attributes static/js/picker.js reads from a ``<select>``."""
    attrs = {"data-picker": kind, "data-picker-placeholder": str(placeholder or _("Search…"))}
    if source:
        attrs["data-picker-source"] = source
    attrs.update({f"data-picker-{k.replace('_', '-')}": v for k, v in extra.items()})
    return attrs


def unit_options(units) -> tuple[list[tuple[str, str]], dict[str, dict]]:
    """Choices and option attributes for a list of units (evaluated once)."""
    choices, attrs = [], {}
    for unit in units:
        choices.append((str(unit.pk), unit.name))
        attrs[str(unit.pk)] = {
            "data-pinyin": unit.pinyin,
            "data-hint": str(unit.get_kind_display()),
            "data-path": unit.path,
        }
    return choices, attrs


def handler_options(units: list[OrgUnit]) -> tuple[list[tuple[str, str]], dict[str, dict]]:
    """The handlers of ``units`` (one query), each with the units they handle for among them:
    a handler of a unit within another listed unit (a town's desk under the town) counts for
    both, as the service accepts them for either."""
    units = list(units)
    memberships = (
        Membership.objects.filter(
            role=Role.HANDLER, unit__in=[u.pk for u in units], user__is_active=True
        )
        .select_related("user", "unit")
        .order_by("user__pinyin", "user__username", "unit__path")
    )
    people: dict[int, dict] = {}
    for membership in memberships:
        user = membership.user
        row = people.setdefault(user.pk, {"user": user, "units": {}, "names": []})
        row["names"].append(membership.unit.name)
        for unit in units:
            if membership.unit.path.startswith(unit.path):
                row["units"][unit.pk] = True
    choices, attrs = [], {}
    for pk, row in people.items():
        choices.append((str(pk), row["user"].get_full_name()))
        attrs[str(pk)] = {
            "data-pinyin": row["user"].pinyin,
            "data-hint": "、".join(row["names"]),
            "data-units": " ".join(str(u) for u in row["units"]),
        }
    return choices, attrs


def _dispatch_fields(serializer, form: forms.Form, prefix: str) -> None:
    """The unit, co-handlers and handler of assign and transfer: pickers, the handlers filtered
    by the chosen unit. The units are read once for all three fields."""
    unit_field = serializer.fields.get("unit")
    if not isinstance(unit_field, PrimaryKeyRelatedField):
        return
    units = list(unit_field.queryset)
    choices, attrs = unit_options(units)
    for name in ("unit", "co_handlers"):
        if name not in form.fields:
            continue
        field = form.fields[name]
        many = name == "co_handlers"
        widget_class = PickerSelectMultiple if many else PickerSelect
        form.fields[name] = (forms.MultipleChoiceField if many else forms.ChoiceField)(
            label=field.label,
            required=field.required,
            help_text=field.help_text,
            choices=choices if many else [("", CHOOSE), *choices],
            widget=widget_class(
                attrs=picker_attrs("units", placeholder=_("Search units, e.g. 物业 or wy")),
                option_attrs=attrs,
            ),
        )
    if "handler" in form.fields:
        field = form.fields["handler"]
        people, people_attrs = handler_options(units)
        form.fields["handler"] = forms.ChoiceField(
            label=field.label,
            required=field.required,
            help_text=_("Only the handlers of the chosen unit are listed."),
            choices=[("", CHOOSE), *people],
            widget=PickerSelect(
                attrs=picker_attrs(
                    "people",
                    placeholder=_("Search people, e.g. 张三 or zs"),
                    follows=f"id_{prefix}_unit",
                ),
                option_attrs=people_attrs,
            ),
        )


class Textarea(forms.Textarea):
    """A textarea as wide as its column: no ``cols`` (Django's default is 40 characters)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.attrs.pop("cols", None)


def _field(field: serializers.Field) -> forms.Field | None:
    common = {"label": field.label, "required": field.required, "help_text": field.help_text or ""}
    if isinstance(field, ManyRelatedField):
        return forms.ModelMultipleChoiceField(
            queryset=field.child_relation.queryset,
            widget=PickerSelectMultiple(attrs=picker_attrs("units")),
            **common,
        )
    if isinstance(field, PrimaryKeyRelatedField):
        return forms.ModelChoiceField(
            queryset=field.queryset,
            empty_label=CHOOSE,
            widget=PickerSelect(attrs=picker_attrs("units")),
            **common,
        )
    if isinstance(field, serializers.BooleanField):
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if isinstance(field, serializers.ChoiceField):
        choices = list(field.choices.items())
        if field.required:
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        return forms.ChoiceField(choices=[("", CHOOSE), *choices], **common)
    if isinstance(field, serializers.DateTimeField):
        return forms.DateTimeField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            **common,
        )
    if isinstance(field, serializers.DateField):
        return forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common
        )
    if isinstance(field, serializers.IntegerField):
        return forms.IntegerField(
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **common
        )
    if isinstance(field, serializers.FileField):
        return forms.FileField(
            widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
            **common,
        )
    if isinstance(field, serializers.CharField):
        long = field.max_length is None or field.max_length > 200
        return forms.CharField(
            max_length=field.max_length,
            widget=Textarea(attrs={"rows": 3}) if long else forms.TextInput,
            **common,
        )
    return None


def form_for(serializer: serializers.Serializer, *, data=None, prefix: str) -> forms.Form:
    """An unvalidated form with a field for each input field (``version`` travels apart)."""
    form = forms.Form(data=data, auto_id=f"id_{prefix}_%s")
    for name, field in serializer.fields.items():
        if name == "version" or field.read_only:
            continue
        built = _field(field)
        if built is not None:
            form.fields[name] = built
    if serializer.context.get("case") is not None:
        _dispatch_fields(serializer, form, prefix)
    form.has_required = any(field.required for field in form.fields.values())
    return form


def add_errors(form: forms.Form, errors: dict) -> None:
    """Show the serializer's (or a service's) errors on the form, by field where it has one.

    Each field in error is marked ``aria-invalid`` and described by its message; the first one
    gets ``autofocus``, so the browser opens the page on it with the keyboard there.
    """
    form._errors = forms.utils.ErrorDict()
    for name, messages in errors.items():
        messages = messages if isinstance(messages, list | tuple) else [messages]
        target = name if name in form.fields else None
        for message in messages:
            form._errors.setdefault(target or "__all__", form.error_class()).append(str(message))
    first = True
    for name, field in form.fields.items():
        if name not in form._errors:
            continue
        widget_id = form[name].auto_id
        field.widget.attrs.update(
            {"aria-invalid": "true", "aria-describedby": f"{widget_id}_error"}
        )
        if first:
            field.widget.attrs["autofocus"] = True
            first = False
