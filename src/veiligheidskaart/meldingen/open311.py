"""Open311 GeoReport v2 under /open311/v2/: services, requests (GET and POST), requests/<id>.

Two handles for one melding:

- ``service_request_id`` in the POST answer is the melding's **tracking code** (80 random
  bits): the submitter's private handle, the same one the status page uses. With it,
  ``requests/<code>`` gives the status and the public notes (``status_notes``) for any
  category. It never appears in a listing.
- The public listing ``requests`` gives each melding of a **public** category under its
  **public number** (the primary key), newest first: the day (``requested_datetime``
  truncated to 00:00 local time), the category, open/closed and the buurt centroid as
  lat/long. No description, no exact point, no personal data. ``requests/<number>`` gives
  the same row. Merged duplicates are left out (they are the same issue).

POST is form-encoded as the spec says and needs ``api_key`` (403 in the spec's format when
missing, unknown or revoked). Location is ``lat``/``long`` (WGS84) or ``address_string``
naming a buurt (code or name; there is no address geocoder). ``first_name``, ``last_name``,
``phone``, ``device_id``, ``account_id`` and ``media_url`` are size-checked and not stored
(data minimisation). The melding is written by ``services.submit_melding``, the same path
as the form. Every field has a size limit; a bad request is a 400 that lists every bad
field by its Open311 name, and nothing is stored.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from veiligheidskaart.accounts.apikeys import KEY_MAX, check_key
from veiligheidskaart.areas.models import Area, Level
from veiligheidskaart.meldingen import registry
from veiligheidskaart.meldingen.models import Melding, Source, Status
from veiligheidskaart.meldingen.open311_format import error_response, render
from veiligheidskaart.meldingen.routing import to_wgs84
from veiligheidskaart.meldingen.rules import DESCRIPTION_MAX, EMAIL_MAX
from veiligheidskaart.meldingen.services import TRACKING_RE, MeldingInvalid, submit_melding
from veiligheidskaart.observations.queries import home_gemeente

LIST_DAYS = 90  # the spec's default window when no dates are given
LIST_MAX = 1000  # the spec's cap on one listing
CLOSED = (Status.AFGEHANDELD, Status.GEANNULEERD)
POST_LIMITS: dict[str, int] = {
    "api_key": KEY_MAX,
    "jurisdiction_id": 16,
    "service_code": 40,
    "lat": 32,
    "long": 32,
    "address_string": 200,
    "address_id": 64,
    "email": EMAIL_MAX,
    "device_id": 100,
    "account_id": 100,
    "first_name": 100,
    "last_name": 100,
    "phone": 32,
    "description": DESCRIPTION_MAX,
    "media_url": 500,
}
GET_LIMITS: dict[str, int] = {
    "jurisdiction_id": 16,
    "service_request_id": 2000,
    "service_code": 500,
    "start_date": 40,
    "end_date": 40,
    "status": 20,
}
OTHER_MAX = 200  # any other parameter (attribute[...], unknown names)
MAX_PARAMETERS = 60
# the service's field names -> the Open311 names the client used
FIELD_NAMES = {"category": "service_code", "lon": "long", "buurt_code": "address_string"}


class Open311Error(Exception):
    def __init__(self, status: int, errors: list[tuple[str, str]]) -> None:
        super().__init__(status)
        self.status, self.errors = status, errors


def _fail(fmt: str, exc: Open311Error) -> HttpResponse:
    rows = [
        (exc.status, f"{field}: {message}" if field else message) for field, message in exc.errors
    ]
    return error_response(fmt, rows, exc.status)


def _check_sizes(params: QueryDict, limits: Mapping[str, int]) -> None:
    if len(params) > MAX_PARAMETERS:
        raise Open311Error(400, [("", f"Te veel parameters: ten hoogste {MAX_PARAMETERS}.")])
    errors = []
    for name in params:
        values = params.getlist(name)
        limit = limits.get(name, OTHER_MAX)
        if len(name) > OTHER_MAX:
            errors.append(("parameter", f"naam langer dan {OTHER_MAX} tekens"))
        elif len(values) > 1:
            errors.append((name, "mag maar één keer voorkomen."))
        elif len(values[0]) > limit:
            errors.append(
                (name, f"te lang: ten hoogste {limit} tekens ({len(values[0])} gegeven).")
            )
    if errors:
        raise Open311Error(400, errors)


def _check_jurisdiction(params: QueryDict) -> None:
    given = params.get("jurisdiction_id")
    if given:
        gemeente = home_gemeente()
        if gemeente is None or given != gemeente.code:
            raise Open311Error(404, [("jurisdiction_id", "onbekende jurisdictie.")])


View = Callable[..., HttpResponse]


def _methods(*allowed: str) -> Callable[[View], View]:
    """405 in the spec's error format (Django's own 405 has an empty body)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def checked(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            if request.method not in allowed:
                detail = f"Methode {request.method} niet toegestaan; wel: {', '.join(allowed)}."
                response = error_response(fmt, [(405, detail)], 405)
                response["Allow"] = ", ".join(allowed)
                return response
            return view(request, fmt, **kwargs)

        return checked

    return decorate


# --- services ---------------------------------------------------------------------------------


@_methods("GET", "HEAD")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        _check_sizes(request.GET, GET_LIMITS)
        _check_jurisdiction(request.GET)
    except Open311Error as exc:
        return _fail(fmt, exc)
    groups = {g.code: g.name for g in registry.GROUPS}
    rows = [
        {
            "service_code": cat.code,
            "service_name": cat.name,
            "description": cat.name,
            "metadata": False,
            "type": "realtime",
            "keywords": ", ".join(filter(None, [cat.group, cat.theme])),
            "group": groups.get(cat.group, cat.group),
        }
        for cat in registry.categories()
    ]
    return render(fmt, "services", "service", rows)


# --- requests ---------------------------------------------------------------------------------


@csrf_exempt  # no cookies involved: the api_key is the credential
@_methods("GET", "HEAD", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        if request.method == "POST":
            return _create(request, fmt)
        return _listing(request, fmt)
    except Open311Error as exc:
        return _fail(fmt, exc)


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.POST
    _check_sizes(params, POST_LIMITS)
    if check_key(params.get("api_key")) is None:
        raise Open311Error(403, [("api_key", "ontbreekt, is onbekend of is ingetrokken.")])
    _check_jurisdiction(params)
    lat, lon = params.get("lat") or None, params.get("long") or None
    buurt_code = None if (lat or lon) else _buurt_code(params.get("address_string", ""))
    try:
        melding = submit_melding(
            category=params.get("service_code", ""),
            description=params.get("description", ""),
            lat=lat,
            lon=lon,
            buurt_code=buurt_code,
            email=params.get("email") or None,
            source=Source.OPEN311,
        )
    except MeldingInvalid as exc:
        point = bool(lat or lon)
        raise Open311Error(
            400, [(_open311_name(k, point), v) for k, v in exc.errors.items()]
        ) from exc
    notice = f"Uw melding is ontvangen. Volg de status op /meldingen/{melding.tracking_code}."
    row = {
        "service_request_id": melding.tracking_code,
        "service_notice": notice,
        "account_id": None,
    }
    return render(fmt, "service_requests", "request", [row], status=201)


def _open311_name(field: str, point: bool) -> str:
    if field == "location":
        return "lat/long" if point else "lat/long of address_string"
    return FIELD_NAMES.get(field, field)


def _buurt_code(address: str) -> str | None:
    """A buurt code, or the code of the home gemeente's buurt with that name."""
    address = address.strip()
    if not address:
        return None
    gemeente = home_gemeente()
    if gemeente is not None and not address.upper().startswith("BU"):
        match = (
            Area.objects.filter(
                level=Level.BUURT, gemeente_code=gemeente.code, name__iexact=address
            )
            .order_by("-vintage")
            .values_list("code", flat=True)
            .first()
        )
        return match or address
    return address


def _public() -> QuerySet[Melding]:
    codes = [c.code for c in registry.categories() if c.public]
    return Melding.objects.filter(category__in=codes, duplicate_of__isnull=True).select_related(
        "buurt"
    )


def _moment(params: QueryDict, name: str) -> datetime | None:
    text = params.get(name)
    if not text:
        return None
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None or timezone.is_naive(moment):
        raise Open311Error(
            400, [(name, "geen ISO 8601-tijdstip met tijdzone, zoals 2025-01-31T00:00:00Z.")]
        )
    return moment


def _listing(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.GET
    _check_sizes(params, GET_LIMITS)
    _check_jurisdiction(params)
    start, end = _moment(params, "start_date"), _moment(params, "end_date")
    rows = _public()
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        if not all(i.isdigit() and len(i) <= 18 for i in ids):
            raise Open311Error(
                400,
                [
                    (
                        "service_request_id",
                        "een lijst van openbare nummers, gescheiden door komma's.",
                    )
                ],
            )
        rows = rows.filter(pk__in=[int(i) for i in ids])
    elif start is None and end is None:
        start = timezone.now() - timedelta(days=LIST_DAYS)
    codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
    if codes:
        known = {c.code for c in registry.categories()}
        if not set(codes) <= known:
            raise Open311Error(400, [("service_code", "onbekende categorie.")])
        rows = rows.filter(category__in=codes)
    status = params.get("status", "")
    if status:
        wanted = {s.strip() for s in status.split(",")}
        if not wanted <= {"open", "closed"}:
            raise Open311Error(400, [("status", "kies open of closed.")])
        if wanted == {"open"}:
            rows = rows.exclude(status__in=CLOSED)
        elif wanted == {"closed"}:
            rows = rows.filter(status__in=CLOSED)
    if start is not None:
        rows = rows.filter(received_at__gte=start)
    if end is not None:
        rows = rows.filter(received_at__lte=end)
    meldingen = rows.order_by("-received_at", "-pk")[:LIST_MAX]
    return render(fmt, "service_requests", "request", [_public_row(m) for m in meldingen])


def _day(moment: datetime) -> str:
    local = timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)
    return local.isoformat()


def _public_row(melding: Melding) -> dict[str, Any]:
    cat = registry.category(melding.category)
    buurt = melding.buurt
    lat = lon = None
    if buurt.centroid_x is not None and buurt.centroid_y is not None:
        lat, lon = (round(v, 6) for v in to_wgs84(buurt.centroid_x, buurt.centroid_y))
    return {
        "service_request_id": str(melding.pk),
        "status": "closed" if melding.status in CLOSED else "open",
        "service_code": melding.category,
        "service_name": cat.name if cat else melding.category,
        "requested_datetime": _day(melding.received_at),
        "address": buurt.name,
        "lat": lat,
        "long": lon,
    }


@_methods("GET", "HEAD")
def request_detail(request: HttpRequest, fmt: str, ident: str) -> HttpResponse:
    try:
        _check_sizes(request.GET, GET_LIMITS)
        _check_jurisdiction(request.GET)
        row = _lookup(ident)
    except Open311Error as exc:
        return _fail(fmt, exc)
    return render(fmt, "service_requests", "request", [row])


def _lookup(ident: str) -> dict[str, Any]:
    not_found = Open311Error(404, [("service_request_id", "onbekende melding.")])
    if TRACKING_RE.fullmatch(ident):
        melding = Melding.objects.select_related("buurt").filter(tracking_code=ident).first()
        if melding is None:
            raise not_found
        row = _public_row(melding)
        row["service_request_id"] = melding.tracking_code
        notes = (
            melding.notes.filter(public=True).order_by("-at", "-pk").values_list("text", flat=True)
        )
        row["status_notes"] = next(iter(notes), "")
        return row
    if ident.isdigit() and len(ident) <= 18:
        melding = _public().filter(pk=int(ident)).first()
        if melding is not None:
            return _public_row(melding)
    raise not_found


def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Anything else under /open311/v2/: a 404 in the spec's error format."""
    from veiligheidskaart.meldingen.open311_format import format_of

    return error_response(
        format_of(request.path), [(404, "Onbekend adres in de Open311-API.")], 404
    )
