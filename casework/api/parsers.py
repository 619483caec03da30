"""The API's JSON parser: DRF's, with a bound on how deeply a body may nest."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

#: No body the API takes nests deeper than a few levels (a request with its resident); a body
#: nested far deeper is an attack on the parser or on code that walks the data recursively.
MAX_DEPTH = 32


def json_depth(data) -> int:
    """How deeply lists and objects nest in ``data`` (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    """Parse a JSON body; one nested more than ``MAX_DEPTH`` levels is a 400 that says so.

    Python's decoder recurses once per level, so a body of a hundred thousand ``[`` raises
    ``RecursionError`` (a 500) before any check could look at the result.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(self._too_deep()) from None
        if json_depth(data) > MAX_DEPTH:
            raise ParseError(self._too_deep())
        return data

    @staticmethod
    def _too_deep() -> str:
        return _("The JSON body is too deeply nested (at most %(depth)d levels).") % {
            "depth": MAX_DEPTH
        }
