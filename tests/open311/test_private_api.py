"""The private meldingen API: scope per role, writes through the services, problem+json."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.helpers import table_counts
from tests.open311.conftest import SD_A, buurt_in
from veiligheidskaart.accounts.apikeys import revoke_key
from veiligheidskaart.meldingen.models import Melding, PersonalDataAccess, Source

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _post(client: Client, path: str, body: dict[str, object], **extra: str) -> object:
    return client.post(path, json.dumps(body), content_type=JSON, **extra)


def test_list_is_scoped_newest_first_and_paged(world):
    rows = world.client("sdm_a").get("/api/v1/meldingen/?limit=500").json()["results"]
    ids = [r["id"] for r in rows]
    assert world.melding_a.pk in ids and world.melding_b.pk not in ids
    assert {r["stadsdeel"] for r in rows} == {SD_A}
    everything = Melding.objects.order_by("-received_at", "-pk")
    page = world.client("analist").get("/api/v1/meldingen/?limit=2&offset=1").json()
    assert page["count"] == everything.count()
    assert [r["id"] for r in page["results"]] == [m.pk for m in everything[1:3]]
    assert "email" not in page["results"][0] and "description" not in page["results"][0]
    closed = world.client("analist").get("/api/v1/meldingen/?status=afgehandeld").json()
    assert closed["count"] == everything.filter(status="afgehandeld").count()
    assert {r["status"] for r in closed["results"]} <= {"afgehandeld"}


@pytest.mark.parametrize("query", ["?limit=0", "?limit=501", "?offset=-1", "?status=weg"])
def test_bad_list_parameters_are_problems_naming_the_parameter(world, query):
    response = world.client("analist").get(f"/api/v1/meldingen/{query}")
    assert response.status_code == 400
    name = query[1:].split("=")[0]
    assert [p["name"] for p in response.json()["invalid_params"]] == [name]


def test_detail_shows_personal_data_and_logs_the_access(world):
    before = PersonalDataAccess.objects.count()
    body = world.client("sdm_a").get(f"/api/v1/meldingen/{world.melding_a.pk}/").json()
    assert body["description"] == world.melding_a.description
    assert body["email"] == world.melding_a.email
    assert [h["to_status"] for h in body["history"]] == ["gemeld"]
    access = PersonalDataAccess.objects.order_by("-pk").first()
    assert PersonalDataAccess.objects.count() == before + 1
    assert access.user == world.users["sdm_a"] and access.melding == world.melding_a


def test_status_change_and_notes_go_through_the_services(world):
    client = world.client("sdm_a")
    url = f"/api/v1/meldingen/{world.melding_a.pk}"
    body = {"status": "in_behandeling", "note": "We gaan kijken", "note_public": True}
    response = _post(client, f"{url}/status/", body)
    assert response.status_code == 200 and response.json()["status"] == "in_behandeling"
    response = _post(client, f"{url}/notes/", {"text": "Intern: buurman gebeld"})
    assert response.status_code == 201 and response.json()["public"] is False
    detail = client.get(f"{url}/").json()
    assert [(h["from_status"], h["to_status"], h["user"]) for h in detail["history"]] == [
        ("", "gemeld", None),
        ("gemeld", "in_behandeling", "t-sdm_a"),
    ]
    assert [(n["text"], n["public"]) for n in detail["notes"]] == [
        ("We gaan kijken", True),
        ("Intern: buurman gebeld", False),
    ]


def test_a_transition_outside_the_table_is_a_400_naming_status(world):
    before = table_counts()
    body = {"status": "heropend"}  # gemeld -> heropend is not in the table
    response = _post(
        world.client("beheerder"), f"/api/v1/meldingen/{world.melding_a.pk}/status/", body
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalid_params"]] == ["status"]
    assert table_counts() == before


def test_create_with_session_and_with_an_api_key(world):
    body = {"category": "afval_grofvuil", "buurt_code": buurt_in(SD_A).code}
    response = _post(world.client("sdm_b"), "/api/v1/meldingen/", body)
    assert response.status_code == 201
    created = response.json()
    assert created["tracking_code"].startswith("vk-") and created["stadsdeel"] == SD_A
    assert Melding.objects.get(pk=created["id"]).source == Source.API
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {world.api_key}"}
    assert _post(Client(), "/api/v1/meldingen/", body, **auth).status_code == 201
    # an API key files meldingen; it reads nothing
    assert Client().get("/api/v1/meldingen/", **auth).status_code == 403
    revoke_key("test-app")
    before = table_counts()
    response = _post(Client(), "/api/v1/meldingen/", body, **auth)
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"
    assert table_counts() == before


def test_a_session_post_without_csrf_token_is_403(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["beheerder"])
    before = table_counts()
    body = {"category": "afval_grofvuil", "buurt_code": buurt_in(SD_A).code}
    response = _post(client, "/api/v1/meldingen/", body)
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert table_counts() == before


def test_xss_in_a_description_comes_back_as_a_json_string(world):
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    body = {"category": "afval_grofvuil", "buurt_code": buurt_in(SD_A).code, "description": payload}
    created = _post(world.client("beheerder"), "/api/v1/meldingen/", body).json()
    response = world.client("beheerder").get(f"/api/v1/meldingen/{created['id']}/")
    assert response["Content-Type"] == JSON and response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["description"] == payload
    page = world.client("beheerder").get(f"/meldingen/inbox/{created['id']}").content.decode()
    assert payload not in page and "&lt;script&gt;alert(2)&lt;/script&gt;" in page
