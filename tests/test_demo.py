"""Demostad in the database: loaded through the import path, idempotent, with its shape."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Sum

from tests.helpers import table_counts
from veiligheidskaart.areas.models import Area
from veiligheidskaart.demo.services import DEMO_ADMIN, build_demo
from veiligheidskaart.observations.models import Event, Kerncijfer, Observation
from veiligheidskaart.sources.models import Dataset

pytestmark = pytest.mark.django_db
DEMOSTAD = "GM9999"


def test_demostad_has_the_required_areas():
    areas = Area.objects.filter(gemeente_code=DEMOSTAD)
    assert areas.filter(level="buurt").count() >= 60
    assert areas.filter(level="wijk").count() >= 12
    assert areas.filter(level="stadsdeel").count() >= 4
    assert not areas.filter(level="buurt", geometry_rd__isnull=True).exists()
    assert not areas.filter(level__in=["buurt", "wijk"], stadsdeel__isnull=True).exists()


def test_population_of_buurten_adds_up_to_the_gemeente():
    buurten = Kerncijfer.objects.filter(
        year=2024, area__level="buurt", area__gemeente_code=DEMOSTAD
    )
    total = Kerncijfer.objects.get(year=2024, area__code=DEMOSTAD).inhabitants
    assert buurten.aggregate(s=Sum("inhabitants"))["s"] == total
    assert total > 150_000


def test_every_source_of_the_manifest_is_a_current_dataset():
    manifest = json.loads((Path(settings.VK_DATA_DIR) / "demostad" / "manifest.json").read_text())
    current = Dataset.objects.filter(is_current=True)
    assert current.count() >= len(manifest["bestanden"])
    kinds = set(current.values_list("kind", flat=True))
    assert {
        "areas",
        "codelist",
        "stadsdelen",
        "population",
        "crime",
        "overlast",
        "survey",
        "panel",
        "meldingen",
        "records",
    } <= kinds


def test_incomplete_months_are_flagged_and_2024_is_complete():
    crime = Observation.objects.filter(
        dataset__table_id="47022NED", area__code=DEMOSTAD, source_code="0.0.0", granularity="month"
    )
    assert set(
        crime.filter(period_start__gte=date(2025, 1, 1)).values_list("status", flat=True)
    ) == {"incomplete"}
    assert not crime.filter(period_start__lt=date(2025, 1, 1), status="incomplete").exists()


def test_meldingen_are_assigned_to_buurten():
    meldingen = Event.objects.filter(dataset__kind="meldingen")
    assert meldingen.count() >= 2900  # ≥ 3,000 generated, exact duplicates stored once
    assert meldingen.filter(assignment="point").count() == meldingen.count()
    assert meldingen.filter(duplicates__gt=0).exists()


def test_planted_signals_are_stored_next_to_the_database():
    signals = json.loads(
        (Path(settings.VK_DATA_DIR) / "demostad" / "geplante_signalen.json").read_text()
    )
    codes = {code for signal in signals for code in signal["gebieden"]}
    assert codes and Area.objects.filter(code__in=codes).count() == len(codes)


def test_second_demo_run_changes_no_row_count():
    before = table_counts()
    summary = build_demo()
    assert summary.datasets_new == 0
    assert table_counts() == before
    assert User.objects.filter(username=DEMO_ADMIN, is_superuser=True).exists()
