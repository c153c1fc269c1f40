"""/kaart and a /gebied profile on real Enschede data from ../shared/data, in Chromium.

Imported through the CLI as a user would: the 2021 buurt geometry, the 2024 population and the
2023 police totals per buurt (47018NED, yearly). Skips without ../shared, fails under CI=true.
Kennispark (few inhabitants, many crimes) must be "geen zinvol tarief", not the worst buurt.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, _cli, _free_port, _wait_for
from tests.browser.test_pages_browser import axe_problems

pytestmark = [pytest.mark.browser, pytest.mark.shared]
KENNISPARK = "BU01530703"
CRIME = (
    "crime/47018NED_2023_buurten/"
    "47018NED_2023_totaal_misdrijven_buurten_enschede_groningen_beverwijk.csv"
)
IMPORTS = (
    ("areas", "geo/enschede_buurten_2021.geojson", []),
    ("population", "population/kwb_2024/85984NED_bevolking_buurten_2024.csv", []),
    ("crime", CRIME, ["--jaar", "2024"]),
)


@pytest.fixture(scope="module")
def enschede(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("enschede")
    env = {k: v for k, v in os.environ.items() if k != "VK_DATABASE_URL"}
    env["VK_DATA_DIR"] = str(data_dir)
    subprocess.run(_cli() + ["migrate"], env=env, check=True, capture_output=True)
    for kind, path, extra in IMPORTS:
        subprocess.run(_cli() + ["import", kind, str(shared_data / path), *extra], env=env,
                       check=True, capture_output=True)  # fmt: skip
    port = _free_port()
    log_path = data_dir / "server-stderr.log"
    log = open(log_path, "wb")  # noqa: SIM115
    process = subprocess.Popen(_cli() + ["serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=log)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/kaart", process, log_path)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_enschede_map_shows_kennispark_as_no_meaningful_rate(enschede, page):
    page.goto(enschede + "/kaart")
    page.wait_for_function("document.getElementById('kaart').dataset.featureCount !== '0'")
    assert page.locator("#kaart").get_attribute("data-feature-count") == "70"
    data = json.loads(page.locator("#kaart-data").text_content())
    by_code = {f["properties"]["code"]: f["properties"] for f in data["features"]}
    kennispark = by_code[KENNISPARK]
    assert kennispark["status"] == "geen zinvol tarief" and kennispark["class"] == -1
    assert kennispark["count"] == 248  # many crimes, still not the worst class
    worst = max((p for p in by_code.values() if p["value"] is not None), key=lambda p: p["value"])
    assert worst["code"] != KENNISPARK
    assert page.locator("#kaart path[fill='url(#vk-hatch)']").count() >= 5
    legend = page.locator("aside.legenda").text_content()
    assert "geen zinvol tarief" in legend and "47018NED" in legend
    assert "Politie via CBS" in legend and "2023" in page.locator("h1").text_content()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "kaart-enschede.png"), full_page=True)
    assert axe_problems(page) == []
    assert page.js_errors == []


def test_enschede_kennispark_profile_has_no_rate_and_no_ratio(enschede, page):
    response = page.goto(f"{enschede}/gebied/{KENNISPARK}")
    assert response is not None and response.status == 200
    assert page.locator("h1").text_content() == "Buurt Kennispark"
    indicator = page.locator("span.indicator", has_text="Geregistreerde misdrijven, totaal")
    cells = [t.strip() for t in page.locator("table.cijfers tbody tr", has=indicator)
             .locator("td").all_text_contents()]  # fmt: skip
    assert cells[0] == "248"
    assert cells[1] == "geen zinvol tarief" and cells[3] == "geen zinvol tarief"
    page.screenshot(path=str(ARTIFACTS / "gebied-enschede-kennispark.png"), full_page=True)
    assert axe_problems(page) == []
    assert page.js_errors == []


def test_enschede_wijk_profile_compares_with_the_rest(enschede, page):
    page.goto(f"{enschede}/gebied/WK015300")
    indicator = page.locator("span.indicator", has_text="Geregistreerde misdrijven, totaal")
    cells = [t.strip() for t in page.locator("table.cijfers tbody tr", has=indicator)
             .locator("td").all_text_contents()]  # fmt: skip
    assert "per 1.000 inwoners" in cells[1] and "×" in cells[3]
    page.screenshot(path=str(ARTIFACTS / "gebied-enschede-wijk.png"), full_page=True)
    assert page.js_errors == []
