"""The private meldingen API under /api/v1/meldingen/ (problem+json errors).

- ``GET meldingen/``: the meldingen the user may handle (``services.visible_meldingen``),
  newest first, with ``status``, ``category``, ``limit`` and ``offset``.
- ``POST meldingen/``: a new melding through ``services.submit_melding`` (source "api").
- ``GET meldingen/<id>/``: with description, e-mail, exact point, history and notes; the
  access is logged (``log_personal_access``).
- ``POST meldingen/<id>/status/`` and ``POST meldingen/<id>/notes/``: through
  ``change_status`` and ``add_note``.

Authentication: the session (a logged-in handler; CSRF applies), or for POST
``meldingen/`` only an API key in ``Authorization: Api-Key <key>`` (an integration that
files meldingen, like Open311). Partners and the public get 403; a melding outside the
user's stadsdelen is a 404, so its existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import QuerySet
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed, NotFound, PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from veiligheidskaart.accounts.apikeys import check_key
from veiligheidskaart.accounts.models import ApiKey
from veiligheidskaart.accounts.services import role_of
from veiligheidskaart.api.errors import ProblemMixin
from veiligheidskaart.api.renderers import PROBLEM_MEDIA_TYPE, Utf8JSONRenderer
from veiligheidskaart.api.serializers import ProblemSerializer
from veiligheidskaart.meldingen import api_serializers as s
from veiligheidskaart.meldingen.models import Melding, Source, Status
from veiligheidskaart.meldingen.services import (
    MeldingForbidden,
    MeldingInvalid,
    add_note,
    change_status,
    log_personal_access,
    submit_melding,
    visible_meldingen,
)

HANDLER_ROLES = ("beheerder", "analist", "stadsdeelmanager")
PAGE_DEFAULT, PAGE_MAX = 100, 500
API_KEY_PREFIX = "Api-Key "


class ApiKeyAuthentication(BaseAuthentication):
    """``Authorization: Api-Key <key>``: no user, ``request.auth`` is the ApiKey."""

    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.startswith(API_KEY_PREFIX):
            return None
        key = check_key(header[len(API_KEY_PREFIX) :].strip())
        if key is None:
            raise AuthenticationFailed("De API-sleutel is onbekend of ingetrokken.")
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser(), key

    def authenticate_header(self, request: Request) -> str:
        return "Api-Key"


class IsHandler(BasePermission):
    """A logged-in beheerder, analist or stadsdeelmanager (scope is applied per melding)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user.is_authenticated and (user.is_superuser or role_of(user) in HANDLER_ROLES))


class IsHandlerOrKeyCreates(IsHandler):
    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method == "POST" and isinstance(request.auth, ApiKey):
            return True
        return super().has_permission(request, view)


def _problems(*statuses: int) -> dict[Any, Any]:
    return {(code, PROBLEM_MEDIA_TYPE): ProblemSerializer for code in statuses}


T = TypeVar("T")


def _through_service(
    service: Callable[..., T], melding: Melding, user: Any, data: dict[str, Any]
) -> T:
    """Call a handling service; its refusals become a 400 naming the field, or a 403."""
    try:
        return service(melding, user=user, **data)
    except MeldingInvalid as exc:
        raise _invalid(exc) from exc
    except MeldingForbidden as exc:
        raise PermissionDenied(str(exc)) from exc


def _invalid(exc: MeldingInvalid, point: bool = True) -> serializers.ValidationError:
    # "location" is the service's name for "outside the municipality / no place given":
    # name the request's own fields instead
    where = "lat/lon" if point else "lat/lon of buurt_code"
    return serializers.ValidationError(
        {where if field == "location" else field: [msg] for field, msg in exc.errors.items()}
    )


class ApiKeyScheme(OpenApiAuthenticationExtension):  # type: ignore[misc]
    target_class = "veiligheidskaart.meldingen.api.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Authorization: Api-Key <sleutel> (veiligheidskaart apikey create)",
        }


class MeldingenView(ProblemMixin, APIView):
    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [IsHandler]
    renderer_classes = [Utf8JSONRenderer]

    def melding(self, request: Request, pk: int) -> Melding:
        melding = visible_meldingen(request.user).filter(pk=pk).first()
        if melding is None:
            raise NotFound("Deze melding bestaat niet of valt buiten uw stadsdelen.")
        return melding


INT_QUERY = {"type": int, "location": OpenApiParameter.QUERY}


class MeldingListView(MeldingenView):
    permission_classes = [IsHandlerOrKeyCreates]
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(
        operation_id="meldingen_list",
        summary="Meldingen binnen uw stadsdelen",
        parameters=[
            OpenApiParameter("status", enum=Status.values, **{"location": OpenApiParameter.QUERY}),
            OpenApiParameter("category", type=str, location=OpenApiParameter.QUERY),
            OpenApiParameter("limit", description=f"1–{PAGE_MAX}", **INT_QUERY),
            OpenApiParameter("offset", **INT_QUERY),
        ],
        responses={200: s.MeldingPageSerializer, **_problems(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        rows: QuerySet[Melding] = visible_meldingen(request.user)
        status = request.query_params.get("status")
        if status:
            if status not in Status.values:
                raise serializers.ValidationError({"status": ["Onbekende status."]})
            rows = rows.filter(status=status)
        category = request.query_params.get("category")
        if category:
            rows = rows.filter(category=category[:40])
        limit = _bounded(request, "limit", PAGE_DEFAULT, 1, PAGE_MAX)
        offset = _bounded(request, "offset", 0, 0, 10**9)
        page = rows.order_by("-received_at", "-pk")[offset : offset + limit]
        return Response(
            {"count": rows.count(), "results": s.MeldingSerializer(page, many=True).data}
        )

    @extend_schema(
        operation_id="meldingen_create",
        summary="Een melding indienen (zoals het formulier)",
        request=s.MeldingCreateSerializer,
        responses={201: s.CreatedSerializer, **_problems(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        data = s.MeldingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            melding = submit_melding(**data.validated_data, source=Source.API)
        except MeldingInvalid as exc:
            point = "lat" in data.validated_data or "lon" in data.validated_data
            raise _invalid(exc, point) from exc
        melding = Melding.objects.select_related("buurt", "wijk", "stadsdeel").get(pk=melding.pk)
        return Response(s.CreatedSerializer(melding).data, status=201)


def _bounded(request: Request, name: str, default: int, low: int, high: int) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise serializers.ValidationError({name: [f"Een geheel getal van {low} tot {high}."]})
    return int(text)


ID = OpenApiParameter("id", type=int, location=OpenApiParameter.PATH)


class MeldingDetailView(MeldingenView):
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        operation_id="meldingen_retrieve",
        summary="Eén melding met persoonsgegevens, geschiedenis en notities (inzage wordt gelogd)",
        parameters=[ID],
        responses={200: s.MeldingDetailSerializer, **_problems(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        melding = self.melding(request, pk)
        if melding.has_personal_data:
            log_personal_access(request.user, melding, "REST-API: melding geopend")
        melding = (
            Melding.objects.select_related("buurt", "wijk", "stadsdeel")
            .prefetch_related("history__user", "notes__user")
            .get(pk=melding.pk)
        )
        return Response(s.MeldingDetailSerializer(melding).data)


class MeldingStatusView(MeldingenView):
    http_method_names = ["post", "options"]

    @extend_schema(
        operation_id="meldingen_status",
        summary="De status wijzigen (volgens de overgangstabel), met een notitie",
        parameters=[ID],
        request=s.StatusChangeInputSerializer,
        responses={200: s.MeldingSerializer, **_problems(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        melding = self.melding(request, pk)
        data = s.StatusChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changed = _through_service(change_status, melding, request.user, data.validated_data)
        return Response(s.MeldingSerializer(changed).data)


class MeldingNotesView(MeldingenView):
    http_method_names = ["post", "options"]

    @extend_schema(
        operation_id="meldingen_notes_create",
        summary="Een interne of openbare notitie toevoegen",
        parameters=[ID],
        request=s.NoteInputSerializer,
        responses={201: s.NoteSerializer, **_problems(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        melding = self.melding(request, pk)
        data = s.NoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = _through_service(add_note, melding, request.user, data.validated_data)
        return Response(s.NoteSerializer(note).data, status=201)
