"""Users in every role, and one melding in each of Demostad's two stadsdelen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from veiligheidskaart.accounts.apikeys import create_key
from veiligheidskaart.accounts.services import create_user
from veiligheidskaart.areas.models import Area
from veiligheidskaart.meldingen.models import Melding
from veiligheidskaart.meldingen.routing import to_wgs84
from veiligheidskaart.meldingen.services import submit_melding

PASSWORD = "een-lang-test-wachtwoord"
SD_A, SD_B = "SD999901", "SD999902"
PUBLIC_CATEGORY = "afval_grofvuil"
PRIVATE_CATEGORY = "overlast_woon"  # not public: never in the Open311 listing


@dataclass(frozen=True)
class World:
    users: dict[str, User | None]
    melding_a: Melding
    melding_b: Melding
    api_key: str

    def client(self, role: str) -> Client:
        client = Client()
        user = self.users[role]
        if user is not None:
            client.force_login(user)
        return client


def buurt_in(stadsdeel: str) -> Area:
    return (
        Area.objects.filter(level="buurt", centroid_x__isnull=False, is_water=False)
        .filter(parent__stadsdeel__code=stadsdeel)
        .order_by("code")
        .first()
        or Area.objects.filter(level="buurt", stadsdeel__code=stadsdeel).order_by("code").first()
    )


def point_in(stadsdeel: str) -> tuple[float, float]:
    buurt = buurt_in(stadsdeel)
    return to_wgs84(buurt.centroid_x, buurt.centroid_y)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: None) -> World:
    users: dict[str, User | None] = {"anoniem": None}
    for name, role, scopes in [
        ("partner", "partner", []),
        ("sdm_a", "stadsdeelmanager", [SD_A]),
        ("sdm_b", "stadsdeelmanager", [SD_B]),
        ("analist", "analist", []),
        ("beheerder", "beheerder", []),
    ]:
        users[name] = create_user(f"t-{name}", role, PASSWORD, stadsdelen=scopes)
    # a little off the centroid, so the exact point and the buurt centroid differ
    a_lat, a_lon = (v + 0.0002 for v in point_in(SD_A))
    b_lat, b_lon = (v + 0.0002 for v in point_in(SD_B))
    melding_a = submit_melding(
        category=PUBLIC_CATEGORY,
        description="Geheime omschrijving A",
        lat=a_lat,
        lon=a_lon,
        email="bewoner-a@example.org",
    )
    melding_b = submit_melding(
        category=PRIVATE_CATEGORY,
        description="Geheime omschrijving B",
        lat=b_lat,
        lon=b_lon,
        email="bewoner-b@example.org",
    )
    assert melding_a.stadsdeel.code == SD_A and melding_b.stadsdeel.code == SD_B
    return World(users, melding_a, melding_b, create_key("test-app").key)
