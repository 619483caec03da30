"""Deadline filters for templates: ``{% load deadlines %}``.

``{{ case.due_at|due_phrase }}`` reads "due in 3 h 20 min" / "剩余3小时20分";
``{{ case.due_at|due_class }}`` (or ``|due_class:case.assigned_at``) gives the CSS class
``overdue``, ``due-soon`` or nothing.
"""

from django import template
from django.utils import timezone

from casework import deadlines

register = template.Library()

_CSS_CLASSES = {deadlines.OVERDUE: "overdue", deadlines.DUE_SOON: "due-soon"}


@register.filter
def due_phrase(due_at):
    """How long until ``due_at``, or how late, as of now; empty without a deadline."""
    if not due_at:
        return ""
    return deadlines.due_phrase(due_at, timezone.now())


@register.filter
def due_class(due_at, start=None):
    """``"overdue"``, ``"due-soon"`` or ``""``; pass the start to measure "soon" from it."""
    if not due_at:
        return ""
    state = deadlines.due_state(due_at, timezone.now(), start=start or None)
    return _CSS_CLASSES.get(state, "")
