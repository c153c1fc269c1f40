"""Bad input on both APIs: oversized fields, wrong types, a place outside the municipality and
unknown categories each get a 400 whose body names the field (problem+json on /api/v1, the
Open311 error list on /open311), and nothing is stored."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from tests.helpers import table_counts
from tests.open311.conftest import PUBLIC_CATEGORY, SD_A, buurt_in, point_in

pytestmark = pytest.mark.django_db
OUTSIDE = (53.2194, 6.5665)  # Groningen: in the Netherlands, outside Demostad
ABROAD = (48.8566, 2.3522)


def _valid() -> dict[str, object]:
    lat, lon = point_in(SD_A)
    return {"category": PUBLIC_CATEGORY, "lat": lat, "lon": lon, "description": "Kapotte bank"}


# (case, changes to a valid body, the field named in the answer)
API_CASES = [
    ("description te lang", {"description": "x" * 2001}, "description"),
    ("categorie te lang", {"category": "x" * 41}, "category"),
    ("e-mail te lang", {"email": "a" * 250 + "@example.org"}, "email"),
    ("buurtcode te lang", {"lat": None, "lon": None, "buurt_code": "BU" * 20}, "buurt_code"),
    ("lat geen getal", {"lat": "noord"}, "lat"),
    ("lat een lijst", {"lat": [52.1]}, "lat"),
    ("lat buiten bereik", {"lat": 123.0}, "lat"),
    ("description een object", {"description": {"a": 1}}, "description"),
    ("categorie een lijst", {"category": ["afval"]}, "category"),
    ("email ongeldig", {"email": "geen-adres"}, "email"),
    ("buiten de gemeente", {"lat": OUTSIDE[0], "lon": OUTSIDE[1]}, "lat/lon"),
    ("buitenland", {"lat": ABROAD[0], "lon": ABROAD[1]}, "lat/lon"),
    ("onbekende categorie", {"category": "ufo_gezien"}, "category"),
    ("onbekende buurt", {"lat": None, "lon": None, "buurt_code": "BU00000000"}, "buurt_code"),
    ("geen plek", {"lat": None, "lon": None}, "lat/lon of buurt_code"),
]


@pytest.mark.parametrize(("case", "change", "field"), API_CASES, ids=[c[0] for c in API_CASES])
def test_private_api_refuses_bad_input_naming_the_field(world, case, change, field):
    body = {k: v for k, v in {**_valid(), **change}.items() if v is not None}
    before = table_counts()
    response = world.client("beheerder").post(
        "/api/v1/meldingen/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert field in [p["name"] for p in problem["invalid_params"]]
    assert table_counts() == before


def test_private_api_refuses_a_body_that_is_not_json(world):
    before = table_counts()
    response = world.client("beheerder").post(
        "/api/v1/meldingen/", b"{kapot", content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert table_counts() == before


OPEN311_CASES = [
    ("description te lang", {"description": "x" * 2001}, "description"),
    ("service_code te lang", {"service_code": "x" * 41}, "service_code"),
    ("e-mail te lang", {"email": "a" * 250 + "@example.org"}, "email"),
    ("telefoon te lang", {"phone": "0" * 33}, "phone"),
    ("attribuut te lang", {"attribute[x]": "y" * 201}, "attribute[x]"),
    ("address_string te lang", {"lat": None, "long": None, "address_string": "x" * 201},
     "address_string"),
    ("lat geen getal", {"lat": "noord"}, "lat"),
    ("long geen getal", {"long": "1e999"}, "long"),
    ("buiten de gemeente", {"lat": OUTSIDE[0], "long": OUTSIDE[1]}, "lat/long"),
    ("buitenland", {"lat": ABROAD[0], "long": ABROAD[1]}, "lat/long"),
    ("onbekende categorie", {"service_code": "ufo_gezien"}, "service_code"),
    ("onbekende buurt", {"lat": None, "long": None, "address_string": "Atlantis"},
     "address_string"),
    ("geen plek", {"lat": None, "long": None}, "lat/long of address_string"),
    ("email ongeldig", {"email": "geen-adres"}, "email"),
    ("jurisdictie", {"jurisdiction_id": "GM0363"}, "jurisdiction_id"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "change", "field"), OPEN311_CASES, ids=[c[0] for c in OPEN311_CASES]
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_refuses_bad_input_naming_the_field(world, fmt, case, change, field):
    valid = _valid()
    fields = {"api_key": world.api_key, "service_code": valid["category"], "lat": valid["lat"],
              "long": valid["lon"], "description": valid["description"], **change}  # fmt: skip
    body = urlencode({k: v for k, v in fields.items() if v is not None})
    before = table_counts()
    client = world.client("anoniem")
    response = client.generic("POST", f"/open311/v2/requests.{fmt}", body.encode(),
                              content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert response.status_code in (400, 404), response.content
    text = response.content.decode()
    if fmt == "json":
        descriptions = [e["description"] for e in json.loads(text)]
    else:
        from xml.etree import ElementTree as ET

        descriptions = [e.findtext("description") for e in ET.fromstring(response.content)]
    assert any(d.startswith(f"{field}:") for d in descriptions), descriptions
    assert table_counts() == before


def test_a_valid_request_is_stored_so_the_cases_above_test_something(world):
    before = table_counts()["meldingen.Melding"]
    response = world.client("beheerder").post(
        "/api/v1/meldingen/", json.dumps(_valid()), content_type="application/json"
    )
    assert response.status_code == 201
    body = urlencode({"api_key": world.api_key, "service_code": PUBLIC_CATEGORY,
                      "address_string": buurt_in(SD_A).code})  # fmt: skip
    response = world.client("anoniem").generic(
        "POST", "/open311/v2/requests.json", body.encode(),
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 201
    assert table_counts()["meldingen.Melding"] == before + 2
