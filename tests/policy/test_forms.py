"""The page forms for priorities, goals and budget lines: each goes through one service."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.helpers import table_counts
from tests.policy.test_pages import text_of
from veiligheidskaart.accounts.services import create_user
from veiligheidskaart.policy.models import Action, BudgetLine, Goal, Priority

pytestmark = pytest.mark.django_db
FORMS = ["/beleid/prioriteiten/nieuw", "/doelen/nieuw", "/begroting/nieuw"]

PRIORITY = {"title": "Straatroof aanpakken", "theme": "geweld", "area": "SD999904",
            "start_year": "2026", "end_year": "2028", "seriousness": "4",
            "seriousness_reason": "Veel slachtoffers met letsel.", "influence": "3",
            "influence_reason": "Met politie en jongerenwerk goed te beïnvloeden."}  # fmt: skip
GOAL = {"title": "Woninginbraken in West −15%", "indicator": "woninginbraak", "area": "SD999904",
        "adopted_baseline_value": "42,5", "adopted_baseline_label": "gemiddeld 42,5 (2021–2023)",
        "baseline_start_year": "2021", "baseline_end_year": "2023", "target_change": "-0,15",
        "deadline_year": "2027", "direction": "lager"}  # fmt: skip
BUDGET = {"year": "2026", "name": "Buurtpreventie-apps", "kind": "lasten",
          "amount": "12500,50"}  # fmt: skip


@pytest.mark.parametrize("url", FORMS)
def test_the_forms_need_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/beheer/login/")


@pytest.mark.parametrize("url", FORMS)
def test_a_partner_and_a_stadsdeelmanager_get_403(client, partner, manager_centrum, url):
    goal = Goal.objects.get(kind="aantal")
    for user in (partner, manager_centrum):
        client.force_login(user)
        before = table_counts()
        assert client.get(url).status_code == 403
        assert client.post(url, PRIORITY | GOAL | BUDGET).status_code == 403
        assert client.post(f"/doelen/{goal.pk}/bewerken", GOAL).status_code == 403
        assert table_counts() == before


def test_links_show_only_for_permitted_users(client, analist, partner):
    pages = {"/beleid/prioriteiten": "/beleid/prioriteiten/nieuw", "/doelen": "/doelen/nieuw",
             "/begroting": "/begroting/nieuw"}  # fmt: skip
    for user, shown in ((analist, True), (partner, False)):
        client.force_login(user)
        for page, link in pages.items():
            assert (f'href="{link}"' in client.get(page).content.decode()) is shown


def test_a_priority_is_proposed_through_the_form(client, analist):
    client.force_login(analist)
    assert client.get(FORMS[0]).status_code == 200
    response = client.post(FORMS[0], PRIORITY)
    assert response.status_code == 302 and response["Location"] == "/beleid/prioriteiten"
    priority = Priority.objects.get(title="Straatroof aanpakken")
    got = (priority.status, priority.theme.code, priority.area.code)
    assert got == ("voorgesteld", "geweld", "SD999904")
    assert priority.history.get().changed_by == analist
    page = text_of(client.get("/beleid/prioriteiten"))
    assert "Straatroof aanpakken" in page and "Veel slachtoffers met letsel." in page


def test_goal_create_and_edit_through_the_form(client, analist):
    client.force_login(analist)
    inbraak = Priority.objects.get(title__startswith="Woninginbraak")
    response = client.post(FORMS[1], GOAL | {"priorities": [str(inbraak.pk)]})
    assert response.status_code == 302
    goal = Goal.objects.get(title=GOAL["title"])
    got = (goal.kind, goal.area.code, goal.target_change, goal.adopted_baseline_value)
    assert got == ("aantal", "SD999904", -0.15, 42.5)
    assert list(goal.priorities.all()) == [inbraak] and goal.lower_is_better
    assert GOAL["title"] in text_of(client.get("/doelen"))
    edit = f"/doelen/{goal.pk}/bewerken"
    assert 'value="Woninginbraken in West −15%"' in client.get(edit).content.decode()
    changed = client.post(edit, GOAL | {"target_change": "-0,25", "deadline_year": "2028"})
    assert changed.status_code == 302
    goal.refresh_from_db()
    assert (goal.target_change, goal.deadline_year, goal.priorities.count()) == (-0.25, 2028, 0)


def test_a_survey_goal_gets_the_biennial_frequency(client, analist):
    client.force_login(analist)
    data = GOAL | {"title": "Minder onveilig", "indicator": "onveilig_in_buurt",
                   "target_change": "", "target_value": "14", "area": "WK999901"}  # fmt: skip
    assert client.post(FORMS[1], data).status_code == 302
    goal = Goal.objects.get(title="Minder onveilig")
    assert (goal.kind, goal.frequency, goal.target_value) == ("enquete", "tweejaarlijks_oneven",
                                                              14.0)  # fmt: skip


def test_a_budget_line_is_added_through_the_form(client, analist):
    client.force_login(analist)
    action = Action.objects.get(title="Inbraakpreventie Westerveld")
    response = client.post(FORMS[2], BUDGET | {"actions": [str(action.pk)]})
    assert response.status_code == 302
    line = BudgetLine.objects.get(name="Buurtpreventie-apps")
    assert str(line.amount) == "12500.50" and list(line.actions.all()) == [action]
    text = text_of(client.get("/begroting"))
    assert "Buurtpreventie-apps" in text and "Begroting 2026" in text
    again = client.post(FORMS[2], BUDGET)
    assert again.status_code == 400
    assert "Omschrijving: er is al een regel" in text_of(again)


@pytest.mark.parametrize(("url", "data", "message"), [
    (FORMS[0], PRIORITY | {"seriousness": "7"}, "Ernst (1-5):"),
    (FORMS[0], PRIORITY | {"theme": "", "area": ""}, "Thema: een prioriteit heeft een thema"),
    (FORMS[0], PRIORITY | {"end_year": "2025"}, "Tot en met jaar: het beginjaar ligt na"),
    (FORMS[0], PRIORITY | {"influence_reason": ""}, "Onderbouwing beïnvloedbaarheid:"),
    (FORMS[1], GOAL | {"target_value": "10"}, "Doelwaarde: geef een doelwaarde of een doel"),
    (FORMS[1], GOAL | {"indicator": ""}, "Indicator: Dit veld is vereist"),
    (FORMS[1], GOAL | {"deadline_year": "2022"}, "Uiterlijk in jaar: de termijn ligt na"),
    (FORMS[2], BUDGET | {"kind": "winst"}, "Soort:"),
    (FORMS[2], BUDGET | {"amount": "veel"}, "Bedrag (€): Voer een getal in"),
])  # fmt: skip
def test_invalid_input_names_the_field_in_dutch_and_writes_nothing(client, analist, url, data,
                                                                   message):  # fmt: skip
    client.force_login(analist)
    before = table_counts()
    response = client.post(url, data)
    assert response.status_code == 400
    assert message in text_of(response)
    assert table_counts() == before


def test_a_post_without_csrf_token_is_refused(analist):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(analist)
    before = table_counts()
    for url, data in zip(FORMS, (PRIORITY, GOAL, BUDGET), strict=True):
        assert strict.post(url, data).status_code == 403
    html = strict.get(FORMS[0]).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert table_counts() == before
    done = strict.post(FORMS[0], PRIORITY | {"csrfmiddlewaretoken": token})
    assert done.status_code == 302


def test_a_beheerder_may_use_the_forms(client):
    beheerder = create_user("t-beheerder", "beheerder", "x-wachtwoord-beheerder")
    client.force_login(beheerder)
    assert all(client.get(url).status_code == 200 for url in FORMS)


def test_a_rank_goal_is_not_edited_on_the_page(client, analist):
    client.force_login(analist)
    assert client.get(f"/doelen/{Goal.objects.get(kind='rang').pk}/bewerken").status_code == 404
