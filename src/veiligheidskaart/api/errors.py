"""RFC 9457 problem details (application/problem+json) for every API error.

Members: ``type`` (always ``about:blank``: the status code says it all), ``title`` (Dutch
status phrase), ``status``, ``detail`` (Dutch, for people), ``instance`` (the request path)
and, for a bad parameter, ``invalid_params``: ``[{"name": ..., "reason": ...}]``.

DRF views get the problem body from :func:`exception_handler` through :class:`ProblemMixin`;
plain Django views and URL misses under /api/ use :func:`problem_response`.
:func:`page_not_found` and :func:`server_error` can serve as the root ``handler404`` and
``handler500``: they answer problem+json under /api/ and Django's HTML pages elsewhere.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import set_rollback

from veiligheidskaart.api.renderers import PROBLEM_MEDIA_TYPE, ProblemRenderer

logger = logging.getLogger("veiligheidskaart.api")

PROBLEM_TYPE = "about:blank"
API_PREFIX = "/api/"
TITLES = {
    400: "Ongeldige aanvraag",
    401: "Niet aangemeld",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Formaat niet beschikbaar",
    415: "Mediatype niet ondersteund",
    429: "Te veel aanvragen",
    500: "Interne fout",
}
SERVER_ERROR_DETAIL = "Er ging iets mis bij het verwerken van de aanvraag; de fout is gelogd."


class ParameterError(exceptions.APIException):
    """400 for one bad request parameter; ``parameter`` is the name the client used."""

    status_code = 400
    default_code = "invalid_parameter"

    def __init__(self, parameter: str, reason: str) -> None:
        super().__init__(reason)
        self.parameter = parameter
        self.reason = reason


def problem_body(
    status: int, detail: str, instance: str = "", invalid_params: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE,
        "title": TITLES.get(status, "Fout"),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if invalid_params:
        body["invalid_params"] = invalid_params
    return body


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF exception handler: every exception becomes a problem response, 500 included."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        logger.error("API-fout bij %s", instance, exc_info=exc)
        set_rollback()
        return _response(problem_body(500, SERVER_ERROR_DETAIL, instance), 500, {})
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    set_rollback()
    body = problem_body(exc.status_code, _detail_text(exc.detail), instance, _invalid_params(exc))
    return _response(body, exc.status_code, headers)


def _response(body: dict[str, Any], status: int, headers: dict[str, str]) -> Response:
    response = Response(body, status=status, headers=headers)
    response.is_problem = True
    return response


def _detail_text(detail: Any) -> str:
    if isinstance(detail, dict):
        return " ".join(f"{key}: {_detail_text(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_detail_text(item) for item in detail)
    return str(detail)


def _invalid_params(exc: exceptions.APIException) -> list[dict[str, str]] | None:
    if isinstance(exc, ParameterError):
        return [{"name": exc.parameter, "reason": exc.reason}]
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        return [{"name": str(k), "reason": _detail_text(v)} for k, v in exc.detail.items()]
    return None


class ProblemMixin:
    """For DRF views: our exception handler, and problem+json whatever the Accept header."""

    def get_exception_handler(self) -> Any:
        return exception_handler

    def finalize_response(
        self, request: Request, response: HttpResponse, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if getattr(response, "is_problem", False):
            response.accepted_renderer = ProblemRenderer()
            response.accepted_media_type = PROBLEM_MEDIA_TYPE
        return response


def problem_response(
    request: HttpRequest,
    status: int,
    detail: str,
    invalid_params: list[dict[str, str]] | None = None,
) -> JsonResponse:
    """A problem response outside DRF (URL misses, root error handlers)."""
    body = problem_body(status, detail, request.path, invalid_params)
    return JsonResponse(
        body,
        status=status,
        content_type=PROBLEM_MEDIA_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Catch-all for unknown paths under /api/v1/."""
    return problem_response(request, 404, f"Het adres {request.path} bestaat niet in de API.")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Root handler404: problem+json under /api/, Django's page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return not_found(request)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """Root handler500: problem+json under /api/, Django's page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return problem_response(request, 500, SERVER_ERROR_DETAIL)
    return defaults.server_error(request)
