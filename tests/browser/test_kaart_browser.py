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


def test_clicking_a_buurt_opens_its_profile_with_the_api_figures(server, page):
    from veiligheidskaart.analysis.priority import dutch_number

    page.goto(server + "/kaart")
    page.wait_for_function("document.getElementById('kaart').dataset.featureCount !== '0'")
    page.locator("#kaart path.leaflet-interactive").nth(20).click(force=True)
    page.wait_for_url("**/gebied/BU*")
    code = page.url.rsplit("/", 1)[1]
    api = page.request.get(
        f"{server}/api/v1/areas/{code}/series/?indicator=misdrijven_totaal"
    ).json()  # fmt: skip
    year = api["statistics"]["run"]["year"]
    row = next(y for y in api["yearly"] if y["year"] == year)
    assert api["statistics"]["count"] == row["count"] and api["statistics"]["rate"] == row["rate"]
    indicator = page.locator("span.indicator", has_text="Geregistreerde misdrijven, totaal")
    cells = page.locator("table.cijfers tbody tr", has=indicator).locator("td")
    texts = [t.strip() for t in cells.all_text_contents()]
    assert texts[0] == dutch_number(row["count"], 0)
    if row["rate"] is None:
        assert texts[1] == "geen zinvol tarief"
    else:
        assert texts[1].startswith(dutch_number(row["rate"], 1) + " per 1.000 inwoners")
        assert texts[2] == f"{dutch_number(row['lower'], 1)} – {dutch_number(row['upper'], 1)}"
        ratio = api["statistics"]["ratio"]
        assert texts[3].startswith(f"{dutch_number(ratio, 1)}×")
    assert page.js_errors == []


def test_kaart_passes_axe(server, page):
    from tests.browser.test_pages_browser import axe_problems

    page.goto(server + "/kaart")
    page.wait_for_function("document.getElementById('kaart').dataset.featureCount !== '0'")
    assert axe_problems(page) == []
    assert page.locator("fieldset.interne-lagen").count() == 0
    assert page.js_errors == []


def test_internal_layers_after_login(server, page, demo_data_dir):
    from tests.browser.test_pages_browser import axe_problems

    password = (demo_data_dir / "demo_admin_password").read_text().strip()
    page.goto(server + "/beheer/login/?next=/kaart")
    page.fill("input[name=username]", "demo-beheerder")
    page.fill("input[name=password]", password)
    page.locator("input[type=submit]").click()
    page.goto(server + "/kaart?periode=2024&dichtheid=1&focus=1")
    page.wait_for_function("document.getElementById('kaart').dataset.densityBands !== undefined")
    element = page.locator("#kaart")
    assert element.get_attribute("data-focus-count") == "2"
    assert element.get_attribute("data-density-bands") not in ("0", "fout")
    assert page.locator("#legenda-dichtheid").is_visible()
    assert "meldingen" in page.locator("#kaart-status").text_content()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "kaart-demostad-intern.png"), full_page=True)
    assert axe_problems(page) == []
    assert page.js_errors == []
