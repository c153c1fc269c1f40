"""Roles through the API and the admin: a stadsdeelmanager cannot edit another stadsdeel's
action or agenda; a partner only reads (API write -> 403, admin has no change permission)."""

from __future__ import annotations

import pytest

from veiligheidskaart.policy.models import Action

pytestmark = pytest.mark.django_db
WEST_ACTION, CENTRUM_ACTION = (
    "Inbraakpreventie Westerveld",
    "Bewaakte fietsenstalling Stationskwartier",
)
NEW = {"title": "API-actie", "description": "d", "owner": "Team", "start": "2025-03-01",
       "end": "2025-09-30", "areas": ["BU99990201"], "themes": ["fietsdiefstal"],
       "partners": ["politie"]}  # fmt: skip


def action(title: str) -> Action:
    return Action.objects.get(title=title)


def test_the_api_needs_a_login_and_answers_problem_json(client):
    response = client.get("/api/v1/actions/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_goals_and_adopted_priorities_through_the_api(client, partner):
    client.force_login(partner)
    goals = client.get("/api/v1/goals/").json()
    assert [g["status"] for g in goals] == ["behaald_marge", "niet_op_koers", "niet_op_koers"]
    assert goals[2]["target"] == pytest.approx(0.8 * (191 + 186 + 185) / 3)
    adopted = client.get("/api/v1/adopted-priorities/?year=2025").json()
    assert len(adopted) == 3 and {p["decision_reference"] for p in adopted} == {"RB 2022/114"}
    assert client.get("/api/v1/adopted-priorities/?year=25x").status_code == 400


def test_a_partner_only_reads_through_the_api(client, partner):
    client.force_login(partner)
    west = action(WEST_ACTION)
    listed = client.get("/api/v1/actions/?stadsdeel=SD999904").json()
    assert [a["title"] for a in listed] == [WEST_ACTION] and listed[0]["may_edit"] is False
    assert client.post("/api/v1/actions/", NEW, content_type="application/json").status_code == 403
    patch = client.patch(f"/api/v1/actions/{west.pk}/", {"title": "x"},
                         content_type="application/json")  # fmt: skip
    status = client.post(f"/api/v1/actions/{west.pk}/status/", {"status": "afgerond"},
                         content_type="application/json")  # fmt: skip
    assert (patch.status_code, status.status_code) == (403, 403)
    west.refresh_from_db()
    assert (west.title, west.status) == (WEST_ACTION, "in_uitvoering")


def test_a_stadsdeelmanager_cannot_edit_another_stadsdeel_through_the_api(client, manager_centrum):
    client.force_login(manager_centrum)
    west, centrum = action(WEST_ACTION), action(CENTRUM_ACTION)
    refused = client.post(f"/api/v1/actions/{west.pk}/status/", {"status": "afgerond"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 403 and "status" in refused.json()["detail"]
    moved = client.patch(f"/api/v1/actions/{centrum.pk}/", {"areas": ["BU99991301"]},
                         content_type="application/json")  # fmt: skip
    assert moved.status_code == 403
    outside = client.post("/api/v1/actions/", NEW | {"areas": ["WK999913"]},
                          content_type="application/json")  # fmt: skip
    assert outside.status_code == 403
    created = client.post("/api/v1/actions/", NEW, content_type="application/json")
    assert created.status_code == 201 and created.json()["may_edit"] is True
    started = client.post(f"/api/v1/actions/{centrum.pk}/status/", {"status": "in_uitvoering"},
                          content_type="application/json")  # fmt: skip
    assert started.status_code == 201 and started.json()["changed_by"] == "t-sdm-centrum"
    wrong = client.post(f"/api/v1/actions/{centrum.pk}/status/", {"status": "gepland"},
                        content_type="application/json")  # fmt: skip
    assert wrong.status_code == 400 and wrong.json()["invalid_params"][0]["name"] == "status"


def test_a_stadsdeelmanager_cannot_edit_another_stadsdeel_through_the_admin(
    client, manager_centrum
):
    client.force_login(manager_centrum)
    west, centrum = action(WEST_ACTION), action(CENTRUM_ACTION)
    listing = client.get("/beheer/policy/action/").content.decode()
    assert CENTRUM_ACTION in listing and WEST_ACTION not in listing
    assert client.get(f"/beheer/policy/action/{west.pk}/change/").status_code in (302, 403, 404)
    areas = [str(a.pk) for a in west.areas.all()]
    form = {"title": "gekaapt", "description": "d", "owner": "o", "start": "2025-01-01",
            "end": "2025-12-31", "partners": "[]", "areas": areas}  # fmt: skip
    client.post(f"/beheer/policy/action/{west.pk}/change/", form)
    west.refresh_from_db()
    assert west.title == WEST_ACTION
    page = client.get(f"/beheer/policy/action/{centrum.pk}/change/")
    assert page.status_code == 200 and 'name="title"' in page.content.decode()


def test_a_partner_has_no_change_permission_in_the_admin(client, partner):
    client.force_login(partner)
    west = action(WEST_ACTION)
    page = client.get(f"/beheer/policy/action/{west.pk}/change/")
    assert page.status_code == 200 and 'name="title"' not in page.content.decode()
    client.post(f"/beheer/policy/action/{west.pk}/change/", {"title": "gekaapt"})
    west.refresh_from_db()
    assert west.title == WEST_ACTION
    assert client.get("/beheer/policy/action/add/").status_code == 403


def test_an_analist_edits_through_the_admin_via_the_service(client, analist):
    client.force_login(analist)
    west = action(WEST_ACTION)
    form = {"title": "Inbraakpreventie Westerveld (verlengd)", "description": west.description,
            "owner": west.owner, "start": "2024-07-01", "end": "2026-06-30",
            "partners": '["politie"]', "areas": [str(a.pk) for a in west.areas.all()],
            "themes": [str(t.pk) for t in west.themes.all()],
            "priorities": [str(p.pk) for p in west.priorities.all()],
            "goals": [str(g.pk) for g in west.goals.all()],
            "history-TOTAL_FORMS": "0", "history-INITIAL_FORMS": "0",
            "notes-TOTAL_FORMS": "0", "notes-INITIAL_FORMS": "0"}  # fmt: skip
    response = client.post(f"/beheer/policy/action/{west.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    west.refresh_from_db()
    assert west.title.endswith("(verlengd)") and west.partners == ["politie"]
