"""`veiligheidskaart meldingen purge|overdue`, and the demo's meldingen, managers and points."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import override_settings

from tests.meldingen.conftest import point_in
from veiligheidskaart.accounts.services import role_of
from veiligheidskaart.cli import main
from veiligheidskaart.meldingen import services
from veiligheidskaart.meldingen.demo import MANAGER, PASSWORD_FILE
from veiligheidskaart.meldingen.models import Aandachtspunt, Melding, Status

pytestmark = pytest.mark.django_db


def test_overdue_lists_open_meldingen_without_personal_data(capsys):
    lat, lon, buurt = point_in("SD999902", skip=3)
    m = services.submit_melding(
        category="overlast_vuurwerk",
        description="Geheim 77",
        email="x@example.org",
        lat=lat,
        lon=lon,
        received_at=datetime(2025, 1, 1, tzinfo=UTC),
    )
    assert main(["meldingen", "overdue"]) == 0
    out = capsys.readouterr().out
    line = next(row for row in out.splitlines() if row.startswith(f"{m.pk}\t"))
    assert line.split("\t")[1:5] == ["Vuurwerkoverlast", "SD999902", buurt.code, "2025-01-06"]
    assert "Geheim 77" not in out and "x@example.org" not in out and m.tracking_code not in out
    assert out.splitlines()[-1].endswith("meldingen over de termijn")


@override_settings(VK_RETENTION_MONTHS=1)
def test_purge_command_applies_the_retention_setting(capsys):
    lat, lon, _ = point_in("SD999901")
    m = services.submit_melding(
        category="afval_container",
        description="Weg ermee",
        email="y@example.org",
        lat=lat,
        lon=lon,
        received_at=datetime(2025, 1, 1, tzinfo=UTC),
    )
    assert main(["meldingen", "purge"]) == 0
    assert "bewaartermijn 1 maanden" in capsys.readouterr().out
    m.refresh_from_db()
    assert m.email == "" and m.description == "" and m.coarsened_at is not None
    assert not Melding.objects.filter(
        received_at__lt=datetime(2025, 6, 1, tzinfo=UTC), coarsened_at__isnull=True
    ).exists()
    assert (
        not Aandachtspunt.objects.exclude(email="")
        .filter(received_at__lt=datetime(2025, 6, 1, tzinfo=UTC))
        .exists()
    )


def test_the_demo_has_managers_per_stadsdeel_with_kept_passwords():
    for n, code in ((1, "SD999901"), (2, "SD999902")):
        manager = User.objects.get(username=MANAGER.format(n=n))
        assert role_of(manager) == "stadsdeelmanager"
        assert [s.stadsdeel.code for s in manager.stadsdeel_scopes.all()] == [code]
        path = Path(settings.VK_DATA_DIR) / PASSWORD_FILE.format(n=n)
        assert manager.check_password(path.read_text().strip())
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        seen = services.visible_meldingen(manager).filter(source="demo")
        assert seen.exists() and not seen.exclude(stadsdeel__code=code).exists()


def test_the_demo_meldingen_cover_every_status_both_stadsdelen_and_a_duplicate():
    demo = Melding.objects.filter(source="demo")
    assert set(demo.values_list("status", flat=True)) == set(Status.values)
    assert set(demo.values_list("stadsdeel__code", flat=True)) == {"SD999901", "SD999902"}
    assert demo.filter(duplicate_of__isnull=False).count() == 2
    assert demo.filter(notes__public=True).exists()
    assert (
        demo.filter(event__isnull=False).count()
        == demo.filter(duplicate_of__isnull=True)
        .exclude(category__in=["afval_grofvuil", "wegen_verlichting"])
        .count()
    )
    years = set(Aandachtspunt.objects.values_list("year", flat=True))
    assert {2024, 2025} <= years
