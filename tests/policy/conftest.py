"""Users of each role for the policy tests (Demostad has stadsdelen SD999901-SD999905)."""

from __future__ import annotations

import pytest

from veiligheidskaart.accounts.services import create_user

CENTRUM, WEST = "SD999901", "SD999904"


@pytest.fixture
def analist(db):
    return create_user("t-analist", "analist", "x-wachtwoord-analist")


@pytest.fixture
def manager_centrum(db):
    return create_user(
        "t-sdm-centrum", "stadsdeelmanager", "x-wachtwoord-sdm", stadsdelen=[CENTRUM]
    )


@pytest.fixture
def partner(db):
    return create_user("t-partner", "partner", "x-wachtwoord-partner")
