"""Rate limiting per client IP on the public endpoints, in a store shared by all workers.

The limits are data (:data:`LIMITS`): which method and path, how many requests per window,
and in which error format a refusal is answered (problem+json under /api/, Open311's error
list under /open311/, a short Dutch page elsewhere), always with status 429 and
``Retry-After``.

The counter lives in Django's database cache (the ``ratelimit`` alias), so every gunicorn
worker and every server on the same database shares it. Its table is made on
``post_migrate`` (:func:`create_cache_table`), so a bare ``migrate`` and the demo have it.
Windows are fixed (the count resets at each multiple of the window). The database cache's
``incr`` is a read and a write, not one statement: two requests at the same moment can both
read the same count, so the limit may let a few more requests through under a burst, never
fewer. That is the right way round for abuse protection on a shared store.

The client IP is ``REMOTE_ADDR``; ``X-Forwarded-For`` counts only when the peer is one of
``VK_TRUSTED_PROXIES`` (IPs or CIDRs), read right to left up to the first untrusted hop, so
a client cannot choose its own address by sending the header itself.

``VK_RATE_LIMIT_FACTOR`` (default 1) multiplies every limit: tests and load tests raise it.
Logs name the limit only, never the IP (an IP address is personal data).
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("veiligheidskaart.ratelimit")

CACHE_ALIAS = "ratelimit"
CACHE_TABLE = "vk_ratelimit_cache"
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Limit:
    name: str
    methods: frozenset[str]
    path: re.Pattern[str]
    requests: int  # allowed per window and client IP, before VK_RATE_LIMIT_FACTOR
    window_s: int
    style: str  # "problem" | "open311" | "page"


def _limit(name: str, methods: str, path: str, requests: int, window_s: int, style: str) -> Limit:
    return Limit(name, frozenset(methods.split()), re.compile(path), requests, window_s, style)


READ = "GET HEAD"
LIMITS: tuple[Limit, ...] = (
    _limit("melding-formulier", "POST", r"^/meldingen/nieuw/?$", 10, 600, "page"),
    _limit("aandachtspunt-formulier", "POST", r"^/aandachtspunten/nieuw/?$", 10, 600, "page"),
    # the status page is the one place a guessed tracking code would pay off: keep it tight
    _limit("statuspagina", READ, r"^/meldingen/(?!nieuw/?$|inbox(/|$))[^/]+/?$", 30, 60, "page"),
    _limit("open311-melden", "POST", r"^/open311/v2/requests\.(json|xml)$", 30, 600, "open311"),
    _limit("open311-lezen", READ, r"^/open311/", 120, 60, "open311"),
    _limit("api-meldingen-schrijven", "POST", r"^/api/v1/meldingen/", 120, 60, "problem"),
)


def limit_for(method: str, path: str) -> Limit | None:
    return next((lim for lim in LIMITS if method in lim.methods and lim.path.search(path)), None)


# --- client IP --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(address: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def _trusted(address: IPAddress | None) -> bool:
    networks = _networks(tuple(settings.VK_TRUSTED_PROXIES))
    return address is not None and any(address in net for net in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For behind a trusted proxy.

    >>> from django.test import RequestFactory, override_settings
    >>> request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2",
    ...                                HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    >>> client_ip(request)  # no trusted proxies: the header is ignored
    '10.0.0.2'
    >>> with override_settings(VK_TRUSTED_PROXIES=["10.0.0.0/8"]):
    ...     client_ip(request)  # the rightmost untrusted hop, not the spoofable first one
    '203.0.113.7'
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted(_parse(remote)):
        return remote
    current = remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([h.strip() for h in forwarded if h.strip()]):
        address = _parse(hop)
        if address is None:  # garbage in the header: stop at the last hop we could trust
            break
        current = str(address)
        if not _trusted(address):
            break
    return current


# --- counting ---------------------------------------------------------------------------------

clock = time.time  # tests pin it, so a window boundary cannot fall inside a test


def factor() -> float:
    return float(getattr(settings, "VK_RATE_LIMIT_FACTOR", 1.0))


def allowed(limit: Limit) -> int:
    return max(1, math.floor(limit.requests * factor()))


def hit(limit: Limit, ip: str, now: float | None = None) -> int | None:
    """Count one request; None when allowed, else the seconds until the window resets."""
    now = clock() if now is None else now
    window = int(now // limit.window_s)
    key = f"rl:{limit.name}:{window}:{ip}"
    cache = caches[CACHE_ALIAS]
    cache.add(key, 0, timeout=limit.window_s + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.window_s + 5)
        count = 1
    if count <= allowed(limit):
        return None
    return max(1, math.ceil((window + 1) * limit.window_s - now))


# --- the middleware and its answers -----------------------------------------------------------


def _too_many(request: HttpRequest, limit: Limit, retry_after: int) -> HttpResponse:
    detail = f"Te veel aanvragen vanaf dit adres; probeer het over {retry_after} seconden opnieuw."
    response: HttpResponse
    if limit.style == "open311":
        from veiligheidskaart.meldingen.open311_format import error_response, format_of

        response = error_response(format_of(request.path), [(429, detail)], 429)
    elif limit.style == "problem":
        from veiligheidskaart.api.errors import problem_response

        response = problem_response(request, 429, detail)
    else:
        response = HttpResponse(
            '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
            "<title>Te veel aanvragen – Veiligheidskaart</title></head><body><main>"
            f"<h1>Te veel aanvragen</h1><p>{detail}</p></main></body></html>",
            status=429,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Refuse a client over its limit with 429 before any view or database write runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = limit_for(request.method or "", request.path)
        if limit is not None:
            retry_after = hit(limit, client_ip(request))
            if retry_after is not None:
                logger.warning("limiet '%s' bereikt", limit.name)
                return _too_many(request, limit, retry_after)
        return self.get_response(request)


def create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """post_migrate: the database cache's table, so a bare ``migrate`` has the shared store."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
