"""Small builders for database tests: hand-made files in the published layouts."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.apps import apps

OUR_APPS = (
    "areas",
    "catalogue",
    "sources",
    "observations",
    "accounts",
    "meldingen",
    "policy",
    "reports",
)
CRIME_HEADER = '"ID";"SoortMisdrijf";"WijkenEnBuurten";"Perioden";"GeregistreerdeMisdrijven_1"\n'


def table_counts() -> dict[str, int]:
    """Row count of every model of our apps, plus auth users and groups."""
    counts = {}
    for label in OUR_APPS + ("auth",):
        for model in apps.get_app_config(label).get_models():
            counts[model._meta.label] = model.objects.count()
    return counts


def square(x: float, y: float, size: float = 500.0) -> list[list[list[float]]]:
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def write_buurten(
    path: Path,
    gemeente: str = "GM9990",
    crs: bool = True,
    origin: tuple[float, float] = (200_000.0, 450_000.0),
) -> Path:
    """Two adjacent square buurten in one wijk, in RD New."""
    x, y = origin
    features = [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": square(x + 500 * i, y)},
         "properties": {"buurtcode": f"BU{gemeente[2:]}000{i}", "buurtnaam": f"Testbuurt {i}",
                        "wijkcode": f"WK{gemeente[2:]}00", "wijknaam": "Testwijk",
                        "gemeentecode": gemeente, "gemeentenaam": "Testdorp", "water": "NEE",
                        "jaar": 2024}}
        for i in range(2)
    ]  # fmt: skip
    collection: dict[str, object] = {"type": "FeatureCollection", "features": features}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def write_crime(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    lines = [CRIME_HEADER] + [
        f'{i};"{code.ljust(6)}";"{area.ljust(10)}";"{period}";{value}\n'
        for i, (code, area, period, value) in enumerate(rows)
    ]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def require(condition: bool, reason: str) -> None:
    """Skip locally when a dependency is missing; under CI=true that is a failure."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (onder CI=true is dit een fout, geen skip)")
    pytest.skip(reason)
