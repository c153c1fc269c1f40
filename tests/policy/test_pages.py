"""Policy pages: login, roles on the page layer, the agenda with aandachtspunten, indicatie."""

from __future__ import annotations

import re
from html import unescape

import pytest

from veiligheidskaart.meldingen.services import submit_aandachtspunt
from veiligheidskaart.policy.models import Action

pytestmark = pytest.mark.django_db
PAGES = ["/doelen", "/acties", "/acties?jaar=2025&stadsdeel=SD999904&status=in_uitvoering",
         "/actieplan/2024", "/agenda/SD999901?jaar=2025", "/begroting",
         "/beleid/prioriteiten"]  # fmt: skip


def text_of(response) -> str:
    html = response.content.decode()
    text = re.sub(r"<[^>]+>", " ", html[html.index("<main") :])
    return re.sub(r"\s+", " ", unescape(text))


@pytest.mark.parametrize("url", PAGES + ["/acties/nieuw"])
def test_pages_need_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/beheer/login/")


@pytest.mark.parametrize("url", PAGES)
def test_a_partner_reads_every_page(client, partner, url):
    client.force_login(partner)
    assert client.get(url).status_code == 200


def test_goals_page_shows_the_three_statuses_and_says_registered_crime(client, analist):
    client.force_login(analist)
    text = text_of(client.get("/doelen"))
    assert "behaald binnen de marge van toeval" in text
    assert text.count("niet op koers —") == 2
    assert "geregistreerde criminaliteit" in text
    assert "Geregistreerde misdrijven per 1.000 inwoners, totaal (CBS 83648NED)" in text
    assert "18,5% (Veiligheidsmonitor 2019)" in text and "17,2%" in text


def test_a_partner_cannot_edit_through_the_pages(client, partner):
    client.force_login(partner)
    action = Action.objects.get(title="Inbraakpreventie Westerveld")
    page = client.get(f"/acties/{action.pk}").content.decode()
    assert "Bewerken" not in page and "Status wijzigen" not in page
    assert client.get(f"/acties/{action.pk}/bewerken").status_code == 403
    assert client.get("/acties/nieuw").status_code == 403
    refused = client.post(f"/acties/{action.pk}", {"wat": "status", "status": "afgerond"})
    assert refused.status_code == 400
    action.refresh_from_db()
    assert action.status == "in_uitvoering"


def test_a_stadsdeelmanager_edits_own_but_not_another_stadsdeel(client, manager_centrum):
    client.force_login(manager_centrum)
    west = Action.objects.get(title="Inbraakpreventie Westerveld")
    centrum = Action.objects.get(title="Bewaakte fietsenstalling Stationskwartier")
    assert client.get(f"/acties/{west.pk}/bewerken").status_code == 403
    refused = client.post(f"/acties/{west.pk}", {"wat": "notitie", "tekst": "niet mijn stadsdeel"})
    assert refused.status_code == 400 and not west.notes.filter(text="niet mijn stadsdeel")
    done = client.post(f"/acties/{centrum.pk}", {"wat": "status", "status": "in_uitvoering"})
    assert done.status_code == 302
    centrum.refresh_from_db()
    assert centrum.status == "in_uitvoering"
    assert centrum.history.last().changed_by == manager_centrum
    form = client.get("/acties/nieuw").content.decode()
    assert "SD999901" in form and "BU99991301" not in form  # only own areas offered


def test_the_form_creates_an_action_through_the_service(client, analist):
    client.force_login(analist)
    data = {"title": "Nieuwe aanpak", "description": "d", "owner": "Team", "start": "2025-02-01",
            "end": "2025-11-30", "areas": ["WK999901"], "themes": ["geweld"],
            "partners": ["politie", "om"]}  # fmt: skip
    response = client.post("/acties/nieuw", data)
    assert response.status_code == 302
    action = Action.objects.get(title="Nieuwe aanpak")
    assert action.history.get().changed_by == analist and action.partners == ["politie", "om"]
    bad = client.post("/acties/nieuw", data | {"start": "2026-01-01"})
    assert bad.status_code == 400 and "het begin ligt na het einde" in bad.content.decode()


def test_the_agenda_shows_residents_aandachtspunten(client, analist):
    submit_aandachtspunt(stadsdeel_code="SD999901", theme="fietsdiefstal",
                         text="Fietsen bij het station vaak gestolen.", year=2025)  # fmt: skip
    client.force_login(analist)
    text = text_of(client.get("/agenda/SD999901?jaar=2025"))
    assert "Fietsen bij het station vaak gestolen." in text
    assert "Bewaakte fietsenstalling Stationskwartier" in text
    assert "Inbraakpreventie Westerveld" not in text  # West, not Centrum
    assert client.get("/agenda/SD999999").status_code == 404


def test_the_action_page_gives_an_indicatie_never_an_effect(client, analist):
    client.force_login(analist)
    action = Action.objects.get(title="Inbraakpreventie Westerveld")
    text = text_of(client.get(f"/acties/{action.pk}"))
    section = text[text.index("Indicatie: ontwikkeling") : text.index("Voortgang")]
    assert "WDD" in section and "bufferring" in section
    assert "effect" not in section.lower()


def test_budget_page_has_bbv_rows_lines_and_the_calendar(client, analist):
    client.force_login(analist)
    text = text_of(client.get("/begroting"))
    assert "Verwijzingen Halt" in text and "onvoldoende gegevens" in text
    assert "Fietsenstalling Stationskwartier" in text and "Saldo" in text
    assert "Veiligheidsmonitor" in text and "tweejaarlijks (oneven jaren)" in text


def test_the_area_profile_lists_actions_that_contain_the_area(client, analist):
    client.force_login(analist)
    buurt = text_of(client.get("/gebied/BU99991301"))  # Kerkebuurt, West
    assert "Inbraakpreventie Westerveld" in buurt  # on the buurt itself
    assert "Campagne 'Samen veilig in de buurt'" in buurt  # city-wide: contains the buurt
    assert "Bewaakte fietsenstalling" not in buurt  # another buurt
    assert "Cameratoezicht Vismarkt" not in text_of(client.get("/gebied/BU99990101"))  # vervallen


def test_the_public_profile_shows_no_actions(client):
    assert "Acties voor" not in client.get("/gebied/BU99991301").content.decode()


def test_the_matrix_records_the_council_decision(client, analist, partner):
    from veiligheidskaart.policy.models import Priority

    proposed = Priority.objects.get(status="voorgesteld")
    client.force_login(partner)
    assert "Vastgesteld door de raad" not in client.get("/beleid/prioriteiten").content.decode()
    refused = client.post("/beleid/prioriteiten", {"prioriteit": proposed.pk, "kenmerk": "RB 1",
                                                   "datum": "2025-02-01"})  # fmt: skip
    assert refused.status_code == 400
    client.force_login(analist)
    page = text_of(client.get("/beleid/prioriteiten"))
    assert "Ernst (1-5)" in page and "Woninginbraak terugdringen" in page
    missing = client.post(
        "/beleid/prioriteiten", {"prioriteit": proposed.pk, "datum": "2025-02-01"}
    )
    assert missing.status_code == 400 and "raadsbesluit" in missing.content.decode()
    done = client.post("/beleid/prioriteiten", {"prioriteit": proposed.pk, "kenmerk": "RB 2025/7",
                                                "datum": "2025-02-01"})  # fmt: skip
    assert done.status_code == 302
    proposed.refresh_from_db()
    assert (proposed.status, proposed.decision_reference) == ("vastgesteld", "RB 2025/7")


def test_a_new_action_shows_on_the_profile_at_once(client, analist):
    from datetime import date

    from veiligheidskaart.policy import services as s

    client.force_login(analist)
    assert "Nachtelijke surveillance" not in text_of(client.get("/gebied/BU99991304"))
    s.create_action(s.ActionInput("Nachtelijke surveillance", "d", "Politie", date(2025, 1, 1),
                                  date(2025, 6, 30), (), ("BU99991304",)), analist)  # fmt: skip
    assert "Nachtelijke surveillance" in text_of(client.get("/gebied/BU99991304"))
