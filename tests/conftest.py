"""Test set-up: a private data dir, Demostad built once per database run, shared data access."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.helpers import require

os.environ.setdefault("VK_DATA_DIR", tempfile.mkdtemp(prefix="vk-test-"))
# rate limits raised for every server the suite starts (browser tests); in this process the
# autouse fixture below does it, except for tests marked `ratelimit`
RAISED_RATE_LIMITS = 1000.0
os.environ.setdefault("VK_RATE_LIMIT_FACTOR", str(RAISED_RATE_LIMITS))

from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, max_examples=50)
hypothesis_settings.register_profile("dev", deadline=None, max_examples=30)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real open data in ../shared/data (VK_SHARED_DIR); never copied into the repo."""
    root = Path(os.environ.get("VK_SHARED_DIR", "../shared")).resolve() / "data"
    require(root.is_dir(), f"gedeelde gegevens ontbreken: {root}")
    return root


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Build Demostad once per run into the test database, through the import path."""
    from veiligheidskaart.demo.services import build_demo

    with django_db_blocker.unblock():
        build_demo()


@pytest.fixture(autouse=True)
def _raised_rate_limits(request: pytest.FixtureRequest) -> None:
    """Rate limits x1000 in every test but the rate-limit tests (marker ``ratelimit``)."""
    from django.conf import settings

    wanted = 1.0 if request.node.get_closest_marker("ratelimit") else RAISED_RATE_LIMITS
    if wanted != settings.VK_RATE_LIMIT_FACTOR:
        request.getfixturevalue("settings").VK_RATE_LIMIT_FACTOR = wanted
