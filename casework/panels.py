"""Panels other apps add to the case page, without casework importing them.

An app registers a function in its ``AppConfig.ready()``:
``casework.panels.register_case_panel(render)``, where ``render(request, case)`` returns HTML
(or ``""``); and the same for the case's API detail,
``casework.panels.register_case_detail(name, provide)``, where ``provide(request, case)``
returns the serialised value of the detail's field ``name``. This keeps the dependency
direction: requests_app knows casework, never the reverse.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

_case_panels: list[Callable] = []
_case_details: dict[str, Callable] = {}


def register_case_panel(render: Callable) -> None:
    if render not in _case_panels:
        _case_panels.append(render)


def case_panels(request, case) -> list[SafeString]:
    rendered = (render(request, case) for render in _case_panels)
    # Each panel is a rendered template (escaped by the template engine), not raw input.
    return [mark_safe(html) for html in rendered if html]  # noqa: S308


def register_case_detail(name: str, provide: Callable) -> None:
    _case_details[name] = provide


def case_detail_part(request, case, name: str, default=None):
    """What the app that registered ``name`` says about ``case`` (``default`` if none did)."""
    provide = _case_details.get(name)
    return default if provide is None else provide(request, case)
