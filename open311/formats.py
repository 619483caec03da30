"""Open311's two formats: XML (required by the spec) and JSON (its Spark-convention mapping).

XML is written with the standard library's ``xml.etree.ElementTree`` rather than a renderer
package (djangorestframework-xml is unmaintained and is not installed): the documents are small,
fixed shapes, and the element names of list items (``service``, ``request``, ``attribute``…)
are the spec's, not a generic ``list-item``.
"""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from django.http import HttpResponse

FORMATS = ("xml", "json")
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
#: The element name of each item of a list, by the list's own name.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for name, inner in value.items():
            _fill(ET.SubElement(element, name), inner)
    elif isinstance(value, (list, tuple)):
        item_name = ITEM_NAMES[element.tag]
        for inner in value:
            _fill(ET.SubElement(element, item_name), inner)
    else:
        element.text = _text(value)


def to_xml(root: str, value) -> str:
    """``value`` (a dict, or a list of dicts) as the XML document whose root is ``root``."""
    element = ET.Element(root)
    _fill(element, value)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode")


def respond(fmt: str, root: str, value, *, status: int = 200) -> HttpResponse:
    body = json.dumps(value, ensure_ascii=False) if fmt == "json" else to_xml(root, value)
    response = HttpResponse(body.encode(), status=status, content_type=CONTENT_TYPES[fmt])
    response["X-Robots-Tag"] = "noindex"
    return response


def error_response(fmt: str, status: int, description: str, **headers) -> HttpResponse:
    """The spec's error body: a list of ``{code, description}`` (XML ``<errors><error>…``)."""
    if fmt not in FORMATS:
        fmt = "xml"
    response = respond(
        fmt, "errors", [{"code": status, "description": description}], status=status
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response
