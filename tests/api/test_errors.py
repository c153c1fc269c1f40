"""Every API error is RFC 9457 problem+json; the API is read-only."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from tests.api import assert_problem
from veiligheidskaart.api import errors, payloads

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/areas/",
    "/api/v1/areas/WK999901/series/",
    "/api/v1/catalogue/",
    "/api/v1/indicators/",
    "/api/v1/indicators/geweld/",
    "/api/v1/map-layer/",
    "/api/v1/priorities/",
]


@pytest.mark.parametrize(
    ("url", "query", "parameter"),
    [
        ("/api/v1/areas/", {"level": "gemeente"}, "level"),
        ("/api/v1/areas/", {"zoom": "12"}, "zoom"),
        ("/api/v1/areas/", {"crs": "3857"}, "crs"),
        ("/api/v1/map-layer/", {"indicator": "bestaat_niet"}, "indicator"),
        ("/api/v1/map-layer/", {"indicator": "woonoverlast"}, "indicator"),
        ("/api/v1/map-layer/", {"indicator": "<script>"}, "indicator"),
        ("/api/v1/map-layer/", {"period": "vorig jaar"}, "period"),
        ("/api/v1/map-layer/", {"period": "2024-13..2024-14"}, "period"),
        ("/api/v1/map-layer/", {"period": "2024-06..2024-01"}, "period"),
        ("/api/v1/map-layer/", {"period": "0000"}, "period"),
        ("/api/v1/map-layer/", {"period": "9999-H2"}, "period"),
        ("/api/v1/map-layer/", {"period": "1990-01..2024-12"}, "period"),
        ("/api/v1/map-layer/", {"period": "2031"}, "period"),
        ("/api/v1/map-layer/", {"level": "land"}, "level"),
        ("/api/v1/map-layer/", {"smoothed": "misschien"}, "smoothed"),
        ("/api/v1/map-layer/", {"method": "equal_interval"}, "method"),
        ("/api/v1/areas/WK999901/series/", {"indicator": "x" * 100}, "indicator"),
    ],
)
def test_bad_parameter_is_400_naming_it(client, url, query, parameter):
    body = assert_problem(client.get(url, query), 400, parameter)
    assert body["instance"] == url


def test_unknown_accept_crs_header_is_400_naming_the_header(client):
    response = client.get("/api/v1/areas/", HTTP_ACCEPT_CRS="EPSG:3857")
    assert_problem(response, 400, "Accept-Crs")


def test_messages_are_dutch(client):
    body = assert_problem(client.get("/api/v1/areas/", {"level": "gemeente"}), 400, "level")
    assert body["title"] == "Ongeldige aanvraag" and "kies uit" in body["detail"]
    body = assert_problem(client.get("/api/v1/bestaat-niet/"), 404)
    assert body["title"] == "Niet gevonden" and "bestaat niet" in body["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/bestaat-niet/",
        "/api/v1/areas/x/y/z/",
        "/api/v1/indicators/bestaat_niet/",
        "/api/v1/areas/BU00000000/series/",
        "/api/v1/areas/BU%00/series/",  # a NUL would break a PostgreSQL query
        "/api/v1/indicators/ge%00weld/",
    ],
)
def test_not_found_is_problem_json(client, url):
    assert_problem(client.get(url), 404)


def test_missing_slash_redirects_to_the_endpoint(client):
    response = client.get("/api/v1/areas")
    assert response.status_code == 301 and response["Location"].endswith("/api/v1/areas/")


@pytest.mark.parametrize("url", [*ENDPOINTS, "/api/v1/schema/", "/api/v1/docs/"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405(client, url, method):
    response = getattr(client, method)(url, data="{}", content_type="application/json")
    assert_problem(response, 405)
    assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("url", ENDPOINTS)
def test_head_and_options(client, url):
    assert client.head(url).status_code == 200
    assert client.options(url).status_code == 200


@pytest.mark.parametrize("url", [*ENDPOINTS, "/api/v1/schema/"])
def test_unavailable_format_is_406(client, url):
    assert_problem(client.get(url, HTTP_ACCEPT="text/csv"), 406)


def test_unexpected_error_is_500_without_internals(client, monkeypatch, caplog):
    def broken(*args: object) -> None:
        raise RuntimeError("geheime details")

    monkeypatch.setattr(payloads, "area_collection", broken)
    body = assert_problem(client.get("/api/v1/areas/"), 500)
    assert "geheime" not in body["detail"] and body["title"] == "Interne fout"
    assert "geheime details" in caplog.text  # logged for the operator


def test_root_handlers_answer_problem_json_under_api_only():
    factory = RequestFactory()
    api = errors.page_not_found(factory.get("/api/v2/x"))
    assert api.status_code == 404 and api["Content-Type"] == "application/problem+json"
    assert errors.server_error(factory.get("/api/v1/x")).status_code == 500
    page = errors.page_not_found(factory.get("/bestaat-niet"), Exception("x"))
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
    assert errors.server_error(factory.get("/kaart"))["Content-Type"].startswith("text/html")


def test_schema_and_docs_are_served_offline(client):
    schema = client.get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/areas/", "/api/v1/map-layer/", "/api/v1/areas/{code}/series/"} <= set(paths)
    problem = paths["/api/v1/map-layer/"]["get"]["responses"]["400"]["content"]
    assert "application/problem+json" in problem
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    assert (
        b"cdn" not in docs.content.lower() and b"/static/drf_spectacular_sidecar/" in docs.content
    )
