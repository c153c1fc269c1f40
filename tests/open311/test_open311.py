"""Open311 GeoReport v2, tested with raw requests written from the spec: form-encoded POST
bodies, the format as the path's extension, JSON and XML answers (the XML parsed)."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from tests.helpers import table_counts
from tests.open311.conftest import PRIVATE_CATEGORY, PUBLIC_CATEGORY, SD_A, buurt_in, point_in
from veiligheidskaart.accounts.apikeys import revoke_key
from veiligheidskaart.meldingen import registry
from veiligheidskaart.meldingen.models import Melding, Source
from veiligheidskaart.meldingen.routing import to_wgs84
from veiligheidskaart.meldingen.services import TRACKING_RE, add_note, submit_melding

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
FORM = "application/x-www-form-urlencoded"
REQUEST_FIELDS = {
    "service_request_id", "status", "service_code", "service_name", "requested_datetime",
    "address", "lat", "long",
}  # fmt: skip


def raw_post(path: str, body: str) -> object:
    """POST exactly these bytes, as a client following the spec sends them."""
    return Client().generic("POST", path, body.encode(), content_type=FORM)


def xml_rows(content: bytes, root: str, item: str) -> list[dict[str, str]]:
    assert content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    tree = ET.fromstring(content)
    assert tree.tag == root
    assert all(child.tag == item for child in tree)
    return [{field.tag: field.text or "" for field in child} for child in tree]


def test_services_in_json_and_xml():
    response = Client().get(f"{BASE}/services.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    services = json.loads(response.content)
    assert [s["service_code"] for s in services] == [c.code for c in registry.categories()]
    first = services[0]
    assert set(first) == {"service_code", "service_name", "description", "metadata", "type",
                          "keywords", "group"}  # fmt: skip
    assert first["metadata"] is False and first["type"] == "realtime"
    response = Client().get(f"{BASE}/services.xml")
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    rows = xml_rows(response.content, "services", "service")
    assert [r["service_code"] for r in rows] == [s["service_code"] for s in services]
    assert rows[0]["metadata"] == "false"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_a_request_with_a_point(world, fmt):
    lat, lon = point_in(SD_A)
    body = urlencode({"api_key": world.api_key, "service_code": "omgeving_vernieling",
                      "lat": f"{lat:.6f}", "long": f"{lon:.6f}",
                      "description": "Bushokje vernield", "email": "iemand@example.org",
                      "first_name": "Jan", "phone": "0612345678"})  # fmt: skip
    response = raw_post(f"{BASE}/requests.{fmt}", body)
    assert response.status_code == 201
    if fmt == "json":
        (row,) = json.loads(response.content)
    else:
        (row,) = xml_rows(response.content, "service_requests", "request")
        row["account_id"] = row["account_id"] or None
    assert set(row) == {"service_request_id", "service_notice", "account_id"}
    assert row["account_id"] is None
    code = row["service_request_id"]
    assert TRACKING_RE.fullmatch(code)
    melding = Melding.objects.get(tracking_code=code)
    assert melding.source == Source.OPEN311
    assert melding.category == "omgeving_vernieling" and melding.stadsdeel.code == SD_A
    assert melding.description == "Bushokje vernield" and melding.email == "iemand@example.org"


@pytest.mark.parametrize("address", ["buurtcode", "buurtnaam"])
def test_post_a_request_with_an_address_string_naming_a_buurt(world, address):
    buurt = buurt_in(SD_A)
    where = buurt.code if address == "buurtcode" else buurt.name.upper()
    body = urlencode({"api_key": world.api_key, "service_code": PUBLIC_CATEGORY,
                      "address_string": where})  # fmt: skip
    response = raw_post(f"{BASE}/requests.json", body)
    assert response.status_code == 201, response.content
    code = json.loads(response.content)[0]["service_request_id"]
    melding = Melding.objects.get(tracking_code=code)
    assert melding.buurt_id == buurt.pk and melding.x_rd is None


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("key", [None, "", "verzonnen-sleutel", "revoked"])
def test_post_without_a_valid_api_key_is_403_and_stores_nothing(world, fmt, key):
    if key == "revoked":
        revoke_key("test-app")
        key = world.api_key
    fields = {"service_code": PUBLIC_CATEGORY, "address_string": buurt_in(SD_A).code}
    if key is not None:
        fields["api_key"] = key
    before = table_counts()
    response = raw_post(f"{BASE}/requests.{fmt}", urlencode(fields))
    assert response.status_code == 403
    if fmt == "json":
        errors = json.loads(response.content)
    else:
        errors = xml_rows(response.content, "errors", "error")
    assert [int(e["code"]) for e in errors] == [403]
    assert errors[0]["description"].startswith("api_key:")
    assert table_counts() == before


def _listing(fmt: str, query: str = "") -> list[dict[str, object]]:
    response = Client().get(f"{BASE}/requests.{fmt}{query}")
    assert response.status_code == 200, response.content
    assert b"Geheime" not in response.content and b"@example" not in response.content
    if fmt == "json":
        return json.loads(response.content)
    return xml_rows(response.content, "service_requests", "request")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_public_listing_newest_first_day_category_status_centroid_only(world, fmt):
    buurt = buurt_in(SD_A)
    lat, lon = point_in(SD_A)
    older = submit_melding(category="wegen_verlichting", description="Lamp uit", lat=lat + 0.0005,
                           lon=lon, received_at=timezone.now() - timedelta(days=3))  # fmt: skip
    rows = _listing(fmt)
    ids = [str(r["service_request_id"]) for r in rows]
    assert ids == [str(world.melding_a.pk), str(older.pk)]  # B is a non-public category
    row = rows[0]
    assert set(row) == REQUEST_FIELDS
    assert row["status"] == "open" and row["service_code"] == PUBLIC_CATEGORY
    assert row["service_name"] == registry.category(PUBLIC_CATEGORY).name
    day = timezone.localtime(world.melding_a.received_at).date().isoformat()
    assert str(row["requested_datetime"]).startswith(f"{day}T00:00:00")
    centroid = to_wgs84(buurt.centroid_x, buurt.centroid_y)
    assert (float(row["lat"]), float(row["long"])) == pytest.approx(centroid, abs=1e-6)
    exact = to_wgs84(world.melding_a.x_rd, world.melding_a.y_rd)
    assert (float(row["lat"]), float(row["long"])) != pytest.approx(exact, abs=1e-6)
    assert row["address"] == buurt.name


def test_listing_filters_and_the_90_day_default(world):
    lat, lon = point_in(SD_A)
    old = submit_melding(category=PUBLIC_CATEGORY, description="", lat=lat + 0.001, lon=lon,
                         received_at=timezone.now() - timedelta(days=200))  # fmt: skip
    assert [r["service_request_id"] for r in _listing("json")] == [str(world.melding_a.pk)]
    since = (timezone.now() - timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = _listing("json", f"?start_date={since}")
    assert [r["service_request_id"] for r in rows] == [str(world.melding_a.pk), str(old.pk)]
    rows = _listing("json", f"?service_request_id={old.pk},{world.melding_b.pk}")
    assert [r["service_request_id"] for r in rows] == [str(old.pk)]
    assert _listing("json", "?status=closed") == []
    assert len(_listing("json", f"?status=open&service_code={PUBLIC_CATEGORY}")) == 1
    assert _listing("json", "?service_code=wegen_verlichting") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?start_date=gisteren", "start_date"),
        ("?end_date=2025-01-01T00:00:00", "end_date"),  # no time zone: the spec requires one
        ("?status=misschien", "status"),
        ("?service_code=bestaat_niet", "service_code"),
        ("?service_request_id=1,abc", "service_request_id"),
        ("?jurisdiction_id=GM0001", "jurisdiction_id"),
        ("?status=" + "o" * 500, "status"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_listing_parameters_get_the_spec_error_naming_the_field(world, query, field, fmt):
    response = Client().get(f"{BASE}/requests.{fmt}{query}")
    assert response.status_code in (400, 404)
    if fmt == "json":
        errors = json.loads(response.content)
    else:
        errors = xml_rows(response.content, "errors", "error")
    assert errors and all(int(e["code"]) == response.status_code for e in errors)
    assert errors[0]["description"].startswith(f"{field}:")


def test_one_request_by_tracking_code_shows_status_and_public_notes_only(world):
    code = world.melding_b.tracking_code  # a non-public category: its code still works
    add_note(world.melding_b, "Interne aantekening", False, world.users["beheerder"])
    add_note(world.melding_b, "We komen dinsdag kijken", True, world.users["beheerder"])
    for fmt in ("json", "xml"):
        response = Client().get(f"{BASE}/requests/{code}.{fmt}")
        assert response.status_code == 200
        if fmt == "json":
            (row,) = json.loads(response.content)
        else:
            (row,) = xml_rows(response.content, "service_requests", "request")
        assert row["service_request_id"] == code and row["status"] == "open"
        assert row["status_notes"] == "We komen dinsdag kijken"
        assert b"Interne" not in response.content and b"Geheime" not in response.content
        assert b"@example" not in response.content


def test_one_request_by_public_number_only_for_public_categories(world):
    response = Client().get(f"{BASE}/requests/{world.melding_a.pk}.json")
    (row,) = json.loads(response.content)
    assert set(row) == REQUEST_FIELDS and row["service_request_id"] == str(world.melding_a.pk)
    for ident in (str(world.melding_b.pk), "vk-aaaaaaaaaaaaaaaa", "999999", "onzin"):
        response = Client().get(f"{BASE}/requests/{ident}.xml")
        assert response.status_code == 404
        (error,) = xml_rows(response.content, "errors", "error")
        assert error["code"] == "404" and error["description"].startswith("service_request_id:")


def test_wrong_method_and_unknown_paths_answer_in_the_spec_format():
    response = Client().delete(f"{BASE}/requests.json")
    assert response.status_code == 405 and "POST" in response["Allow"]
    assert json.loads(response.content)[0]["code"] == 405
    response = Client().post(f"{BASE}/services.xml")
    assert response.status_code == 405
    assert xml_rows(response.content, "errors", "error")[0]["code"] == "405"
    for path in ("/discovery.json", "/services.csv", "/", "/tokens/abc.xml"):
        response = Client().get(BASE + path)
        assert response.status_code == 404
        assert response["Content-Type"].endswith("charset=utf-8")


def test_xss_payloads_come_back_encoded_never_as_markup(world):
    payload = "<script>alert('x')</script>"
    body = urlencode({"api_key": world.api_key, "service_code": payload,
                      "lat": payload, payload: "x" * 300})  # fmt: skip
    for fmt in ("json", "xml"):
        response = raw_post(f"{BASE}/requests.{fmt}", body)
        assert response.status_code == 400
        assert b"<script>" not in response.content
        assert not response["Content-Type"].startswith("text/html")
        if fmt == "xml":  # well-formed, and the text survives escaping intact
            described = [e["description"] for e in xml_rows(response.content, "errors", "error")]
        else:  # \u003c in the body, the same text once decoded
            described = [e["description"] for e in json.loads(response.content)]
        assert any(d.startswith(payload) for d in described)
    assert not Melding.objects.filter(category=payload).exists()


def test_listing_leaves_out_non_public_categories_and_duplicates(world):
    lat, lon = point_in(SD_A)
    original = world.melding_a
    duplicate = submit_melding(category=PUBLIC_CATEGORY, description="", lat=lat, lon=lon)
    assert duplicate.duplicate_of_id == original.pk
    ids = {r["service_request_id"] for r in _listing("json")}
    assert ids == {str(original.pk)}
    assert not registry.category(PRIVATE_CATEGORY).public
