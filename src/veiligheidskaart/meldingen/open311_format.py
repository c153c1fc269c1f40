"""Open311 GeoReport v2 output: the same rows as JSON or XML, and the spec's error list.

The format is the path's extension (``requests.xml``). JSON is a list of objects; XML has
the spec's root and item elements (``<service_requests><request>…``), a declaration with
``encoding="utf-8"``, and an empty element for a missing value. Errors are a list of
``{code, description}``, in XML ``<errors><error><code/><description/></error></errors>``.

>>> body = render_xml("errors", "error", [{"code": 400, "description": "a < b & c"}])
>>> print(body.decode())  # doctest: +NORMALIZE_WHITESPACE
<?xml version="1.0" encoding="utf-8"?>
<errors><error><code>400</code><description>a &lt; b &amp; c</description></error></errors>
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
FORMATS = ("json", "xml")
# characters XML 1.0 cannot carry at all, even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Row = Mapping[str, Any]
# as Django's json_script does: markup characters as \u003c-style escapes, so a body read as
# HTML by mistake still holds no tag (the JSON value is unchanged)
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def format_of(path: str) -> str:
    return "xml" if path.endswith(".xml") else "json"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def render_xml(root: str, item: str, rows: Iterable[Row]) -> bytes:
    tree = ET.Element(root)
    for row in rows:
        node = ET.SubElement(tree, item)
        for name, value in row.items():
            ET.SubElement(node, name).text = _text(value)
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(tree, encoding="unicode").encode()
    )


def render(fmt: str, root: str, item: str, rows: Sequence[Row], status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(render_xml(root, item, rows), status=status, content_type=XML_TYPE)
    body = json.dumps(list(rows), ensure_ascii=False, default=str).translate(_JSON_ESCAPES)
    return HttpResponse(body.encode(), status=status, content_type=JSON_TYPE)


def error_response(fmt: str, errors: Sequence[tuple[int, str]], status: int) -> HttpResponse:
    rows = [{"code": code, "description": description} for code, description in errors]
    return render(fmt, "errors", "error", rows, status)
