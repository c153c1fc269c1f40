"""/gebied/<code> and /prioriteiten in headless Chromium: no JavaScript errors, axe, screenshots."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser
BUURT = "BU99990101"
BLOCKING = ("serious", "critical")


def axe_problems(page) -> list[str]:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_buurt_profile_renders_charts_and_passes_axe(server, page):
    response = page.goto(f"{server}/gebied/{BUURT}")
    assert response is not None and response.status == 200
    assert page.locator("h1").text_content().startswith("Buurt ")
    charts = page.locator("svg.grafiek[role='img']")
    assert charts.count() >= 10
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 250 and box["height"] > 120
    crumbs = page.locator("nav.kruimelpad li")
    assert crumbs.count() == 5 and "Nederland" in crumbs.first.text_content()
    screenshot(page, "gebied-demostad.png")
    assert axe_problems(page) == []
    assert page.js_errors == []


def test_profile_prints_without_navigation_but_with_charts(server, page):
    page.goto(f"{server}/gebied/{BUURT}")
    page.emulate_media(media="print")
    assert not page.locator(".site-header nav").is_visible()
    assert not page.locator(".profiel-acties").is_visible()
    assert page.locator("svg.grafiek").first.is_visible()
    assert page.js_errors == []


def test_breadcrumb_leads_up_and_children_lead_down(server, page):
    page.goto(f"{server}/gebied/{BUURT}")
    page.locator("nav.kruimelpad a", has_text="Binnenstad").click()
    page.wait_for_url("**/gebied/WK999901")
    page.locator("ul.onderdelen a").first.click()
    page.wait_for_url("**/gebied/BU*")
    assert page.js_errors == []


def test_prioriteiten_filters_without_javascript_and_passes_axe(server, page):
    response = page.goto(f"{server}/prioriteiten")
    assert response is not None and response.status == 200
    assert "Gebaseerd op openbare bronnen" in page.locator(".bron-noot").text_content()
    assert page.locator("table.ranglijst tbody tr").count() == 50
    screenshot(page, "prioriteiten-demostad.png")
    assert axe_problems(page) == []
    page.select_option("#filter-thema", "fietsdiefstal")
    page.select_option("#filter-kans", "0")
    page.get_by_role("button", name="Filter toepassen").click()
    page.wait_for_url("**/prioriteiten?*thema=fietsdiefstal*")
    themes = page.locator("table.ranglijst tbody tr td:nth-child(2)").all_text_contents()
    assert themes and set(themes) == {"Fietsdiefstal"}
    assert axe_problems(page) == []
    assert page.js_errors == []


def test_prioriteiten_links_to_the_area_profile(server, page):
    page.goto(f"{server}/prioriteiten")
    link = page.locator("table.ranglijst tbody th a").first
    code = link.get_attribute("href").rsplit("/", 1)[1]
    link.click()
    page.wait_for_url(f"**/gebied/{code}")
    assert page.locator("h1").text_content().startswith("Buurt ")
    assert page.js_errors == []


def test_unknown_area_page_is_dutch_and_accessible(server, page):
    response = page.goto(f"{server}/gebied/BU00000000")
    assert response is not None and response.status == 404
    assert page.locator("h1").text_content() == "Gebied niet gevonden"
    assert axe_problems(page) == []
