"""Pure geometry helpers: CRS checks, RD ↔ WGS84, simplified copies for the map."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache

import shapely
from pyproj import Transformer
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

RD = "EPSG:28992"
WGS84 = "EPSG:4326"
# Valid RD New coordinates, and the envelope of the Netherlands in both systems.
RD_BOUNDS = (-7_000.0, 289_000.0, 300_000.0, 629_000.0)
NL_WGS84_BOUNDS = (3.2, 50.7, 7.3, 53.6)
# zoom level → simplification tolerance in metres (RD)
ZOOM_TOLERANCES: dict[int, float] = {10: 40.0, 13: 8.0, 16: 1.0}


@lru_cache(maxsize=4)
def transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def within(
    bounds: tuple[float, float, float, float], box: tuple[float, float, float, float]
) -> bool:
    return (
        box[0] <= bounds[0] and box[1] <= bounds[1] and bounds[2] <= box[2] and bounds[3] <= box[3]
    )


def to_rd(geom: BaseGeometry, crs: str) -> BaseGeometry:
    if crs == RD:
        return geom
    return shapely.transform(geom, lambda xy: _apply(transformer(crs, RD), xy))


def to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda xy: _apply(transformer(RD, WGS84), xy))


def _apply(tr: Transformer, xy):  # type: ignore[no-untyped-def]
    import numpy as np

    x, y = tr.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def simplified_copies(
    geom_rd: BaseGeometry, zooms: Iterable[int] = ZOOM_TOLERANCES
) -> dict[int, str]:
    """GeoJSON text (WGS84, 6 decimals) per zoom level, simplified in RD metres."""
    copies = {}
    for zoom in zooms:
        simple = shapely.simplify(geom_rd, ZOOM_TOLERANCES[zoom], preserve_topology=True)
        wgs = shapely.set_precision(to_wgs84(simple), 1e-6)
        copies[zoom] = json.dumps(mapping(wgs), separators=(",", ":"))
    return copies
