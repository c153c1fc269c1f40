"""JSON renderers of the API: plain JSON, GeoJSON and RFC 9457 problem details.

All three use DRF's strict JSON encoder: dot decimals, never localised, and NaN is refused
(a NaN reaching the renderer is a bug, not a number).
"""

from __future__ import annotations

from rest_framework.renderers import JSONRenderer

PROBLEM_MEDIA_TYPE = "application/problem+json"
GEOJSON_MEDIA_TYPE = "application/geo+json"


class Utf8JSONRenderer(JSONRenderer):
    """application/json, UTF-8 without escapes, so Dutch names stay readable."""

    ensure_ascii = False


class GeoJSONRenderer(Utf8JSONRenderer):
    """application/geo+json (RFC 7946) for feature collections."""

    media_type = GEOJSON_MEDIA_TYPE
    format = "geojson"


class ProblemRenderer(Utf8JSONRenderer):
    """application/problem+json (RFC 9457); chosen for every error response."""

    media_type = PROBLEM_MEDIA_TYPE
    format = "problem"
