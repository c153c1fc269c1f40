"""/api/v1/map-layer/: exactly layer_payload(map_layer(...)), with a strong ETag."""

from __future__ import annotations

import json
import re

import pytest

from tests.api import assert_problem
from veiligheidskaart.observations.judge import latest_complete_year
from veiligheidskaart.observations.layers import layer_payload, map_layer
from veiligheidskaart.observations.queries import home_gemeente
from veiligheidskaart.sources.models import Dataset

pytestmark = pytest.mark.django_db
URL = "/api/v1/map-layer/"


def direct(
    indicator: str,
    period: str,
    level: str = "buurt",
    smoothed: bool = False,
    method: str = "quantiles",
) -> dict:
    """The payload from the layer functions themselves, through JSON like the response."""
    layer = map_layer(home_gemeente(), indicator, period, level, smoothed, method)
    return json.loads(json.dumps(layer_payload(layer, period)))


def test_default_layer_is_total_crime_per_buurt_in_the_latest_complete_year(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    year = latest_complete_year(home_gemeente())
    assert year == 2024
    body = response.json()
    assert body == direct("misdrijven_totaal", "2024")
    assert len(body["features"]) == 66 and body["level"] == "buurt"
    assert body["indicator"]["code"] == "misdrijven_totaal" and body["period"]["code"] == "2024"


@pytest.mark.parametrize(
    "query",
    [
        {"indicator": "geweld", "period": "2023", "level": "wijk"},
        {"indicator": "woninginbraak", "period": "2024-H2", "smoothed": "true"},
        {"indicator": "fietsdiefstal", "period": "2024-01..2024-06", "method": "natural_breaks"},
        {"indicator": "jeugdoverlast", "period": "2024", "level": "stadsdeel"},
    ],
)
def test_layer_equals_the_numbers_of_map_layer(client, query):
    body = client.get(URL, query).json()
    expected = direct(
        query["indicator"],
        query["period"],
        query.get("level", "buurt"),
        query.get("smoothed") == "true",
        query.get("method", "quantiles"),
    )
    rates = {f["code"]: f["rate"] for f in body["features"]}
    assert rates == {f["code"]: f["rate"] for f in expected["features"]}
    if query.get("method") == "natural_breaks":
        # mapclassify.NaturalBreaks is k-means with a random start: its breaks (and so the
        # classes) differ between two calls of map_layer; everything else must be equal
        for payload in (body, expected):
            payload.pop("classes")
            for feature in payload["features"]:
                feature.pop("class")
    assert body == expected


def test_numbers_are_dot_decimals_even_in_dutch(client):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="nl")
    assert re.search(rb'"rate":\d+\.\d+', response.content)
    assert not re.search(rb'"rate":\d+,\d', response.content)


def test_strong_etag_and_304(client):
    first = client.get(URL)
    etag = first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{40}"', etag)  # strong: no W/ prefix
    assert client.get(URL)["ETag"] == etag  # stable
    again = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    for header in (f'"other", {etag}', f"W/{etag}", "*"):
        assert client.get(URL, HTTP_IF_NONE_MATCH=header).status_code == 304
    assert client.get(URL, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_etag_changes_with_the_layer(client):
    tags = {
        client.get(URL, query)["ETag"]
        for query in ({}, {"level": "wijk"}, {"smoothed": "true"}, {"period": "2023"})
    }
    assert len(tags) == 4
    stale = client.get(URL)["ETag"]
    assert client.get(URL, {"level": "wijk"}, HTTP_IF_NONE_MATCH=stale).status_code == 200


def test_head_gives_the_etag_without_a_body(client):
    response = client.head(URL)
    assert response.status_code == 200 and response.content == b""
    assert response["ETag"] == client.get(URL)["ETag"]


def test_sensitive_theme_is_public_per_wijk_only(client):
    # burengerucht belongs to huiselijk geweld, a sensitive theme (DESIGN §6 Suppression)
    assert_problem(client.get(URL, {"indicator": "burengerucht"}), 400, "level")
    assert_problem(client.get(URL, {"indicator": "verwarde_personen"}), 400, "level")
    assert client.get(URL, {"indicator": "burengerucht", "level": "wijk"}).status_code == 200


def test_a_closed_source_is_not_served(client):
    Dataset.objects.filter(table_id="47022NED").update(classification="intern")
    body = assert_problem(client.get(URL), 400, "indicator")
    assert "niet openbaar" in body["detail"]
