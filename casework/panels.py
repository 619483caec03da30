"""Panels other apps add to the case page, without casework importing them.

An app registers a function in its ``AppConfig.ready()``:
``casework.panels.register_case_panel(render)``, where ``render(request, case)`` returns HTML
(or ``""``). This keeps the dependency direction: requests_app knows casework, never the reverse.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

_case_panels: list[Callable] = []


def register_case_panel(render: Callable) -> None:
    if render not in _case_panels:
        _case_panels.append(render)


def case_panels(request, case) -> list[SafeString]:
    rendered = (render(request, case) for render in _case_panels)
    # Each panel is a rendered template (escaped by the template engine), not raw input.
    return [mark_safe(html) for html in rendered if html]  # noqa: S308
