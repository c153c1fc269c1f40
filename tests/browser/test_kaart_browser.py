"""/kaart in headless Chromium: buurten drawn, legend shown, no JavaScript errors."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def test_kaart_draws_every_buurt_with_a_legend(server, page):
    page.goto(server + "/kaart")
    element = page.locator("#kaart")
    page.wait_for_function("document.getElementById('kaart').dataset.featureCount !== '0'")
    count = int(element.get_attribute("data-feature-count"))
    drawn = page.locator("#kaart path.leaflet-interactive").count()
    assert count >= 60 and drawn == count
    assert page.locator("#kaart-status").text_content() == f"{count} buurten getoond"
    legend = page.locator("aside.legenda")
    assert legend.locator("h2").text_content() == "Legenda"
    assert legend.locator("li").count() >= 3
    hatched = page.locator("#kaart path[fill='url(#vk-hatch)']").count()
    assert hatched >= 3, "buurten onder 200 inwoners horen gearceerd te zijn"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "kaart-demostad.png"), full_page=True)
    assert page.js_errors == []


def test_tooltip_shows_dutch_numbers(server, page):
    page.goto(server + "/kaart")
    page.wait_for_function("document.getElementById('kaart').dataset.featureCount !== '0'")
    page.locator("#kaart path.leaflet-interactive").nth(5).hover(force=True)
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert "inwoners" in tooltip.text_content()
    assert page.js_errors == []


@pytest.mark.parametrize("path", ["/beheer/login/", "/kaart?jaar=2023"])
def test_other_pages_load_without_javascript_errors(server, page, path):
    response = page.goto(server + path)
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.js_errors == []


def test_switching_indicator_and_period_keeps_state_in_the_url(server, page):
    page.goto(server + "/kaart")
    page.wait_for_function("document.getElementById('kaart').dataset.featureCount !== '0'")
    page.select_option("select[name=indicator]", "jeugdoverlast")
    page.fill("input[name=periode]", "2024-H2")
    page.select_option("select[name=niveau]", "wijk")
    page.click("form.kaart-keuze button")
    page.wait_for_function("document.getElementById('kaart').dataset.featureCount === '14'")
    assert "indicator=jeugdoverlast" in page.url and "periode=2024-H2" in page.url
    assert "Overlast jeugd per wijk, 2e halfjaar 2024" in page.locator("h1").text_content()
    assert page.locator("#kaart-status").text_content() == "14 wijken getoond"
    page.screenshot(path=str(ARTIFACTS / "kaart-demostad-jeugdoverlast.png"), full_page=True)
    assert page.js_errors == []


def test_keyboard_reaches_the_controls(server, page):
    page.goto(server + "/kaart")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "document.activeElement.tagName + ':' + document.activeElement.textContent"
    )
    assert focused  # the skip link and the menu are reachable without a mouse
    page.focus("select[name=indicator]")
    page.keyboard.press("ArrowDown")
    assert page.js_errors == []
