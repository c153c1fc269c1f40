"""One server subprocess on the prebuilt demo database, and headless Debian Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import require

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
ARTIFACTS = Path(os.environ.get("VK_ARTIFACTS_DIR", "artifacts"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cli() -> list[str]:
    return [sys.executable, "-m", "veiligheidskaart"]


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo built once by `make test` (VK_TEST_DEMO_DIR), or built here."""
    target = tmp_path_factory.mktemp("demo-server")
    prebuilt = os.environ.get("VK_TEST_DEMO_DIR")
    env = {k: v for k, v in os.environ.items() if k != "VK_DATABASE_URL"}
    if prebuilt and (Path(prebuilt) / "veiligheidskaart.sqlite3").exists():
        shutil.copytree(prebuilt, target, dirs_exist_ok=True)
    else:
        env["VK_DATA_DIR"] = str(target)
        subprocess.run(_cli() + ["demo", "--no-serve"], env=env, check=True, capture_output=True)
    return target


@pytest.fixture(scope="session")
def server(demo_data_dir: Path) -> Iterator[str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "VK_DATABASE_URL"}
    env["VK_DATA_DIR"] = str(demo_data_dir)
    # stderr goes to a file: an unread pipe fills up and stalls the server
    log = open(demo_data_dir / "server-stderr.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        _cli() + ["serve", "--port", str(port), "--workers", "2"], env=env,
        stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/kaart", process, demo_data_dir / "server-stderr.log")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server gestopt: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server niet bereikbaar op {url}")


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} ontbreekt (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.js_errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))  # type: ignore[attr-defined]
    page.on("console", lambda msg: msg.type == "error" and page.js_errors.append(msg.text))  # type: ignore[attr-defined]
    yield page
    context.close()
