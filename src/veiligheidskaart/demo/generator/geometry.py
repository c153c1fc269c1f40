"""Geometry of Demostad in RD New (EPSG:28992): outline, buurt tiling, adjacency.

All overlays run on a 0.01 m grid (`grid_size`), so neighbouring buurten share exactly
the same vertices and the tiling stays exact after the coordinates are written out.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence

import numpy as np
import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon

from .model import FloatArray

CENTRE: tuple[float, float] = (155_000.0, 463_000.0)
TARGET_AREA_M2 = 140e6
N_BUURTEN = 66
GRID = 0.01
_OUTLINE_VERTICES = 56


def rng_for(seed: int, stream: int) -> np.random.Generator:
    """An independent random stream per component, so components do not shift each other."""
    return np.random.default_rng([seed, stream])


def build_outline(seed: int) -> Polygon:
    """A star-shaped, irregular city outline of about 140 km² around CENTRE."""
    rng = rng_for(seed, 1)
    n = _OUTLINE_VERTICES
    step = 2 * math.pi / n
    theta = np.arange(n) * step + rng.uniform(-0.3, 0.3, n) * step
    radius = np.ones(n)
    # Low harmonics give lobes and bays; vertex noise gives a ragged municipal boundary.
    for harmonic in (2, 3, 4, 5):
        amplitude = rng.uniform(0.04, 0.10) * 2 / harmonic
        radius += amplitude * np.cos(harmonic * theta + rng.uniform(0, 2 * math.pi))
    radius *= rng.uniform(0.97, 1.03, n)
    unit = Polygon(np.column_stack([radius * np.cos(theta), radius * np.sin(theta)]))
    scale = math.sqrt(TARGET_AREA_M2 / unit.area)
    xy = np.column_stack(
        [CENTRE[0] + scale * radius * np.cos(theta), CENTRE[1] + scale * radius * np.sin(theta)]
    )
    outline = Polygon(np.round(xy, 2))
    if not outline.is_valid:
        raise ValueError("outline is not a valid polygon")
    return outline


def equivalent_radius(outline: Polygon) -> float:
    return math.sqrt(outline.area / math.pi)


def buurt_seeds(outline: Polygon, seed: int, n: int = N_BUURTEN) -> FloatArray:
    """Seed points, denser towards the centre, with a minimum spacing that grows outwards."""
    rng = rng_for(seed, 2)
    big_r = equivalent_radius(outline)
    inner = outline.buffer(-250)
    points: list[tuple[float, float]] = []
    spacing_scale = 1.0
    tries = 0
    while len(points) < n:
        tries += 1
        if tries % 4000 == 0:
            spacing_scale *= 0.93  # keep going if the plane is full
        # r = R * u^0.85 puts more points near the centre than a uniform disc would.
        r_frac = rng.uniform() ** 0.85 * 1.3
        angle = rng.uniform(0, 2 * math.pi)
        x = CENTRE[0] + r_frac * big_r * math.cos(angle)
        y = CENTRE[1] + r_frac * big_r * math.sin(angle)
        if not inner.contains(Point(x, y)):
            continue
        spacing = spacing_scale * (380 + 0.16 * math.hypot(x - CENTRE[0], y - CENTRE[1]))
        if all(math.hypot(x - px, y - py) >= spacing for px, py in points):
            points.append((x, y))
    return np.array(points, dtype=np.float64)


def tessellate(outline: Polygon, seeds: FloatArray) -> list[Polygon]:
    """Voronoi cells of the seeds clipped to the outline; cell i belongs to seed i."""
    extent = outline.envelope.buffer(5000)
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=extent, ordered=True)
    clipped = [shapely.intersection(cell, outline, grid_size=GRID) for cell in cells.geoms]
    return _merge_stray_parts(clipped, seeds)


def _merge_stray_parts(cells: list[shapely.Geometry], seeds: FloatArray) -> list[Polygon]:
    """A convex cell clipped to a concave outline can fall apart; give the stray parts
    (those without the seed) to the neighbour that shares most boundary with them."""
    main: list[Polygon] = []
    strays: list[Polygon] = []
    for cell, (x, y) in zip(cells, seeds, strict=True):
        parts = _polygons(cell)
        own = max(parts, key=lambda p: (p.buffer(GRID).contains(Point(x, y)), p.area))
        main.append(own)
        strays.extend(p for p in parts if p is not own)
    for stray in strays:
        shared = [shapely.length(shapely.intersection(stray.boundary, m.boundary)) for m in main]
        target = int(np.argmax(shared))
        merged = shapely.union(main[target], stray, grid_size=GRID)
        main[target] = max(_polygons(merged), key=lambda p: p.area)
    return main


def _polygons(geometry: shapely.Geometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon)]


def adjacency(geometries: Sequence[shapely.Geometry], min_shared_m: float = 1.0) -> list[set[int]]:
    """Neighbours by shared edge (a shared boundary longer than min_shared_m)."""
    tree = shapely.STRtree(list(geometries))
    neighbours: list[set[int]] = [set() for _ in geometries]
    left, right = tree.query(list(geometries), predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        shared = shapely.intersection(geometries[i].boundary, geometries[j].boundary)
        if shapely.length(shared) > min_shared_m:
            neighbours[i].add(j)
            neighbours[j].add(i)
    return neighbours


def graph_voronoi(
    points: FloatArray, neighbours: Sequence[set[int]], sources: Sequence[int]
) -> list[int]:
    """Multi-source Dijkstra: each node joins the nearest source along the graph.

    Every node's shortest path runs through nodes of its own group, so groups are connected.
    """
    label = [-1] * len(points)
    best = [math.inf] * len(points)
    heap: list[tuple[float, int, int]] = []
    for group, node in enumerate(sources):
        best[node] = 0.0
        heapq.heappush(heap, (0.0, group, node))
    while heap:
        dist, group, node = heapq.heappop(heap)
        if label[node] != -1:
            continue
        label[node] = group
        for nb in sorted(neighbours[node]):
            step = float(np.hypot(*(points[nb] - points[node])))
            if label[nb] == -1 and dist + step < best[nb]:
                best[nb] = dist + step
                heapq.heappush(heap, (dist + step, group, nb))
    if -1 in label:
        raise ValueError("graph is not connected")
    return label


def nearest_unused(points: FloatArray, targets: FloatArray, allowed: Sequence[int]) -> list[int]:
    """For each target, the nearest allowed point not taken by an earlier target."""
    taken: list[int] = []
    for tx, ty in targets:
        order = sorted(allowed, key=lambda i: float(np.hypot(points[i][0] - tx, points[i][1] - ty)))
        taken.append(next(i for i in order if i not in taken))
    return taken


def is_connected(
    nodes: Sequence[int], neighbours: Mapping[int, set[int]] | Sequence[set[int]]
) -> bool:
    members = set(nodes)
    if not members:
        return False
    stack = [min(members)]
    seen = {stack[0]}
    while stack:
        node = stack.pop()
        for nb in neighbours[node]:
            if nb in members and nb not in seen:
                seen.add(nb)
                stack.append(nb)
    return seen == members
