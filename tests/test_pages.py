"""The pages render for the public and the admin works for the demo admin."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


def map_data(html: str) -> dict:
    match = re.search(r'<script id="kaart-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "kaart-data json_script ontbreekt"
    return json.loads(match.group(1))


def test_kaart_serves_buurten_with_legend_and_hatching(client):
    response = client.get("/kaart")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Legenda" in html and "geen zinvol tarief" in html and "fictieve gemeente" in html
    data = map_data(html)
    assert len(data["features"]) >= 60
    small = [f for f in data["features"] if (f["properties"]["denominator"] or 0) < 200]
    assert small and all(f["properties"]["class"] == -1 for f in small)
    assert all(f["properties"]["status"] == "geen zinvol tarief" for f in small)
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in data["features"])


def test_rates_in_the_map_data_are_dot_decimal_numbers(client):
    data = map_data(client.get("/kaart").content.decode())
    rates = [
        f["properties"]["value"] for f in data["features"] if f["properties"]["value"] is not None
    ]
    assert rates and all(isinstance(r, float | int) for r in rates)


def test_root_redirects_to_the_map(client):
    assert client.get("/")["Location"] == "/kaart"


@pytest.mark.parametrize(
    "url",
    [
        "/beheer/",
        "/beheer/areas/area/",
        "/beheer/catalogue/indicator/",
        "/beheer/sources/dataset/",
        "/beheer/observations/observation/",
    ],
)
def test_admin_pages_for_the_demo_admin(client, url):
    client.force_login(User.objects.get(username="demo-beheerder"))
    assert client.get(url).status_code == 200


def test_admin_requires_login(client):
    assert client.get("/beheer/").status_code == 302


@pytest.mark.parametrize(
    ("query", "count", "heading"),
    [
        ("?indicator=woninginbraak&periode=2024", 66, "Woninginbraak per buurt, 2024"),
        ("?indicator=jeugdoverlast&periode=2024-H2&niveau=wijk", 14, "2e halfjaar 2024"),
        ("?periode=2024-01..2024-06&niveau=stadsdeel&tarief=gladgestreken", 5, "stadsdeel"),
    ],
)
def test_the_url_carries_indicator_period_and_level(client, query, count, heading):
    response = client.get("/kaart" + query)
    html = response.content.decode()
    assert response.status_code == 200 and heading in html
    assert len(map_data(html)["features"]) == count


def test_smoothed_rates_are_labelled_and_differ_from_raw(client):
    raw = map_data(client.get("/kaart?indicator=woninginbraak").content.decode())
    smooth = map_data(
        client.get("/kaart?indicator=woninginbraak&tarief=gladgestreken").content.decode()
    )
    assert smooth["smoothed"] and not raw["smoothed"]
    pairs = [(a["properties"]["value"], b["properties"]["value"])
             for a, b in zip(raw["features"], smooth["features"], strict=True)
             if a["properties"]["value"] is not None]  # fmt: skip
    assert any(abs(a - b) > 1e-6 for a, b in pairs)


def test_bad_period_is_explained_in_dutch(client):
    response = client.get("/kaart?periode=vorige-week")
    assert response.status_code == 400
    assert "onbekende periode" in response.content.decode()


def test_sensitive_theme_is_shown_per_wijk_to_the_public(client):
    html = client.get("/kaart?indicator=jeugdoverlast&niveau=buurt").content.decode()
    assert "alleen per wijk" in html
    assert len(map_data(html)["features"]) == 14


def test_natural_breaks_are_deterministic(client):
    url = "/kaart?indicator=woninginbraak&klassen=natural_breaks"
    first = map_data(client.get(url).content.decode())["classes"]
    assert first == map_data(client.get(url).content.decode())["classes"]


def test_pages_stay_dutch_for_an_english_browser(client):
    """Month names and thousands separators follow nl, whatever Accept-Language says."""
    html = client.get("/kaart", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    months = re.findall(r"gepubliceerd \d{1,2} ([A-Za-z]+) \d{4}", html)
    english = {"January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"}  # fmt: skip
    assert months and not set(months) & english
    assert all(m == m.lower() for m in months)
