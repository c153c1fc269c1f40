"""/rapporten and a report in headless Chromium: no JavaScript errors, axe, screenshots."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_pages_browser import axe_problems, screenshot

pytestmark = pytest.mark.browser


def test_public_rapporten_lists_the_published_tussenstand_and_passes_axe(server, page):
    response = page.goto(f"{server}/rapporten")
    assert response is not None and response.status == 200
    row = page.locator("table.cijfers tbody tr", has_text="Tussenstand")
    assert row.count() == 1
    assert page.locator("text=Rapport aanvragen").count() == 0
    screenshot(page, "rapporten-publiek.png")
    assert axe_problems(page) == []
    row.locator("th a").click()
    page.wait_for_load_state()
    assert page.locator("h1").text_content().startswith("Tussenstand")
    assert "Status: gepubliceerd" in page.locator("main").text_content()
    assert axe_problems(page) == []
    assert page.js_errors == []


def test_the_report_document_in_the_browser_passes_axe(server, page):
    page.goto(f"{server}/rapporten")
    page.locator("table.cijfers tbody tr a", has_text="HTML").first.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nl"
    figures = page.locator("figure img")
    assert figures.count() >= 2
    assert all(figures.nth(i).get_attribute("alt") for i in range(figures.count()))
    box = figures.first.bounding_box()
    assert box is not None and box["width"] > 300
    screenshot(page, "rapport-document.png")
    assert axe_problems(page) == []
    assert page.js_errors == []


def test_the_beheerder_sees_the_request_form_and_the_job_table(server, page, demo_data_dir):
    password = (demo_data_dir / "demo_admin_password").read_text().strip()
    page.goto(f"{server}/beheer/login/?next=/rapporten")
    page.fill("#id_username", "demo-beheerder")
    page.fill("#id_password", password)
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_url(f"{server}/rapporten")
    assert page.locator("#aanvragen-kop").count() == 1
    assert page.locator("#taken-kop").count() == 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot(page, "rapporten-beheerder.png")
    assert axe_problems(page) == []
    assert page.js_errors == []
