"""The unit page: where it sits, what is under it, who works there."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from casework.errors import NotFound
from casework.selectors import person_list, unit_get, unit_list
from casework.selectors.org import unit_ancestors
from casework.selectors.scope import scope_for


@login_required
def unit_detail(request, pk: int):
    try:
        unit = unit_get(viewer=request.user, pk=pk)
    except NotFound:
        raise Http404 from None
    scope = scope_for(request.user)
    ancestors = [a for a in unit_ancestors(unit) if scope.covers_path(a.path)]
    children = unit_list(viewer=request.user, parent=unit)
    people = person_list(viewer=request.user, unit=unit)
    return render(
        request,
        "casework/unit_detail.html",
        {"unit": unit, "ancestors": ancestors, "children": children, "people": people},
    )
