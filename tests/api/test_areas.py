"""/api/v1/areas/: GeoJSON of the home gemeente's areas, in WGS84 or RD."""

from __future__ import annotations

import json

import pytest
import shapely
from shapely.geometry import shape

from veiligheidskaart.areas.geometry import NL_WGS84_BOUNDS, RD_BOUNDS
from veiligheidskaart.areas.models import Area

pytestmark = pytest.mark.django_db

RD_URI = "<http://www.opengis.net/def/crs/EPSG/0/28992>"
CRS84_URI = "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"


def coordinates(collection: dict) -> list[tuple[float, float]]:
    points = []
    for feature in collection["features"]:
        points += shapely.get_coordinates(shape(feature["geometry"])).tolist()
    return points


@pytest.mark.parametrize(("level", "count"), [("buurt", 66), ("wijk", 14), ("stadsdeel", 5)])
def test_each_level_is_a_feature_collection_with_codes(client, level, count):
    response = client.get("/api/v1/areas/", {"level": level})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Crs"] == CRS84_URI
    body = json.loads(response.content)
    assert body["type"] == "FeatureCollection" and "crs" not in body
    assert len(body["features"]) == count
    for feature in body["features"]:
        props = feature["properties"]
        assert feature["type"] == "Feature" and feature["id"] == props["code"]
        assert set(props) == {"code", "name", "level", "vintage", "parent", "stadsdeel"}
        assert props["level"] == level and props["name"] and props["vintage"] == 2024
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_default_level_is_buurt_with_parent_and_stadsdeel_codes(client):
    features = json.loads(client.get("/api/v1/areas/").content)["features"]
    assert len(features) == 66
    buurt = Area.objects.select_related("parent", "stadsdeel").get(code=features[0]["id"])
    props = features[0]["properties"]
    assert props["parent"] == buurt.parent.code and props["parent"].startswith("WK9999")
    assert props["stadsdeel"] == buurt.stadsdeel.code and props["stadsdeel"].startswith("SD9999")


def test_wgs84_coordinates_lie_in_the_netherlands(client):
    points = coordinates(json.loads(client.get("/api/v1/areas/").content))
    x0, y0, x1, y1 = NL_WGS84_BOUNDS
    assert points and all(x0 <= x <= x1 and y0 <= y <= y1 for x, y in points)


def test_lower_zoom_is_simpler(client):
    def vertices(zoom: int) -> int:
        body = json.loads(client.get("/api/v1/areas/", {"zoom": zoom}).content)
        return len(coordinates(body))

    assert vertices(10) < vertices(16)


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ({"crs": "28992"}, {}),
        ({"crs": "EPSG:28992"}, {}),
        ({}, {"HTTP_ACCEPT_CRS": "EPSG:28992"}),
        ({}, {"HTTP_ACCEPT_CRS": RD_URI}),
    ],
)
def test_rd_by_parameter_or_header(client, query, headers):
    response = client.get("/api/v1/areas/", {"level": "wijk", **query}, **headers)
    assert response.status_code == 200
    assert response["Content-Crs"] == RD_URI
    body = json.loads(response.content)
    assert body["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::28992"
    points = coordinates(body)
    assert points and all(
        0 <= x <= 300_000 and RD_BOUNDS[1] <= y <= RD_BOUNDS[3] for x, y in points
    )


def test_rd_is_the_full_stored_geometry(client):
    body = json.loads(client.get("/api/v1/areas/", {"crs": "28992"}).content)
    for feature in body["features"][:5]:
        stored = Area.objects.get(code=feature["id"], vintage=2024).geometry()
        assert shape(feature["geometry"]).equals_exact(stored, tolerance=0.001)


def test_crs_parameter_wins_over_the_header(client):
    response = client.get("/api/v1/areas/", {"crs": "4326"}, HTTP_ACCEPT_CRS="EPSG:28992")
    assert response["Content-Crs"] == CRS84_URI


def test_plain_json_on_request(client):
    response = client.get("/api/v1/areas/", {"level": "stadsdeel"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert len(response.json()["features"]) == 5
