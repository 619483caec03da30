"""``{% picker form.unit %}``: a form's select drawn for static/js/picker.js.

The select keeps its name, id and options (the page works without script, and a test may still
choose an option in it); each option carries the place's or person's pinyin and a hint (a
building's compound, a unit's kind), so typing "ygxq" or "阳光" finds 阳光小区 and its buildings.
The field's rows are read once, as the plain select would.
"""

from __future__ import annotations

from django import forms, template
from django.utils.translation import gettext as _

from casework.models import OrgUnit, UnitKind
from casework.models.org import place_label
from casework.views.action_forms import (
    CHOOSE,
    PickerSelect,
    PickerSelectMultiple,
    picker_attrs,
)

register = template.Library()


def _option_attrs(rows) -> dict[str, dict]:
    names = {row.path: row.name for row in rows if isinstance(row, OrgUnit)}
    attrs = {}
    for row in rows:
        extra = {}
        if getattr(row, "pinyin", ""):
            extra["data-pinyin"] = row.pinyin
        if isinstance(row, OrgUnit):
            kind = str(row.get_kind_display())
            parent = names.get(row.parent_path())
            extra["data-hint"] = f"{parent} · {kind}" if parent else kind
        attrs[str(row.pk)] = extra
    return attrs


def _label(field, row, names: dict[str, str]) -> str:
    """The option's text; a building is named with its compound (阳光小区 1栋), as lists do."""
    if isinstance(row, OrgUnit) and row.kind == UnitKind.BUILDING:
        return place_label(row, names.get(row.parent_path()))
    return field.label_from_instance(row)


@register.simple_tag
def picker(bound_field, kind="places", source="", placeholder=None, **extra):
    """Render ``bound_field`` (a model choice field, or a plain choice field) as a picker."""
    field = bound_field.field
    multiple = isinstance(field, forms.ModelMultipleChoiceField) or getattr(
        field.widget, "allow_multiple_selected", False
    )
    option_attrs: dict[str, dict] = {}
    if isinstance(field, forms.ModelChoiceField):
        rows = list(field.queryset)
        names = {row.path: row.name for row in rows if isinstance(row, OrgUnit)}
        choices = [(str(row.pk), _label(field, row, names)) for row in rows]
        option_attrs = _option_attrs(rows)
        if not multiple and field.empty_label is not None:
            choices.insert(0, ("", str(CHOOSE)))
    else:
        choices = [("", str(CHOOSE)) if v == "" else (v, label) for v, label in field.choices]
    placeholder = placeholder or picker_placeholder(kind)
    attrs = {**field.widget.attrs, **picker_attrs(kind, placeholder=placeholder, source=source)}
    attrs.update({f"data-picker-{k.replace('_', '-')}": v for k, v in extra.items()})
    widget = (PickerSelectMultiple if multiple else PickerSelect)(
        attrs=attrs, choices=choices, option_attrs=option_attrs
    )
    widget.is_required = field.required
    return bound_field.as_widget(widget=widget)


@register.simple_tag
def picker_placeholder(kind: str) -> str:
    """The text box's hint for a kind of picker."""
    return {
        "places": _("Search places, e.g. 阳光 or yg"),
        "people": _("Search people, e.g. 张三 or zs"),
        "units": _("Search units, e.g. 物业 or wy"),
    }.get(kind, _("Search…"))
