"""Residents' reports as a Signalen GeoJSON export (WGS84 points, a category tree, UTC times)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Polygon

from .geometry import rng_for
from .model import City, FloatArray
from .names import slugify
from .population import Population
from .writer import write_feature_collection

N_UNIQUE = 3_990
N_DUPLICATES = 10
START = datetime(2023, 1, 1, tzinfo=UTC)
END = datetime(2025, 3, 15, tzinfo=UTC)  # exclusive: the last report is on 14 March 2025
# Keep points a few metres inside their buurt, so 6-decimal rounding cannot push them out.
INSET_M = 3.0

# (main category, sub category, share of all reports, where it happens)
CATEGORIES: tuple[tuple[str, str, float, str], ...] = (
    ("Overlast van en door personen of groepen", "Jongerenoverlast", 0.08, "inwoners"),
    ("Overlast van en door personen of groepen", "Overlast door personen", 0.06, "inwoners"),
    ("Overlast van en door personen of groepen", "Drugsoverlast", 0.04, "bezoekers"),
    ("Overlast Bedrijven en Horeca", "Geluidsoverlast horeca", 0.05, "vestigingen"),
    ("Overlast Bedrijven en Horeca", "Stankoverlast", 0.03, "vestigingen"),
    ("Overlast in de openbare ruimte", "Fietswrak", 0.05, "bezoekers"),
    ("Overlast in de openbare ruimte", "Parkeeroverlast", 0.07, "inwoners"),
    ("Overlast in de openbare ruimte", "Vuurwerkoverlast", 0.03, "inwoners"),
    ("Afval", "Grofvuil", 0.16, "inwoners"),
    ("Afval", "Container vol", 0.12, "inwoners"),
    ("Wegen, verkeer, straatmeubilair", "Straatverlichting", 0.10, "inwoners"),
    ("Wegen, verkeer, straatmeubilair", "Losse stoeptegel", 0.09, "inwoners"),
    ("Openbaar groen en water", "Boom", 0.07, "inwoners"),
    ("Openbaar groen en water", "Onkruid", 0.05, "inwoners"),
)
# Reports per hour of the day (local daytime peak, quiet nights).
HOUR_WEIGHTS = np.array(
    [1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 7, 7, 6, 5, 3, 2], dtype=float
)


@dataclass(frozen=True)
class _Melding:
    created: datetime
    lon: float
    lat: float
    category: int


def write_meldingen(path: Path, city: City, population: Population, seed: int) -> int:
    rng = rng_for(seed, 50)
    meldingen = _draw(city, population, rng)
    duplicates = [
        meldingen[int(i)] for i in rng.choice(len(meldingen), N_DUPLICATES, replace=False)
    ]
    # Stable sort: a duplicate lands right after its original, and ids follow time.
    ordered = sorted(meldingen + duplicates, key=lambda m: m.created)
    features = [_feature(n, m) for n, m in enumerate(ordered, start=1)]
    write_feature_collection(path, features)
    return len(features)


def _draw(city: City, population: Population, rng: np.random.Generator) -> list[_Melding]:
    shares = np.array([c[2] for c in CATEGORIES])
    per_category = rng.multinomial(N_UNIQUE, shares / shares.sum())
    weights = _location_weights(city, population)
    to_wgs84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)
    seconds = int((END - START).total_seconds())
    result: list[_Melding] = []
    for c, count in enumerate(per_category.tolist()):
        where = weights[CATEGORIES[c][3]]
        buurt_of = rng.choice(len(city.buurten), size=count, p=where / where.sum())
        xy = _points_in(city, buurt_of, rng)
        lon, lat = to_wgs84.transform(xy[:, 0], xy[:, 1])
        days = rng.integers(0, seconds // 86_400, count)
        hours = rng.choice(24, size=count, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
        within = rng.integers(0, 3600, count)
        for k in range(count):
            created = START + timedelta(
                days=int(days[k]), hours=int(hours[k]), seconds=int(within[k])
            )
            result.append(_Melding(created, round(float(lon[k]), 6), round(float(lat[k]), 6), c))
    return result


def _location_weights(city: City, population: Population) -> dict[str, FloatArray]:
    inwoners = population.inwoners[:, -1].astype(float)
    vestigingen = population.vestigingen[:, -1].astype(float)
    visitors = np.array([3.0 if b.is_centrum else 0.0 for b in city.buurten]) * vestigingen
    return {
        "inwoners": inwoners + 1.0,
        "vestigingen": vestigingen + 1.0,
        "bezoekers": inwoners + visitors + 1.0,
    }


def _points_in(city: City, buurt_of: np.ndarray, rng: np.random.Generator) -> FloatArray:
    """Uniform points inside each chosen buurt (rejection sampling in its bounding box)."""
    xy = np.zeros((len(buurt_of), 2))
    for b in sorted(set(buurt_of.tolist())):
        rows = np.flatnonzero(buurt_of == b)
        area = _inset(city.buurten[b].geometry)
        xy[rows] = _sample(area, len(rows), rng)
    return xy


def _inset(geometry: shapely.Geometry) -> Polygon:
    inner = geometry.buffer(-INSET_M)
    parts = [inner] if isinstance(inner, Polygon) else list(getattr(inner, "geoms", []))
    return max(parts, key=lambda p: p.area)


def _sample(area: Polygon, count: int, rng: np.random.Generator) -> FloatArray:
    minx, miny, maxx, maxy = area.bounds
    found: list[FloatArray] = []
    missing = count
    while missing > 0:
        x = rng.uniform(minx, maxx, 4 * missing + 8)
        y = rng.uniform(miny, maxy, 4 * missing + 8)
        inside = shapely.contains_xy(area, x, y)
        batch = np.column_stack([x[inside], y[inside]])[:missing]
        found.append(batch)
        missing -= len(batch)
    return np.concatenate(found)


def _feature(number: int, melding: _Melding) -> dict[str, object]:
    main, sub, _, _ = CATEGORIES[melding.category]
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [melding.lon, melding.lat]},
        "properties": {
            "id": f"SIG-{number}",
            "category": {
                "name": sub,
                "slug": slugify(sub),
                "parent": {"name": main, "slug": slugify(main)},
            },
            "created_at": melding.created.isoformat(),
        },
    }
