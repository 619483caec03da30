"""Render an action's input serializer as an HTML form, so the page and the API share one input.

The page posts plain field names (no prefix: the serializer reads them as the API would); each
form gets its own ``auto_id`` so several forms on one page never share an element id.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, PrimaryKeyRelatedField

YES_NO = [("true", _("Yes")), ("false", _("No"))]


def _field(field: serializers.Field) -> forms.Field | None:
    common = {"label": field.label, "required": field.required, "help_text": field.help_text or ""}
    if isinstance(field, ManyRelatedField):
        return forms.ModelMultipleChoiceField(
            queryset=field.child_relation.queryset,
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if isinstance(field, PrimaryKeyRelatedField):
        return forms.ModelChoiceField(queryset=field.queryset, **common)
    if isinstance(field, serializers.BooleanField):
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if isinstance(field, serializers.ChoiceField):
        return forms.ChoiceField(
            choices=list(field.choices.items()),
            widget=forms.RadioSelect if field.required else forms.Select,
            **common,
        )
    if isinstance(field, serializers.DateTimeField):
        return forms.DateTimeField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **common
        )
    if isinstance(field, serializers.DateField):
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if isinstance(field, serializers.FileField):
        return forms.FileField(
            widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
            **common,
        )
    if isinstance(field, serializers.CharField):
        long = field.max_length is None or field.max_length > 200
        return forms.CharField(
            max_length=field.max_length,
            widget=forms.Textarea(attrs={"rows": 3}) if long else forms.TextInput,
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
    return form


def add_errors(form: forms.Form, errors: dict) -> None:
    """Show the serializer's (or a service's) errors on the form, by field where it has one."""
    form._errors = forms.utils.ErrorDict()
    for name, messages in errors.items():
        messages = messages if isinstance(messages, list | tuple) else [messages]
        target = name if name in form.fields else None
        for message in messages:
            form._errors.setdefault(target or "__all__", form.error_class()).append(str(message))
