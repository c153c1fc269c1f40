"""Rate limiting: per client IP, shared store (database cache), 429 with Retry-After in the
endpoint's own error format, X-Forwarded-For only from trusted proxies."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory

from veiligheidskaart.api import ratelimit
from veiligheidskaart.api.ratelimit import CACHE_ALIAS, CACHE_TABLE, client_ip, hit, limit_for

pytestmark = [pytest.mark.django_db, pytest.mark.ratelimit]


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch):
    monkeypatch.setattr(ratelimit, "clock", lambda: 6_000_000.0)


def test_the_store_is_the_database_cache_and_migrate_made_its_table():
    assert caches[CACHE_ALIAS].__class__.__name__ == "DatabaseCache"
    assert CACHE_TABLE in connection.introspection.table_names()


@pytest.mark.parametrize(
    ("method", "path", "name"),
    [
        ("POST", "/meldingen/nieuw", "melding-formulier"),
        ("POST", "/meldingen/nieuw/", "melding-formulier"),
        ("GET", "/meldingen/nieuw", None),
        ("GET", "/meldingen/ABCD-EFGH-JKLM", "statuspagina"),
        ("GET", "/meldingen/inbox", None),
        ("GET", "/meldingen/inbox/12", None),
        ("POST", "/open311/v2/requests.json", "open311-melden"),
        ("POST", "/open311/v2/requests.xml", "open311-melden"),
        ("GET", "/open311/v2/requests.json", "open311-lezen"),
        ("GET", "/open311/v2/services.xml", "open311-lezen"),
        ("POST", "/api/v1/meldingen/", "api-meldingen-schrijven"),
        ("GET", "/kaart", None),
    ],
)
def test_which_requests_are_limited(method, path, name):
    limit = limit_for(method, path)
    assert (limit.name if limit else None) == name


def test_counting_per_ip_and_window():
    limit = limit_for("POST", "/meldingen/nieuw")
    assert limit.requests == 10 and limit.window_s == 600
    now = 600 * 1000 + 10.0
    assert all(hit(limit, "192.0.2.1", now) is None for _ in range(10))
    assert hit(limit, "192.0.2.1", now) == 590  # seconds left in the window
    assert hit(limit, "192.0.2.2", now) is None  # another client has its own count
    assert hit(limit, "192.0.2.1", now + 590) is None  # the next window starts afresh


def test_the_factor_raises_every_limit(settings):
    settings.VK_RATE_LIMIT_FACTOR = 3
    limit = limit_for("POST", "/meldingen/nieuw")
    assert all(hit(limit, "192.0.2.9", 5.0) is None for _ in range(30))
    assert hit(limit, "192.0.2.9", 5.0) is not None


def _exhaust(client, method, path, limit_name, **extra):
    limit = next(lim for lim in ratelimit.LIMITS if lim.name == limit_name)
    for _ in range(limit.requests):
        hit(limit, extra.get("REMOTE_ADDR", "127.0.0.1"))
    return getattr(client, method)(path, **extra)


def test_open311_gets_429_in_the_spec_error_format_json_and_xml(client):
    response = _exhaust(client, "get", "/open311/v2/services.json", "open311-lezen")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    body = response.json()
    assert body[0]["code"] == 429 and "Te veel aanvragen" in body[0]["description"]
    response = client.get("/open311/v2/services.xml")
    assert response.status_code == 429
    assert b"<errors><error><code>429</code>" in response.content


def test_api_gets_429_as_problem_json(client):
    response = _exhaust(client, "post", "/api/v1/meldingen/", "api-meldingen-schrijven")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 429 and response["Retry-After"]


def test_form_and_status_page_get_429_page(client):
    response = _exhaust(client, "post", "/meldingen/nieuw", "melding-formulier")
    assert response.status_code == 429 and response["Retry-After"]
    assert "Te veel aanvragen" in response.content.decode()
    response = _exhaust(client, "get", "/meldingen/ABCDEFGH", "statuspagina")
    assert response.status_code == 429


def test_another_ip_is_not_limited_by_the_first(client):
    _exhaust(client, "get", "/open311/v2/services.json", "open311-lezen")
    other = client.get("/open311/v2/services.json", REMOTE_ADDR="192.0.2.44")
    assert other.status_code != 429


def test_a_spoofed_forwarded_header_is_ignored_without_trusted_proxies(client):
    _exhaust(client, "get", "/open311/v2/services.json", "open311-lezen")
    spoofed = client.get("/open311/v2/services.json", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert spoofed.status_code == 429


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.5", "", [], "203.0.113.5"),
        ("203.0.113.5", "198.51.100.7", [], "203.0.113.5"),
        ("10.0.0.1", "198.51.100.7", ["10.0.0.1"], "198.51.100.7"),
        ("10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.9", ["10.0.0.0/8"], "198.51.100.7"),
        ("10.0.0.1", "2001:db8::1", ["10.0.0.0/8"], "2001:db8::1"),
        ("10.0.0.1", "niet-een-ip", ["10.0.0.0/8"], "10.0.0.1"),
        ("10.0.0.1", "", ["10.0.0.0/8"], "10.0.0.1"),
        ("10.0.0.1", "10.0.0.2, 10.0.0.3", ["10.0.0.0/8"], "10.0.0.2"),
    ],
)
def test_client_ip(settings, remote, forwarded, trusted, expected):
    settings.VK_TRUSTED_PROXIES = trusted
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **extra)
    assert client_ip(request) == expected
