"""REST API v1: thin, read-only views over the read side of ``observations``.

Every view answers GET, HEAD and OPTIONS only; every error is problem+json (``api.errors``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.http import HttpResponse, HttpResponseNotModified
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from veiligheidskaart.accounts.access import access_of
from veiligheidskaart.api import params, payloads
from veiligheidskaart.api import serializers as s
from veiligheidskaart.api.errors import ParameterError, ProblemMixin
from veiligheidskaart.api.params import LAYER_PARAMETERS
from veiligheidskaart.api.renderers import (
    GEOJSON_MEDIA_TYPE,
    PROBLEM_MEDIA_TYPE,
    GeoJSONRenderer,
    Utf8JSONRenderer,
)
from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Indicator, Veiligheidsveld
from veiligheidskaart.observations.density import DensityError, meldingen_density
from veiligheidskaart.observations.layers import (
    LEVELS,
    ZOOMS,
    LayerError,
    data_version,
    latest_map_year,
    layer_payload,
    map_layer,
)
from veiligheidskaart.observations.memo import Memo
from veiligheidskaart.observations.series import monthly_dataset, yearly_dataset

DEFAULT_INDICATOR = "misdrijven_totaal"
METHODS = ("quantiles", "natural_breaks")
JSON = "application/json"


def _problems(*statuses: int) -> dict[Any, Any]:
    return {(code, PROBLEM_MEDIA_TYPE): s.ProblemSerializer for code in statuses}


def _query(name: str, description: str, **kwargs: Any) -> OpenApiParameter:
    return OpenApiParameter(
        name, location=OpenApiParameter.QUERY, description=description, **{"type": str, **kwargs}
    )


CODE = {"pattern": params.CODE_PATTERN}
ETAG = OpenApiParameter(
    "ETag",
    location=OpenApiParameter.HEADER,
    response=[200, 304],
    type=str,
    description="Sterke ETag: hash van de JSON van de laag.",
)
CONTENT_CRS = OpenApiParameter(
    "Content-Crs",
    location=OpenApiParameter.HEADER,
    response=[200],
    type=str,
    description="Het CRS van de coördinaten, als <URI>.",
)


class ApiView(ProblemMixin, APIView):
    # public and read-only; problem+json for every error (no docstring: it would become the
    # description of every operation in the schema)
    authentication_classes = [SessionAuthentication]
    permission_classes = [AllowAny]
    renderer_classes = [Utf8JSONRenderer]
    http_method_names = ["get", "head", "options"]


# --- areas ------------------------------------------------------------------------------------


class AreasView(ApiView):
    renderer_classes = [GeoJSONRenderer, Utf8JSONRenderer]

    @extend_schema(
        operation_id="areas_list",
        summary="Gebieden van de gemeente als GeoJSON",
        description="Buurten, wijken of stadsdelen van de gemeente met code, naam, niveau en de "
        "codes van het omvattende gebied en het stadsdeel. Standaard WGS84 (CRS84), "
        "vereenvoudigd per zoomniveau; met ?crs=28992 of de header Accept-Crs de volledige "
        "geometrie in RD New (EPSG:28992). De header Content-Crs noemt het CRS.",
        parameters=[
            _query("level", "Niveau.", enum=list(LEVELS), default="buurt"),
            _query(
                "zoom",
                "Vereenvoudiging (WGS84) per zoomniveau.",
                type=int,
                enum=list(ZOOMS),
                default=13,
            ),
            _query(
                "crs",
                "CRS van de uitvoer: 4326/CRS84 (standaard, vereenvoudigd) of 28992 "
                "(RD New, volledige geometrie).",
                enum=list(params.CRS_ALIASES),
            ),
            OpenApiParameter(
                params.CRS_HEADER,
                location=OpenApiParameter.HEADER,
                type=str,
                enum=params.CRS_HEADER_VALUES,
                description="Alternatief voor ?crs=, bv. EPSG:28992.",
            ),
            CONTENT_CRS,
        ],
        responses={
            (200, GEOJSON_MEDIA_TYPE): s.AreaCollectionSerializer,
            (200, JSON): s.AreaCollectionSerializer,
            **_problems(400, 404, 406),
        },
    )
    def get(self, request: Request) -> Response:
        level = params.choice(request, "level", LEVELS, "buurt")
        zoom = int(params.choice(request, "zoom", [str(z) for z in ZOOMS], "13"))
        crs, _ = params.crs(request)
        body = payloads.area_collection(payloads.home(), level, zoom, crs)
        return Response(body, headers={"Content-Crs": f"<{params.CRS_URIS[crs]}>"})


class AreaSeriesView(ApiView):
    @extend_schema(
        operation_id="areas_series",
        summary="Tijdreeks van een gebied voor een indicator, met de statistiek",
        description="Maand- en jaarcijfers van de buurten van het gebied opgeteld (een wijk, "
        "stadsdeel of de gemeente telt zijn buurten op), met tarieven zoals de kaartlaag en de "
        "opgeslagen uitkomsten van de actuele analyse.",
        parameters=[
            OpenApiParameter(
                "code",
                location=OpenApiParameter.PATH,
                type=str,
                pattern=params.CODE_PATTERN,
                description="Gebiedscode, bv. BU99990101 of WK999901.",
            ),
            _query("indicator", "Indicatorcode.", default=DEFAULT_INDICATOR, **CODE),
        ],
        responses={200: s.AreaSeriesSerializer, **_problems(400, 404, 406)},
    )
    def get(self, request: Request, code: str) -> Response:
        query = tuple((k, tuple(v)) for k, v in sorted(request.query_params.lists()))
        key = (code, query, data_version())
        return Response(SERIES_RESPONSES.get(key, lambda: self._series(request, code)))

    def _series(self, request: Request, code: str) -> dict[str, Any]:
        gemeente = payloads.home()
        area = payloads.find_area(gemeente, code) if params.is_code(code) else None
        if area is None:
            raise NotFound(f"Onbekend gebied '{code[:64]}' in {gemeente.name}.")
        indicator = _indicator(params.code(request, "indicator", DEFAULT_INDICATOR))
        return payloads.area_series(gemeente, area, indicator)


# A minute: a catalogue change (an indicator's source codes) is not part of the data version.
SERIES_RESPONSES: Memo[dict[str, Any]] = Memo(size=1024, seconds=60)


def _indicator(code: str) -> Indicator:
    indicator: Indicator | None = (
        Indicator.objects.select_related("theme").filter(code=code).first()
    )
    if indicator is None:
        raise ParameterError("indicator", f"onbekende indicator '{code}'")
    return indicator


# --- catalogue --------------------------------------------------------------------------------


class CatalogueView(ApiView):
    @extend_schema(
        operation_id="catalogue",
        summary="Veiligheidsvelden met hun thema's en indicatoren",
        description="De indicatorcatalogus: veiligheidsveld → thema → indicator.",
        responses={200: s.VeiligheidsveldSerializer(many=True), **_problems(406)},
    )
    def get(self, request: Request) -> Response:
        velden = Veiligheidsveld.objects.prefetch_related("themes__indicators")
        return Response(s.VeiligheidsveldSerializer(velden, many=True).data)


class IndicatorListView(ApiView):
    @extend_schema(
        operation_id="indicators_list",
        summary="Alle indicatoren",
        description="Alle indicatoren met bron, broncodes, noemer en validiteit.",
        responses={200: s.IndicatorSerializer(many=True), **_problems(406)},
    )
    def get(self, request: Request) -> Response:
        rows = Indicator.objects.select_related("theme__veld")
        return Response(s.IndicatorSerializer(rows, many=True).data)


class IndicatorDetailView(ApiView):
    @extend_schema(
        operation_id="indicators_retrieve",
        summary="Eén indicator",
        description="Eén indicator op code.",
        parameters=[
            OpenApiParameter(
                "code", location=OpenApiParameter.PATH, type=str, pattern=params.CODE_PATTERN
            )
        ],
        responses={200: s.IndicatorSerializer, **_problems(404, 406)},
    )
    def get(self, request: Request, code: str) -> Response:
        rows = Indicator.objects.select_related("theme__veld")
        indicator = rows.filter(code=code).first() if params.is_code(code) else None
        if indicator is None:
            raise NotFound(f"Onbekende indicator '{code[:64]}'.")
        return Response(s.IndicatorSerializer(indicator).data)


# --- map layer --------------------------------------------------------------------------------


class MapLayerView(ApiView):
    @extend_schema(
        operation_id="map_layer",
        summary="Kaartlaag: waarde, klasse en status per gebied",
        description="Eén indicator over één periode op één niveau, met klassengrenzen, "
        "tarieven met betrouwbaarheidsgrenzen en status. Gevoelige thema's alleen per wijk of "
        "stadsdeel. Met sterke ETag; If-None-Match geeft 304.",
        parameters=[
            _query(
                "indicator",
                "Indicatorcode (bron misdrijven of overlast).",
                default=DEFAULT_INDICATOR,
                **CODE,
            ),
            _query(
                "period",
                "Jaar (2024), halfjaar (2024-H2) of maanden (2024-01..2024-06); "
                "standaard het laatste volledige jaar.",
                pattern=params.PERIOD_PATTERN,
            ),
            _query("level", "Niveau.", enum=list(LEVELS), default="buurt"),
            _query(
                "smoothed",
                "Gladgestreken (Empirical Bayes) tarief kaarten.",
                type=bool,
                default=False,
            ),
            _query("method", "Klassenindeling.", enum=list(METHODS), default="quantiles"),
            OpenApiParameter("If-None-Match", location=OpenApiParameter.HEADER, type=str),
            ETAG,
        ],
        responses={
            200: s.MapLayerSerializer,
            304: OpenApiResponse(description="Niet gewijzigd."),
            **_problems(400, 404, 406),
        },
    )
    def get(self, request: Request) -> HttpResponse:
        # the same query on the same data gives the same body: remembered with its ETag
        query = tuple((k, tuple(v)) for k, v in sorted(request.query_params.lists()))
        key = (query, data_version())
        payload, etag = LAYER_RESPONSES.get(key, lambda: self._layer(request))
        if _matches(request.headers.get("If-None-Match", ""), etag):
            return HttpResponseNotModified(headers={"ETag": etag})
        return Response(payload, headers={"ETag": etag, "Cache-Control": "public, no-cache"})

    def _layer(self, request: Request) -> tuple[dict[str, Any], str]:
        gemeente = payloads.home()
        code = params.code(request, "indicator", DEFAULT_INDICATOR)
        latest = _latest_complete_year(gemeente)
        period = params.period(request, "period", str(latest) if latest else "")
        level = params.choice(request, "level", LEVELS, "buurt")
        smoothed = params.boolean(request, "smoothed")
        method = params.choice(request, "method", METHODS, "quantiles")
        _check_layer_public(gemeente, code, level)
        try:
            layer = map_layer(gemeente, code, period, level, smoothed, method)
        except LayerError as exc:
            raise params.layer_error(exc) from exc
        payload = layer_payload(layer, period)
        return payload, _etag(payload)


# A minute, like SERIES_RESPONSES: catalogue changes are not in the data version.
LAYER_RESPONSES: Memo[tuple[dict[str, Any], str]] = Memo(size=512, seconds=60)
_LATEST: dict[tuple[str, object], int | None] = {}


def _latest_complete_year(gemeente: Area) -> int | None:
    """layers.latest_map_year, remembered per data version (it scans the monthly table)."""
    key = (gemeente.code, data_version())
    if key not in _LATEST:
        _LATEST.clear()  # only the current version is worth keeping
        _LATEST[key] = latest_map_year(gemeente)
    return _LATEST[key]


def _check_layer_public(gemeente: Area, code: str, level: str) -> None:
    indicator = Indicator.objects.select_related("theme").filter(code=code).first()
    dataset = (
        monthly_dataset(gemeente.code, indicator.source)
        or yearly_dataset(gemeente.code, indicator.source)
        if indicator
        else None
    )
    if indicator is not None and dataset is not None:
        payloads.check_public(indicator, dataset, level, "level")


def _etag(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:40] + '"'


def _matches(header: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 §13.1.2)."""
    if header.strip() == "*":
        return True
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return etag in tags


# --- meldingen density (internal) ------------------------------------------------------------


class MeldingenDensityView(ApiView):
    @extend_schema(
        operation_id="meldingen_density",
        summary="Dichtheid van meldingen (intern)",
        description="Kerndichtheid (kwartische kern, bandbreedte 500 m) van de meldingen met een "
        "locatie op een raster van 100 m in RD, in vijf klassen (kwantielen) als WGS84-vlakken. "
        "Alleen na inloggen met recht op interne gegevens; een stadsdeelmanager krijgt alleen de "
        "eigen stadsdelen. Anoniem en partners: 403.",
        parameters=[
            _query(
                "period",
                "Jaar, halfjaar of maanden; standaard de 12 maanden tot de laatste melding.",
                pattern=params.PERIOD_PATTERN,
            ),
            _query(
                "category",
                "Alleen meldingen waarvan de categorie hiermee begint.",
                pattern=r"^[^\x00]{1,120}$",
            ),  # fmt: skip
            OpenApiParameter("If-None-Match", location=OpenApiParameter.HEADER, type=str),
            ETAG,
        ],
        responses={
            200: s.DensitySerializer,
            304: OpenApiResponse(description="Niet gewijzigd."),
            **_problems(400, 403, 404, 406),
        },
    )
    def get(self, request: Request) -> HttpResponse:
        who = access_of(request.user)
        if not who.internal:
            raise PermissionDenied(
                "De dichtheid van meldingen is intern: log in met een rol die interne "
                "gegevens mag zien."
            )
        gemeente = payloads.home()
        period = params.period(request, "period", "") if "period" in request.query_params else ""
        category = params.text(request, "category")
        if "\x00" in category or len(category) > 120:
            raise ParameterError("category", "ongeldige categorie")
        try:
            body = dict(meldingen_density(gemeente, who, period, category))
        except DensityError as exc:
            name = LAYER_PARAMETERS.get(exc.parameter, exc.parameter)
            raise ParameterError(name, str(exc)) from exc
        etag = body.pop("etag")
        headers = {"ETag": etag, "Cache-Control": "private, no-cache", "Vary": "Cookie"}
        if _matches(request.headers.get("If-None-Match", ""), etag):
            return HttpResponseNotModified(headers=headers)
        return Response(body, headers=headers)


# --- priorities -------------------------------------------------------------------------------


class PrioritiesView(ApiView):
    @extend_schema(
        operation_id="priorities",
        summary="Prioriteitenlijst (thema × buurt), op rang",
        description="De ranglijst van de actuele analyse van dat jaar. Componenten uit "
        "niet-openbare bronnen (wijkpanel, meldingen) zijn leeg en staan in 'withheld'.",
        parameters=[
            _query(
                "year",
                "Jaar; standaard het laatst geanalyseerde jaar.",
                type={"type": "integer", "minimum": params.FIRST_YEAR, "maximum": params.LAST_YEAR},
            ),
            _query("theme", "Alleen dit thema (code).", **CODE),
            _query("area", "Alleen dit gebied; een wijk of stadsdeel geeft zijn buurten.", **CODE),
        ],
        responses={200: s.PrioritiesSerializer, **_problems(400, 404, 406)},
    )
    def get(self, request: Request) -> Response:
        gemeente = payloads.home()
        year = params.year(request, "year", payloads.latest_run_year(gemeente))
        theme = params.code(request, "theme")
        area = params.code(request, "area")
        if year is None:
            raise NotFound("Er is nog geen analyse gedraaid; er is geen ranglijst.")
        return Response(payloads.priorities(gemeente, year, theme, area))


# --- schema and docs --------------------------------------------------------------------------


class SchemaView(ProblemMixin, SpectacularAPIView):
    """OpenAPI 3-schema van deze API (YAML, of JSON met ?format=json)."""

    http_method_names = ["get", "head", "options"]


class DocsView(ProblemMixin, SpectacularSwaggerView):
    """Swagger UI uit drf-spectacular-sidecar: werkt zonder internet."""

    http_method_names = ["get", "head", "options"]


@extend_schema(exclude=True)
class RootView(ApiView):
    def get(self, request: Request) -> Response:
        base = "/api/v1/"
        names = (
            "schema/",
            "docs/",
            "areas/",
            "catalogue/",
            "indicators/",
            "map-layer/",
            "meldingen-density/",
            "priorities/",
        )
        return Response({name.rstrip("/"): base + name for name in names})
