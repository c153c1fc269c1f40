"""Routing: a point (WGS84) or a buurt code → buurt, wijk and stadsdeel of the home gemeente.

Point-in-polygon runs in RD New against the buurten with geometry (shapely STRtree). The tree
is cached per process and rebuilt when the set of buurten changes (count and highest id).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from threading import Lock

import shapely
from django.db.models import Case, Count, Max, When
from shapely import wkb

from veiligheidskaart.areas.geometry import RD, WGS84, transformer
from veiligheidskaart.areas.models import Area, Level
from veiligheidskaart.observations.queries import home_gemeente


@dataclass(frozen=True)
class Route:
    buurt_id: int
    wijk_id: int | None
    stadsdeel_id: int | None
    x_rd: float | None
    y_rd: float | None


@dataclass(frozen=True)
class _Tree:
    key: tuple[int, int]
    tree: shapely.STRtree
    buurten: tuple[tuple[int, int | None, int | None], ...]  # (id, wijk id, stadsdeel id)


_cache: dict[str, _Tree] = {}
_lock = Lock()


def to_rd(lat: float, lon: float) -> tuple[float, float]:
    x, y = transformer(WGS84, RD).transform(lon, lat)
    return float(x), float(y)


def to_wgs84(x: float, y: float) -> tuple[float, float]:
    """(lat, lon) of an RD point."""
    lon, lat = transformer(RD, WGS84).transform(x, y)
    return float(lat), float(lon)


def valid_coordinate(lat: float, lon: float) -> bool:
    return math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180


def _tree(gemeente_code: str) -> _Tree | None:
    rows = Area.objects.filter(
        level=Level.BUURT, gemeente_code=gemeente_code, geometry_rd__isnull=False
    )
    agg = rows.aggregate(n=Count("id"), m=Max("id"))
    key = (int(agg["n"] or 0), int(agg["m"] or 0))
    with _lock:
        cached = _cache.get(gemeente_code)
        if cached is not None and cached.key == key:
            return cached
    if key[0] == 0:
        return None
    data = list(
        rows.values_list(
            "id",
            "parent_id",
            "parent__level",
            "stadsdeel_id",
            "parent__stadsdeel_id",
            "geometry_rd",
        )
    )
    polys = [wkb.loads(bytes(row[5])) for row in data]
    buurten = tuple(
        (row[0], row[1] if row[2] == Level.WIJK else None, row[3] or row[4]) for row in data
    )
    built = _Tree(key, shapely.STRtree(polys), buurten)
    with _lock:
        _cache[gemeente_code] = built
    return built


def route_point(lat: float, lon: float) -> Route | None:
    """The buurt of the home gemeente that contains the point, or None when outside."""
    gemeente = home_gemeente()
    if gemeente is None:
        return None
    tree = _tree(gemeente.code)
    if tree is None:
        return None
    x, y = to_rd(lat, lon)
    hits = tree.tree.query(shapely.points(x, y), predicate="intersects")
    if len(hits) == 0:
        return None
    buurt_id, wijk_id, stadsdeel_id = tree.buurten[int(min(hits))]
    return Route(buurt_id, wijk_id, stadsdeel_id, x, y)


def route_buurt(code: str) -> Route | None:
    """A buurt of the home gemeente by code (the vintage with geometry, then the latest)."""
    gemeente = home_gemeente()
    if gemeente is None:
        return None
    buurt = (
        Area.objects.filter(code=code, level=Level.BUURT, gemeente_code=gemeente.code)
        .select_related("parent")
        .order_by(Case(When(centroid_x__isnull=False, then=0), default=1), "-vintage")
        .first()
    )
    if buurt is None:
        return None
    wijk = buurt.parent if buurt.parent and buurt.parent.level == Level.WIJK else None
    stadsdeel_id = buurt.stadsdeel_id or (wijk.stadsdeel_id if wijk else None)
    return Route(buurt.pk, wijk.pk if wijk else None, stadsdeel_id, None, None)


def buurt_choices() -> list[tuple[str, str]]:
    """(code, 'name (wijk)') of the home gemeente's buurten, for the no-JavaScript select."""
    gemeente = home_gemeente()
    if gemeente is None:
        return []
    rows = (
        Area.objects.filter(
            level=Level.BUURT, gemeente_code=gemeente.code, is_water=False, vintage=gemeente.vintage
        )
        .select_related("parent")
        .order_by("name")
    )
    return [(b.code, f"{b.name} ({b.parent.name})" if b.parent else b.name) for b in rows]
