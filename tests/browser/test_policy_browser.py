"""The policy pages in Chromium, logged in as the demo's beheerder: they render and pass axe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.test_pages_browser import axe_problems, screenshot

pytestmark = pytest.mark.browser
PAGES = ["/doelen", "/acties", "/acties/1", "/acties/nieuw", "/actieplan/2025",
         "/agenda/SD999901?jaar=2025", "/begroting", "/beleid/prioriteiten",
         "/gebied/BU99991301", "/beleid/prioriteiten/nieuw", "/doelen/nieuw",
         "/doelen/3/bewerken", "/begroting/nieuw"]  # fmt: skip


@pytest.fixture
def logged_in(browser, server: str, demo_data_dir: Path):  # type: ignore[no-untyped-def]
    password = (demo_data_dir / "demo_admin_password").read_text().strip()
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.goto(f"{server}/beheer/login/?next=/doelen")
    page.fill("#id_username", "demo-beheerder")
    page.fill("#id_password", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(re.compile(r".*/doelen$"))
    yield page
    context.close()


def test_policy_pages_render_and_pass_axe(server, logged_in):
    page = logged_in
    for path in PAGES:
        response = page.goto(f"{server}{path}")
        assert response is not None and response.status == 200, path
        assert axe_problems(page) == [], path
    page.goto(f"{server}/doelen")
    assert page.locator(".status").first.text_content() == "behaald binnen de marge van toeval"
    screenshot(page, "doelen.png")
