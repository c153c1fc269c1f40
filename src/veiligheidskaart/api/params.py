"""Query parameters: parsed strictly, and every mistake is a 400 that names the parameter."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rest_framework.request import Request

from veiligheidskaart.api.errors import ParameterError
from veiligheidskaart.observations.layers import LayerError, parse_period

CODE_PATTERN = r"^[A-Za-z0-9_.\-]{1,64}$"
PERIOD_PATTERN = r"^\d{4}(-H[12]|-\d{2}\.\.\d{4}-\d{2})?$"
FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_PERIOD_MONTHS = 240
TRUE, FALSE = ("true",), ("false",)

# CRS names accepted in ?crs= and Accept-Crs, to the two CRSs we serve.
CRS84, RD = "CRS84", "EPSG:28992"
CRS_URIS = {
    CRS84: "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    RD: "http://www.opengis.net/def/crs/EPSG/0/28992",
}
CRS_ALIASES = {
    "4326": CRS84,
    "EPSG:4326": CRS84,
    "CRS84": CRS84,
    "OGC:CRS84": CRS84,
    CRS_URIS[CRS84]: CRS84,
    "http://www.opengis.net/def/crs/EPSG/0/4326": CRS84,
    "urn:ogc:def:crs:OGC:1.3:CRS84": CRS84,
    "urn:ogc:def:crs:EPSG::4326": CRS84,
    "28992": RD,
    "EPSG:28992": RD,
    CRS_URIS[RD]: RD,
    "urn:ogc:def:crs:EPSG::28992": RD,
}
CRS_HEADER_VALUES = [*CRS_ALIASES, *(f"<{uri}>" for uri in CRS_ALIASES if ":" in uri)]
CRS_HEADER = "Accept-Crs"

# LayerError names its parameter in Dutch (page parameters); the API's names are English.
LAYER_PARAMETERS = {"periode": "period", "niveau": "level", "indicator": "indicator"}


def text(request: Request, name: str, default: str = "") -> str:
    """The parameter as sent (no trimming), ``default`` when absent; empty is an error."""
    value = request.query_params.get(name)
    if value is None:
        return default
    if value == "":
        raise ParameterError(name, "lege waarde; laat de parameter weg voor de standaard")
    return str(value)


def choice(request: Request, name: str, choices: Sequence[str], default: str) -> str:
    value = text(request, name, default)
    if value not in choices:
        raise ParameterError(name, f"onbekende waarde '{value}'; kies uit {', '.join(choices)}")
    return value


def is_code(value: str) -> bool:
    """Letters, digits, '_', '.', '-' (1–64): never a NUL or other byte a database refuses."""
    return re.fullmatch(CODE_PATTERN, value) is not None


def code(request: Request, name: str, default: str = "") -> str:
    """An indicator, theme or area code."""
    value = text(request, name, default)
    if value and not is_code(value):
        raise ParameterError(name, f"ongeldige code '{value[:64]}'")
    return value


def boolean(request: Request, name: str, default: bool = False) -> bool:
    value = text(request, name)
    if not value:
        return default
    if value not in TRUE + FALSE:
        raise ParameterError(name, f"ongeldige waarde '{value[:64]}'; gebruik true of false")
    return value in TRUE


def year(request: Request, name: str, default: int | None) -> int | None:
    value = text(request, name)
    if not value:
        return default
    if not re.fullmatch(r"\d{4}", value) or not FIRST_YEAR <= int(value) <= LAST_YEAR:
        raise ParameterError(name, f"ongeldig jaar '{value[:64]}'; gebruik bijvoorbeeld 2024")
    return int(value)


def period(request: Request, name: str, default: str) -> str:
    """'2024', '2024-H2' or '2024-01..2024-06', within 1900–2100 and at most 20 years."""
    value = text(request, name, default)
    if not re.fullmatch(PERIOD_PATTERN, value):
        raise ParameterError(name, _period_reason(value))
    try:
        parsed = parse_period(value)
    except ValueError as exc:  # LayerError, or a month out of range
        raise ParameterError(name, _period_reason(value)) from exc
    if not FIRST_YEAR <= parsed.first.year <= parsed.last.year <= LAST_YEAR:
        raise ParameterError(name, f"periode '{value}' valt buiten {FIRST_YEAR}–{LAST_YEAR}")
    if parsed.months > MAX_PERIOD_MONTHS:
        raise ParameterError(name, f"periode '{value}' is langer dan {MAX_PERIOD_MONTHS} maanden")
    return value


def _period_reason(value: str) -> str:
    return f"onbekende periode '{value[:64]}'; gebruik 2024, 2024-H2 of 2024-01..2024-06"


def crs(request: Request) -> tuple[str, str]:
    """The requested CRS (CRS84 or EPSG:28992) and the parameter that chose it."""
    header = request.headers.get(CRS_HEADER)
    chosen = _header_crs(header) if header is not None else None
    value = text(request, "crs")
    if value:
        if value not in CRS_ALIASES:
            raise ParameterError("crs", f"onbekend CRS '{value[:64]}'; gebruik 4326 of 28992")
        return CRS_ALIASES[value], "crs"
    return (chosen, CRS_HEADER) if chosen else (CRS84, "")


def _header_crs(header: str) -> str:
    """Accept-Crs: a name or URI, optionally in <…>; checked even when ?crs= wins."""
    key = header[1:-1] if header.startswith("<") and header.endswith(">") else header
    if key not in CRS_ALIASES:
        raise ParameterError(CRS_HEADER, f"onbekend CRS '{header[:64]}'; gebruik EPSG:28992")
    return CRS_ALIASES[key]


def layer_error(exc: LayerError) -> ParameterError:
    return ParameterError(LAYER_PARAMETERS.get(exc.parameter, exc.parameter), str(exc))
