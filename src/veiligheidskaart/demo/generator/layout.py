"""From a tiling to a city: wijken, stadsdelen, codes, roles and names."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Point, Polygon

from . import names
from .geometry import (
    CENTRE,
    GRID,
    adjacency,
    build_outline,
    buurt_seeds,
    equivalent_radius,
    graph_voronoi,
    is_connected,
    nearest_unused,
    rng_for,
    tessellate,
)
from .model import (
    GEMEENTE_NUMMER,
    ROL_BEDRIJVEN,
    ROL_CENTRUM,
    ROL_KERN,
    ROL_KLEIN,
    ROL_STATION,
    ROL_WOON,
    STADSDELEN,
    Buurt,
    City,
    FloatArray,
    Wijk,
)

# Wijk centres as (fraction of the city radius, number of wijken on that ring).
_RINGS: tuple[tuple[float, int], ...] = ((0.08, 2), (0.36, 5), (0.72, 7))
# Direction of each outer stadsdeel, as an angle from the east, counter-clockwise.
_DIRECTIONS: dict[str, float] = {"Noord": 90.0, "Oost": 0.0, "Zuid": 270.0, "West": 180.0}
# Which outer stadsdeel gets which special rural buurt.
_KLEIN_IN: tuple[str, ...] = ("Noord", "Oost", "Zuid")


@dataclass(frozen=True)
class _Draft:
    cells: list[Polygon]
    seeds: FloatArray
    neighbours: list[set[int]]
    wijk_of: list[int]  # cell -> wijk group
    stadsdeel_of_wijk: list[str]
    wijk_centres: FloatArray


def build_city(seed: int) -> City:
    draft = _draft(seed)
    roles = _roles(draft)
    return _name_and_number(draft, roles, seed)


def _draft(seed: int) -> _Draft:
    raw_outline = build_outline(seed)
    seeds = buurt_seeds(raw_outline, seed)
    cells = tessellate(raw_outline, seeds)
    neighbours = adjacency(cells)
    centres = _wijk_centres(raw_outline, seed)
    sources = nearest_unused(seeds, centres, range(len(seeds)))
    wijk_of = graph_voronoi(seeds, neighbours, sources)
    return _Draft(
        cells, seeds, neighbours, wijk_of, _stadsdelen(cells, neighbours, wijk_of), centres
    )


def _wijk_centres(outline: Polygon, seed: int) -> FloatArray:
    rng = rng_for(seed, 3)
    big_r = equivalent_radius(outline)
    centres: list[tuple[float, float]] = []
    for fraction, count in _RINGS:
        offset = rng.uniform(0, 2 * math.pi)
        for k in range(count):
            angle = offset + 2 * math.pi * k / count
            centres.append(
                (
                    CENTRE[0] + fraction * big_r * math.cos(angle),
                    CENTRE[1] + fraction * big_r * math.sin(angle),
                )
            )
    return np.array(centres, dtype=np.float64)


def _stadsdelen(cells: list[Polygon], neighbours: list[set[int]], wijk_of: list[int]) -> list[str]:
    """Centrum = the two inner wijken; the other wijken go to the nearest compass stadsdeel
    along the wijk graph, so every stadsdeel is a connected group of wijken."""
    n_wijken = max(wijk_of) + 1
    wijk_geoms = [
        shapely.union_all(
            [c for c, w in zip(cells, wijk_of, strict=True) if w == k], grid_size=GRID
        )
        for k in range(n_wijken)
    ]
    centroids = np.array([[g.centroid.x, g.centroid.y] for g in wijk_geoms], dtype=np.float64)
    outer = list(range(_RINGS[0][1], n_wijken))
    wijk_nb = adjacency(wijk_geoms)
    outer_nb = [{j for j in wijk_nb[i] if j in outer} for i in range(n_wijken)]
    big_r = math.sqrt(sum(c.area for c in cells) / math.pi)
    targets = np.array(
        [
            [
                CENTRE[0] + 0.7 * big_r * math.cos(math.radians(a)),
                CENTRE[1] + 0.7 * big_r * math.sin(math.radians(a)),
            ]
            for a in _DIRECTIONS.values()
        ]
    )
    sources = nearest_unused(centroids, targets, outer)
    # Dijkstra over the outer wijken only; local indices map back to wijk numbers.
    local_nb = [{outer.index(j) for j in outer_nb[i]} for i in outer]
    labels = graph_voronoi(centroids[outer], local_nb, [outer.index(s) for s in sources])
    result = ["Centrum"] * n_wijken
    for local, wijk in enumerate(outer):
        result[wijk] = list(_DIRECTIONS)[labels[local]]
    return result


def _roles(draft: _Draft) -> list[str]:
    roles = [ROL_WOON] * len(draft.cells)
    stadsdeel_of = [draft.stadsdeel_of_wijk[w] for w in draft.wijk_of]
    for i, sd in enumerate(stadsdeel_of):
        if sd == "Centrum":
            roles[i] = ROL_CENTRUM
    kern = next(i for i, c in enumerate(draft.cells) if c.covers(Point(CENTRE)))
    if roles[kern] != ROL_CENTRUM:
        raise ValueError("the market square must lie in stadsdeel Centrum")
    roles[kern] = ROL_KERN
    station = max(
        (j for j in draft.neighbours[kern] if roles[j] == ROL_CENTRUM),
        key=lambda j: shapely.length(
            shapely.intersection(draft.cells[kern].boundary, draft.cells[j].boundary)
        ),
    )
    roles[station] = ROL_STATION
    outline_boundary = shapely.union_all(draft.cells, grid_size=GRID).boundary
    for sd in ("West", *_KLEIN_IN):
        rural = max(
            (
                i
                for i, s in enumerate(stadsdeel_of)
                if s == sd and roles[i] == ROL_WOON and draft.cells[i].intersects(outline_boundary)
            ),
            key=lambda i: draft.cells[i].area,
        )
        roles[rural] = ROL_BEDRIJVEN if sd == "West" else ROL_KLEIN
    return roles


def _name_and_number(draft: _Draft, roles: list[str], seed: int) -> City:
    rng = rng_for(seed, 4)
    wijk_order = _wijk_order(draft)
    woon_pool = list(names.woonbuurtnamen())
    centrum_pool = list(names.CENTRUM_BUURTNAMEN)
    rng.shuffle(woon_pool)
    rng.shuffle(centrum_pool)
    klein_names = list(names.NAMEN_KLEIN)
    used_wijknamen: dict[str, int] = {}
    buurten: list[Buurt] = []
    wijken: list[Wijk] = []
    for number, wijk in enumerate(wijk_order, start=1):
        sd = draft.stadsdeel_of_wijk[wijk]
        wijkcode = f"WK{GEMEENTE_NUMMER}{number:02d}"
        wijknaam = names.WIJKNAMEN[sd][used_wijknamen.get(sd, 0)]
        used_wijknamen[sd] = used_wijknamen.get(sd, 0) + 1
        members = _buurt_order(draft, wijk)
        codes: list[str] = []
        for b_number, cell in enumerate(members, start=1):
            code = f"BU{GEMEENTE_NUMMER}{number:02d}{b_number:02d}"
            naam = _buurtnaam(roles[cell], woon_pool, centrum_pool, klein_names)
            buurten.append(Buurt(code, naam, wijkcode, draft.cells[cell], roles[cell]))
            codes.append(code)
        wijken.append(Wijk(wijkcode, wijknaam, sd, tuple(codes)))
    return _city(buurten, wijken)


def _buurtnaam(
    rol: str, woon_pool: list[str], centrum_pool: list[str], klein_names: list[str]
) -> str:
    fixed = {
        ROL_KERN: names.NAAM_KERN,
        ROL_STATION: names.NAAM_STATION,
        ROL_BEDRIJVEN: names.NAAM_BEDRIJVEN,
    }
    if rol in fixed:
        return fixed[rol]
    if rol == ROL_KLEIN:
        return klein_names.pop(0)
    return centrum_pool.pop(0) if rol == ROL_CENTRUM else woon_pool.pop(0)


def _clockwise_from_north(x: float, y: float) -> float:
    return math.atan2(x - CENTRE[0], y - CENTRE[1]) % (2 * math.pi)


def _wijk_order(draft: _Draft) -> list[int]:
    """Stadsdelen in fixed order; within one, wijken clockwise from the north."""

    def key(w: int) -> tuple[int, float]:
        x, y = draft.wijk_centres[w]
        return STADSDELEN.index(draft.stadsdeel_of_wijk[w]), _clockwise_from_north(x, y)

    return sorted(range(len(draft.wijk_centres)), key=key)


def _buurt_order(draft: _Draft, wijk: int) -> list[int]:
    """Buurten of a wijk, nearest to the wijk centre first."""
    cx, cy = draft.wijk_centres[wijk]
    members = [i for i, w in enumerate(draft.wijk_of) if w == wijk]
    return sorted(
        members, key=lambda i: float(np.hypot(draft.seeds[i][0] - cx, draft.seeds[i][1] - cy))
    )


def _city(buurten: list[Buurt], wijken: list[Wijk]) -> City:
    """Sort by code, record adjacency, and check that every wijk is one connected group."""
    buurten.sort(key=lambda b: b.code)
    geoms = [b.geometry for b in buurten]
    nb = adjacency(geoms)
    adjacency_map = {
        b.code: frozenset(buurten[j].code for j in nb[i]) for i, b in enumerate(buurten)
    }
    for wijk in wijken:
        idx = [i for i, b in enumerate(buurten) if b.wijkcode == wijk.code]
        if not is_connected(idx, nb):
            raise ValueError(f"wijk {wijk.code} is not connected")
    # The official outline is the union of the buurten: exact on the 0.01 m grid.
    outline = shapely.union_all(geoms, grid_size=GRID)
    if not isinstance(outline, Polygon):
        raise ValueError("buurten do not form one polygon")
    return City(
        outline=outline, buurten=tuple(buurten), wijken=tuple(wijken), adjacency=adjacency_map
    )
