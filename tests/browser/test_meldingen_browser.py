"""A resident files a melding in Chromium; the stadsdeelmanager of that stadsdeel handles it,
the manager of another stadsdeel never sees it, and the resident's status page shows the change.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.browser.test_pages_browser import axe_problems, screenshot
from veiligheidskaart.meldingen.demo import MANAGER, PASSWORD_FILE

pytestmark = pytest.mark.browser
DESCRIPTION = "Er wordt gedeald bij de speeltuin (browsertest)."


def _query(data_dir: Path, sql: str, *args: object) -> tuple:  # type: ignore[type-arg]
    with sqlite3.connect(data_dir / "veiligheidskaart.sqlite3") as db:
        row = db.execute(sql, args).fetchone()
    assert row is not None, sql
    return tuple(row)


def _managers(data_dir: Path) -> dict[str, tuple[str, str]]:
    """stadsdeel code → (username, password) of the demo's stadsdeelmanagers."""
    out = {}
    for n in (1, 2):
        username = MANAGER.format(n=n)
        (code,) = _query(
            data_dir,
            "SELECT a.code FROM accounts_stadsdeelscope s "
            "JOIN auth_user u ON u.id = s.user_id JOIN areas_area a "
            "ON a.id = s.stadsdeel_id WHERE u.username = ?",
            username,
        )
        out[code] = (username, (data_dir / PASSWORD_FILE.format(n=n)).read_text().strip())
    return out


def _login(browser, server: str, username: str, password: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.js_errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))  # type: ignore[attr-defined]
    page.goto(f"{server}/beheer/login/?next=/meldingen/inbox")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(re.compile(r".*/meldingen/inbox$"))
    return context, page


def test_resident_files_manager_handles_resident_sees_the_change(
    server, page, browser, demo_data_dir
):
    page.goto(f"{server}/meldingen/nieuw")
    assert "Spoed? Bel 112." in page.locator(".spoed").text_content()
    assert axe_problems(page) == []
    page.select_option("#id_category", "overlast_drugs")
    kaart = page.locator("#melding-kaart")
    assert kaart.is_visible()  # JavaScript shows the map; without it only the buurt select
    box = kaart.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("document.getElementById('id_lat').value !== ''")
    buurt = page.locator("#id_buurt_code").input_value()
    assert re.fullmatch(r"BU\d{8}", buurt)
    assert "Plek gekozen in buurt" in page.locator("#kaart-keuze").text_content()
    page.fill("#id_description", DESCRIPTION)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/meldingen/vk-[a-z2-7]{16}$"))
    status_url = page.url
    code = status_url.rsplit("/", 1)[1]
    assert page.locator("#melding-status").text_content().strip() == "gemeld"
    assert DESCRIPTION not in page.content()
    assert axe_problems(page) == []
    screenshot(page, "melding-status.png")

    pk, stadsdeel = _query(
        demo_data_dir,
        "SELECT m.id, sd.code FROM meldingen_melding m "
        "JOIN areas_area sd ON sd.id = m.stadsdeel_id "
        "WHERE m.tracking_code = ?",
        code,
    )
    (buurt_stadsdeel,) = _query(
        demo_data_dir,
        "SELECT sd.code FROM areas_area b JOIN areas_area "
        "sd ON sd.id = b.stadsdeel_id WHERE b.code = ? ORDER BY "
        "b.vintage DESC",
        buurt,
    )
    assert stadsdeel == buurt_stadsdeel
    managers = _managers(demo_data_dir)
    other = next(c for c in managers if c != stadsdeel)

    context, other_page = _login(browser, server, *managers[other])
    assert other_page.locator(f'tr[data-melding="{pk}"]').count() == 0
    response = other_page.goto(f"{server}/meldingen/inbox/{pk}")
    assert response is not None and response.status == 404
    context.close()

    context, own = _login(browser, server, *managers[stadsdeel])
    assert own.locator(f'tr[data-melding="{pk}"]').count() == 1
    assert axe_problems(own) == []
    screenshot(own, "meldingen-inbox.png")
    own.click(f'tr[data-melding="{pk}"] a')
    assert DESCRIPTION in own.content()  # the handler sees the text (and the look is logged)
    own.select_option("#id_status-status", "in_behandeling")
    own.fill("#id_status-note", "De wijkagent gaat vanavond langs.")
    own.check("#id_status-note_public")
    own.click("form[aria-labelledby=status-kop] button[type=submit]")
    own.wait_for_load_state()
    assert own.locator("#melding-status").text_content().strip().startswith("in behandeling")
    assert axe_problems(own) == []
    screenshot(own, "melding-behandelen.png")
    assert own.js_errors == []  # type: ignore[attr-defined]
    context.close()

    page.goto(status_url)
    assert page.locator("#melding-status").text_content().strip() == "in behandeling"
    assert "De wijkagent gaat vanavond langs." in page.locator(".berichten").text_content()
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_aandachtspunten_form_passes_axe_and_submits(server, page):
    page.goto(f"{server}/aandachtspunten/nieuw")
    assert axe_problems(page) == []
    page.select_option("#id_stadsdeel", "SD999902")
    page.select_option("#id_theme", "jeugdoverlast")
    page.fill("#id_text", "Een hangplek met toezicht bij het sportpark.")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/aandachtspunten/ontvangen$"))
    assert "stadsdeelagenda" in page.content()
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_form_errors_are_announced_and_pass_axe(server, page):
    page.goto(f"{server}/meldingen/nieuw")
    page.click("button[type=submit]")
    assert page.locator("#foutoverzicht").is_visible()
    assert "Waar gaat uw melding over?" in page.locator("#foutoverzicht").text_content()
    assert page.locator("#id_category").get_attribute("aria-invalid") == "true"
    assert axe_problems(page) == []
    screenshot(page, "melding-fouten.png")
    # the page itself answers 400 (the browser logs that); no other error
    errors = [e for e in page.js_errors if "status of 400" not in e]  # type: ignore[attr-defined]
    assert errors == []


def test_the_form_works_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{server}/meldingen/nieuw")
    assert not page.locator("#melding-kaart").is_visible()  # the map needs JavaScript
    page.select_option("#id_category", "omgeving_vernieling")
    page.select_option("#id_buurt_code", index=1)  # the first buurt of the list
    page.fill("#id_description", "Bushokje vernield (zonder JavaScript).")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/meldingen/vk-[a-z2-7]{16}$"))
    assert page.locator("#melding-status").text_content().strip() == "gemeld"
    context.close()
