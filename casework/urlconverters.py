"""Ids in URLs: 1 to 18 digits, so an id no database column can hold is a 404 at the URL,
never an overflow deep in the database driver (found by fuzzing the API with schemathesis)."""

from django.urls import register_converter
from rest_framework.routers import SimpleRouter

ID_REGEX = r"[0-9]{1,18}"


class IdConverter:
    regex = ID_REGEX

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")


class Router(SimpleRouter):
    """DRF's SimpleRouter whose detail routes take ids of up to 18 digits unless a viewset
    declares its own ``lookup_value_regex``."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        lookup_field = getattr(viewset, "lookup_field", "pk")
        lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
        lookup_value = getattr(viewset, "lookup_value_regex", ID_REGEX)
        return f"(?P<{lookup_prefix}{lookup_url_kwarg}>{lookup_value})"
