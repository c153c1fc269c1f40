"""The public form, the status page, the aandachtspunten form and the inbox, through HTTP."""

from __future__ import annotations

import doctest
import re

import pytest
from django.test import Client

from tests.helpers import table_counts
from tests.meldingen.conftest import point_in
from veiligheidskaart.meldingen import logfilter, registry, services
from veiligheidskaart.meldingen.models import Aandachtspunt, Melding, PersonalDataAccess, Status

pytestmark = pytest.mark.django_db
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def form_data(**kw: str) -> dict[str, str]:
    lat, lon, _ = point_in("SD999901")
    return {
        "category": "overlast_drugs",
        "description": "Handel bij de bushalte",
        "lat": f"{lat:.6f}",
        "lon": f"{lon:.6f}",
        "buurt_code": "",
        "email": "",
        "website": "",
    } | kw


def post_melding(client: Client, **kw: str):  # type: ignore[no-untyped-def]
    return client.post("/meldingen/nieuw", form_data(**kw))


def test_the_form_has_the_notice_the_tree_a_buurt_select_and_limits(client):
    html = client.get("/meldingen/nieuw").content.decode()
    assert "Spoed? Bel 112. Aangifte doen: politie. Anoniem melden: Meld Misdaad Anoniem " in html
    assert "0800-7000" in html
    for group in registry.GROUPS:
        assert f'<optgroup label="{group.name}">' in html
    assert 'name="buurt_code"' in html and 'id="buurten-data"' in html
    assert 'maxlength="2000"' in html and 'maxlength="254"' in html
    assert 'name="csrfmiddlewaretoken"' in html and 'name="website"' in html


def test_submit_redirects_to_a_status_page_without_personal_data(client):
    response = post_melding(client, email="bewoner@example.org", description="Geheime tekst 42")
    assert response.status_code == 302
    code = response["Location"].rsplit("/", 1)[1]
    melding = Melding.objects.get(tracking_code=code)
    assert melding.email == "bewoner@example.org" and melding.source == "formulier"
    html = client.get(response["Location"]).content.decode()
    assert "Uw melding is ontvangen" in html and code in html
    assert "Drugs- of drankoverlast" in html and melding.buurt.name in html
    assert "Geheime tekst 42" not in html and "bewoner@example.org" not in html
    assert str(round(melding.x_rd)) not in html


def test_without_javascript_a_buurt_from_the_select_is_enough(client):
    _, _, buurt = point_in("SD999902")
    response = post_melding(client, lat="", lon="", buurt_code=buurt.code)
    assert response.status_code == 302
    assert Melding.objects.get(tracking_code=response["Location"].rsplit("/", 1)[1]).buurt == buurt


@pytest.mark.parametrize(
    ("data", "field_label"),
    [
        ({"description": "x" * 2001}, "Omschrijving"),
        ({"category": "bestaat_niet"}, "Waar gaat uw melding over?"),
        ({"lat": "52.370000", "lon": "4.890000"}, "Buurt"),  # Amsterdam: outside Demostad
        ({"lat": "", "lon": "", "buurt_code": ""}, "Buurt"),
        ({"email": "geen-adres"}, "E-mailadres (niet verplicht)"),
        ({"lat": "x" * 40}, "Lat"),
        ({"website": "http://spam.example"}, "Laat dit veld leeg"),  # the honeypot
    ],
)
def test_bad_input_names_the_field_in_dutch_and_stores_nothing(client, data, field_label):
    before = table_counts()
    response = post_melding(client, **data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Controleer het formulier" in html
    assert re.search(rf'<a href="#id_\w+">{re.escape(field_label)}</a>: ', html), html[:3000]
    assert table_counts() == before


def test_a_post_without_csrf_token_is_refused():
    strict = Client(enforce_csrf_checks=True)
    before = table_counts()
    assert strict.post("/meldingen/nieuw", form_data()).status_code == 403
    data = {"stadsdeel": "SD999901", "theme": "geweld", "year": "2026", "text": "x", "website": ""}
    assert strict.post("/aandachtspunten/nieuw", data).status_code == 403
    assert table_counts() == before


def test_the_form_works_with_its_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    html = strict.get("/meldingen/nieuw").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert strict.post("/meldingen/nieuw", form_data(csrfmiddlewaretoken=token)).status_code == 302


def test_xss_payloads_are_escaped_everywhere(client, users):
    response = post_melding(client, description=XSS)
    code = response["Location"].rsplit("/", 1)[1]
    melding = Melding.objects.get(tracking_code=code)
    services.add_note(melding, XSS, True, users["manager_a"])
    for html in (
        client.get(response["Location"]).content.decode(),
        post_melding(client, category=XSS).content.decode(),
        client.post(
            "/aandachtspunten/nieuw",
            {"stadsdeel": XSS, "theme": XSS, "year": "1", "text": XSS, "website": ""},
        ).content.decode(),
    ):
        assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in client.get(response["Location"]).content.decode()
    services.submit_aandachtspunt(stadsdeel_code="SD999901", theme="geweld", text=XSS)
    client.force_login(users["manager_a"])
    for url in ("/meldingen/inbox", f"/meldingen/inbox/{melding.pk}"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert" in html


def test_an_unknown_or_malformed_code_is_404(client):
    assert client.get("/meldingen/vk-aaaaaaaaaaaaaaaa").status_code == 404
    assert client.get("/meldingen/%3Cscript%3E").status_code == 404


def test_aandachtspunt_form_links_input_to_the_stadsdeel_agenda(client):
    html = client.get("/aandachtspunten/nieuw").content.decode()
    assert 'value="SD999901"' in html and 'value="SD999902"' in html
    data = {
        "stadsdeel": "SD999902",
        "theme": "jeugdoverlast",
        "year": html.split('name="year"')[1].split('value="')[1].split('"')[0],
        "text": "Hangplek bij de school",
        "email": "",
        "website": "",
    }
    response = client.post("/aandachtspunten/nieuw", data)
    assert response.status_code == 302
    punt = Aandachtspunt.objects.latest("pk")
    assert punt.stadsdeel.code == "SD999902" and punt.status == "ontvangen"
    assert "stadsdeelagenda" in client.get(response["Location"]).content.decode()
    before = table_counts()
    bad = client.post("/aandachtspunten/nieuw", data | {"text": "x" * 2001})
    assert bad.status_code == 400 and "Uw aandachtspunt</a>: " in bad.content.decode()
    assert table_counts() == before


def test_inbox_access_per_role(client, users):
    assert client.get("/meldingen/inbox")["Location"].startswith("/beheer/login/")
    a = services.submit_melding(
        category="groep_intimidatie", description="x", buurt_code=point_in("SD999901")[2].code
    )
    b = services.submit_melding(
        category="groep_intimidatie", description="y", buurt_code=point_in("SD999902")[2].code
    )
    expected = {
        "beheerder": (200, 200),
        "analist": (200, 200),
        "manager_a": (200, 404),
        "manager_b": (404, 200),
        "partner": (403, 403),
    }
    for name, (code_a, code_b) in expected.items():
        client.force_login(users[name])
        assert client.get(f"/meldingen/inbox/{a.pk}").status_code == code_a, name
        assert client.get(f"/meldingen/inbox/{b.pk}").status_code == code_b, name
        listing = client.get("/meldingen/inbox")
        if name == "partner":
            assert listing.status_code == 403
            continue
        html = listing.content.decode()
        assert (f'data-melding="{a.pk}"' in html) == (code_a == 200), name
        assert (f'data-melding="{b.pk}"' in html) == (code_b == 200), name


def test_the_manager_changes_status_with_a_public_note_and_access_is_logged(client, users):
    response = post_melding(client, email="melder@example.org")
    status_url = response["Location"]
    melding = Melding.objects.get(tracking_code=status_url.rsplit("/", 1)[1])
    manager = Client()
    manager.force_login(users["manager_a"])
    assert manager.get(f"/meldingen/inbox/{melding.pk}").status_code == 200
    assert PersonalDataAccess.objects.filter(melding=melding, user=users["manager_a"]).exists()
    done = manager.post(
        f"/meldingen/inbox/{melding.pk}",
        {
            "status-status": "in_behandeling",
            "status-note": "We gaan kijken",
            "status-note_public": "on",
        },
    )
    assert done.status_code == 302
    manager.post(f"/meldingen/inbox/{melding.pk}", {"notitie-text": "intern: buurtagent"})
    melding.refresh_from_db()
    assert melding.status == Status.IN_BEHANDELING
    html = client.get(status_url).content.decode()
    assert "in behandeling" in html and "We gaan kijken" in html
    assert "intern: buurtagent" not in html
    wrong = manager.post(f"/meldingen/inbox/{melding.pk}", {"status-status": "heropend"})
    assert wrong.status_code == 400
    other = Client()
    other.force_login(users["manager_b"])
    assert (
        other.post(f"/meldingen/inbox/{melding.pk}", {"status-status": "afgehandeld"}).status_code
        == 404
    )
    melding.refresh_from_db()
    assert melding.status == Status.IN_BEHANDELING


def test_admin_lists_meldingen_scoped_and_without_personal_data(client, users):
    a = services.submit_melding(
        category="groep_intimidatie",
        description="geheim-a",
        email="a@example.org",
        buurt_code=point_in("SD999901")[2].code,
    )
    b = services.submit_melding(
        category="groep_intimidatie",
        description="geheim-b",
        buurt_code=point_in("SD999902")[2].code,
    )
    client.force_login(users["manager_a"])
    assert client.get(f"/beheer/meldingen/melding/{a.pk}/change/").status_code == 200
    assert client.get(f"/beheer/meldingen/melding/{b.pk}/change/").status_code in (302, 404)
    html = client.get(f"/beheer/meldingen/melding/{a.pk}/change/").content.decode()
    assert "geheim-a" not in html and "a@example.org" not in html


def test_logs_carry_no_email_and_no_tracking_code(client, settings):
    import io
    import logging

    # the configured console handler carries the scrubbing filter
    console = settings.LOGGING["handlers"]["console"]
    assert "persoonsgegevens" in console["filters"]
    assert settings.LOGGING["filters"]["persoonsgegevens"]["()"].endswith("ScrubPersonalData")
    stream = io.StringIO()
    capture = logging.StreamHandler(stream)
    capture.addFilter(logfilter.ScrubPersonalData())
    root, old_level = logging.getLogger(), logging.getLogger().level
    # another library's dictConfig may have disabled existing loggers earlier in the run
    loggers = [logging.getLogger(n) for n in ("django.request", "veiligheidskaart.meldingen.views")]
    was_disabled = [lg.disabled for lg in loggers]
    for lg in loggers:
        lg.disabled = False
    root.addHandler(capture)
    root.setLevel(logging.INFO)
    try:
        response = post_melding(client, email="lek@example.org")
        code = response["Location"].rsplit("/", 1)[1]
        client.get(f"/meldingen/{code[:-1]}a")  # 404: Django logs the path
        logging.getLogger("veiligheidskaart.test").warning("mail van lek@example.org, %s", code)
    finally:
        root.removeHandler(capture)
        root.setLevel(old_level)
        for lg, disabled in zip(loggers, was_disabled, strict=True):
            lg.disabled = disabled
    logged = stream.getvalue()
    assert "melding" in logged and "Not Found" in logged and "[e-mail]" in logged
    assert "lek@example.org" not in logged and code not in logged and code[3:-1] not in logged


@pytest.mark.parametrize("module", [registry, logfilter])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0
