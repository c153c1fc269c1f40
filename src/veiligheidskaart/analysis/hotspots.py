"""Hotspots: queen contiguity with joined islands, Gi*, local Moran for rates, kernel density.

Gi* runs on EB-standardised rates (Assunção–Reis) or on counts against expected counts, never
on raw rates. Both statistics use esda with ``n_jobs=1``, a fixed seed and at least 9,999
permutations. Notes on esda 2.9 that the wrappers handle:

- ``G_Local`` divides by the sum of the input. EB z-scores sum to about 0 (to rounding noise
  with equal populations), and a negative sum flips the sign of every Gi* z. Gi* z and its
  permutation p are invariant to adding a constant, so we shift the input to be positive.
- Without numba, esda seeds numpy's *global* random state (``np.random.seed``) and, without a
  seed, draws one from it. We pass a seed and restore the global state afterwards.
- esda's ``p_sim`` is one-sided in the observed direction (``alternative="directed"``), and
  counts ties with the observed value on the upper side only: when every permutation ties
  (all neighbours equal), it reports p = 1/(permutations + 1). We recompute it from the kept
  simulations with ties on both sides, p_sim = (min(#sim ≥ obs, #sim ≤ obs) + 1) / (P + 1),
  which equals esda's without ties; the labels use the two-sided p = min(1, 2·p_sim). Keeping
  the simulations costs n × P floats (80 MB for 1,000 areas at 9,999 permutations).
- esda's analytic Gi* z only matches the classical Getis–Ord z for binary weights, so we use
  ``transform="B"``.

Areas without a meaningful denominator take the neutral value 0 (the limit of the EB z-score
as the population goes to 0), stay in the contiguity, and are not evaluated themselves.

The kernel density is internal only: the public map shows no points and no densities.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats
from shapely.geometry.base import BaseGeometry

from .rates import MIN_DENOMINATOR
from .smoothing import (
    BoolArray,
    FloatArray,
    Neighbours,
    eb_standardise,
    neighbour_lists,
)
from .smoothing import (
    Contiguity as Contiguity,  # re-exported: queen_contiguity returns it
)

PERMUTATIONS = 9999  # the minimum (DESIGN §6)
SEED = 20240917
GAUSSIAN_CUTOFF = 4.0  # Gaussian kernel truncated at 4 bandwidths (mass lost: e^-8 ≈ 0.03%)
QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}  # esda's q (geoda_quads=False)


@dataclass(frozen=True)
class LocalTest:
    """Per area: pseudo p-values and labels; NaN and label "geen" where not ``evaluated``."""

    p_sim: FloatArray  # one-sided in the observed direction, ties on both sides
    p_value: FloatArray  # two-sided pseudo p, used for the labels unless fdr
    q_value: FloatArray | None  # Benjamini–Hochberg over evaluated areas, when fdr
    label: tuple[str, ...]
    evaluated: BoolArray
    alpha: float
    permutations: int
    seed: int


@dataclass(frozen=True)
class HotspotResult(LocalTest):
    """Gi*: ``label`` is "hotspot", "coldspot" or "geen"; ``basis`` says what it ran on."""

    z: FloatArray
    basis: str


@dataclass(frozen=True)
class LocalMoranResult(LocalTest):
    """Local Moran for rates: ``label`` is the quadrant where significant, else "geen"."""

    local_i: FloatArray
    quadrant: tuple[str, ...]  # "HH", "LL", "HL", "LH"; "" where not evaluated


@dataclass(frozen=True)
class DensityGrid:
    """Density in points per m² at cell centres; row 0 is the southernmost row.

    Cell (row, col) has its lower-left corner at
    (origin_x + col·cell_size, origin_y + row·cell_size) in RD metres.
    """

    origin_x: float
    origin_y: float
    cell_size: float
    density: FloatArray
    kernel: str
    bandwidth: float
    points_used: int

    @property
    def total(self) -> float:
        """The integral over the grid: about the (weighted) number of points inside it."""
        return float(self.density.sum() * self.cell_size**2)


def queen_contiguity(geometries: Sequence[BaseGeometry]) -> Contiguity:
    """Queen contiguity (libpysal), each island joined to its nearest area by centroid.

    Links are symmetric. Two islands nearest to each other form a pair of their own; only
    areas without any neighbour are joined.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> c = queen_contiguity([box(0, 0, 1, 1), box(1, 0, 2, 1), box(9, 0, 10, 1)])
    >>> c.neighbours, c.islands, c.joined_to
    (((1,), (0, 2), (1,)), (2,), (1,))
    """
    from libpysal.weights import Queen

    geoms = list(geometries)
    if any(g.is_empty for g in geoms):
        raise ValueError("empty geometry")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        w = Queen.from_iterable(geoms)
    lists = [set(row) - {i} for i, row in enumerate(neighbour_lists(w, len(geoms)))]
    islands = [i for i, row in enumerate(lists) if not row] if len(geoms) > 1 else []
    centres = np.array([[g.centroid.x, g.centroid.y] for g in geoms]).reshape(-1, 2)
    joined = []
    for i in islands:
        dist = np.hypot(*(centres - centres[i]).T)
        dist[i] = np.inf
        j = int(np.argmin(dist))
        lists[i].add(j)
        lists[j].add(i)
        joined.append(j)
    return Contiguity(tuple(tuple(sorted(r)) for r in lists), tuple(islands), tuple(joined))


def gi_star_rates(
    events: ArrayLike,
    populations: ArrayLike,
    weights: Neighbours,
    *,
    alpha: float = 0.05,
    fdr: bool = False,
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
    min_denominator: float = MIN_DENOMINATOR,
) -> HotspotResult:
    """Gi* on EB-standardised rates (Assunção–Reis), binary queen weights with self.

    Parameters
    ----------
    events, populations : array_like
        Counts and denominators per area.
    weights : Contiguity, adjacency lists or libpysal ``W``
        Neighbours per area position (see :func:`queen_contiguity`).
    alpha : float
        Level for the labels, on the two-sided pseudo p (or the q-value when ``fdr``).
    fdr : bool
        Apply Benjamini–Hochberg across the evaluated areas.
    permutations, seed : int
        At least 9,999 permutations; a fixed seed makes the run reproducible.
    min_denominator : float
        Areas below it are not evaluated and enter as the neutral value 0.

    Returns
    -------
    HotspotResult

    Examples
    --------
    >>> r = gi_star_rates([5, 5, 5, 40], [1000] * 4, [[1], [0, 2], [1, 3], [2]])
    >>> r.label, bool(r.z[3] > 0)
    (('geen', 'geen', 'geen', 'geen'), True)
    """
    st = eb_standardise(events, populations, min_denominator=min_denominator)
    basis = "EB-gestandaardiseerde tarieven (Assunção–Reis)"
    return _gi_star(st.z, st.included, weights, alpha, fdr, permutations, seed, basis)


def gi_star_counts(
    observed: ArrayLike,
    expected: ArrayLike,
    weights: Neighbours,
    *,
    alpha: float = 0.05,
    fdr: bool = False,
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
) -> HotspotResult:
    """Gi* on counts against expected counts: the Pearson residual (O − E) / sqrt(E).

    Areas with a missing or non-positive expected count are not evaluated. Parameters as
    in :func:`gi_star_rates`.

    Examples
    --------
    >>> r = gi_star_counts([5, 5, 5, 40], [10, 10, 10, 25], [[1], [0, 2], [1, 3], [2]])
    >>> bool(r.z[3] > r.z[0]), r.evaluated.tolist()
    (True, [True, True, True, True])
    """
    o = np.asarray(observed, dtype=float).ravel()
    e = np.asarray(expected, dtype=float).ravel()
    if o.shape != e.shape:
        raise ValueError("observed and expected differ in length")
    ok = np.isfinite(o) & np.isfinite(e) & (e > 0)
    resid = np.where(ok, (o - e) / np.sqrt(np.where(ok, e, 1.0)), np.nan)
    basis = "aantallen t.o.v. verwachte aantallen ((O − E) / √E)"
    return _gi_star(resid, ok, weights, alpha, fdr, permutations, seed, basis)


def local_moran_rate(
    events: ArrayLike,
    populations: ArrayLike,
    weights: Neighbours,
    *,
    alpha: float = 0.05,
    fdr: bool = False,
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
    min_denominator: float = MIN_DENOMINATOR,
) -> LocalMoranResult:
    """Local Moran for rates: ``Moran_Local`` on the guarded EB standardisation.

    This is what ``esda.moran.Moran_Local_Rate(e, b, w, adjusted=True)`` computes, with the
    DESIGN §6 guards of :func:`~veiligheidskaart.analysis.smoothing.eb_standardise`; equal to it
    where all populations are meaningful and the prior variance is non-negative. Row-standardised
    weights; parameters as in :func:`gi_star_rates`.

    Examples
    --------
    >>> r = local_moran_rate([5, 6, 30, 32], [1000] * 4, [[1], [0, 2], [1, 3], [2]])
    >>> r.quadrant
    ('LL', 'LL', 'HH', 'HH')
    """
    st = eb_standardise(events, populations, min_denominator=min_denominator)
    ev = st.included
    local_i, p_sim, codes = _run_esda("moran", st.z, ev, weights, permutations, seed)
    p, q, test = _p_and_q(p_sim, ev, fdr)
    quadrant = tuple(QUADRANTS.get(int(k), "") if e else "" for k, e in zip(codes, ev, strict=True))
    significant = ev & (test <= alpha)
    label = tuple(qd if s and qd else "geen" for qd, s in zip(quadrant, significant, strict=True))
    return LocalMoranResult(p_sim, p, q, label, ev, alpha, permutations, seed, local_i, quadrant)


def kernel_density(
    x: ArrayLike,
    y: ArrayLike,
    *,
    bandwidth: float,
    kernel: Literal["quartic", "gaussian"] = "quartic",
    cell_size: float = 100.0,
    bounds: tuple[float, float, float, float] | None = None,
    weights: ArrayLike | None = None,
    max_elements: int = 2_000_000,
) -> DensityGrid:
    """Kernel density of points (RD metres) on a grid aligned to multiples of ``cell_size``.

    Internal only. Each point spreads its weight with a quartic kernel
    3/(πh²)(1 − d²/h²)² for d < h, or a Gaussian 1/(2πh²)exp(−d²/2h²) cut at 4h, evaluated at
    cell centres. Points are processed in chunks of at most ``max_elements`` point × cell pairs.
    Points with missing coordinates are skipped. Without ``bounds`` the grid covers the points
    plus the kernel radius.

    Examples
    --------
    >>> g = kernel_density([150.0], [250.0], bandwidth=300)
    >>> g.origin_x, g.origin_y, g.density.shape
    (-200.0, -100.0, (7, 7))
    >>> round(g.total, 2), round(float(g.density[3, 3] * 1e6), 3)
    (1.0, 10.61)
    """
    if bandwidth <= 0 or cell_size <= 0 or kernel not in ("quartic", "gaussian"):
        raise ValueError(f"invalid kernel {kernel!r}, bandwidth or cell size")
    px, py, pw = _points(x, y, weights)
    radius = bandwidth * (1.0 if kernel == "quartic" else GAUSSIAN_CUTOFF)
    grid = _grid(px, py, radius, cell_size, bounds)
    ox, oy, nx, ny = grid
    k = int(np.ceil(radius / cell_size)) + 1
    dc, dr = (a.ravel() for a in np.meshgrid(np.arange(-k, k + 1), np.arange(-k, k + 1)))
    flat = np.zeros(nx * ny)
    step = max(1, max_elements // dc.size)
    for s in range(0, px.size, step):
        chunk = (px[s : s + step], py[s : s + step], pw[s : s + step])
        cols, rows, d2 = _offsets(chunk, dc, dr, grid, cell_size)
        keep = (cols >= 0) & (cols < nx) & (rows >= 0) & (rows < ny) & (d2 < radius * radius)
        mass = _kernel(d2, bandwidth, kernel) * chunk[2][:, None]
        flat += np.bincount((rows * nx + cols)[keep], weights=mass[keep], minlength=nx * ny)
    return DensityGrid(ox, oy, float(cell_size), flat.reshape(ny, nx), kernel, bandwidth, px.size)


def _gi_star(
    y: FloatArray,
    evaluated: BoolArray,
    weights: Neighbours,
    alpha: float,
    fdr: bool,
    permutations: int,
    seed: int,
    basis: str,
) -> HotspotResult:
    z, p_sim, _ = _run_esda("gi_star", y, evaluated, weights, permutations, seed)
    p, q, test = _p_and_q(p_sim, evaluated, fdr)
    significant = evaluated & (test <= alpha)
    label = tuple(
        ("hotspot" if zi > 0 else "coldspot") if s else "geen"
        for zi, s in zip(z, significant, strict=True)
    )
    return HotspotResult(p_sim, p, q, label, evaluated, alpha, permutations, seed, z, basis)


def _run_esda(
    kind: Literal["gi_star", "moran"],
    y: FloatArray,
    evaluated: BoolArray,
    weights: Neighbours,
    permutations: int,
    seed: int,
) -> tuple[FloatArray, FloatArray, NDArray[np.int64]]:
    """(Gi* z or local I, tie-aware p_sim, Moran quadrant codes); NaN where not evaluated.

    Not-evaluated areas enter as 0. Constant input has no local structure: z 0, p 1, no quadrant.
    """
    from esda.getisord import G_Local
    from esda.moran import Moran_Local

    if permutations < PERMUTATIONS:
        raise ValueError(f"at least {PERMUTATIONS} permutations (DESIGN §6)")
    values = np.where(evaluated, y, 0.0)
    n = values.size
    stat, p_sim, codes = np.zeros(n), np.ones(n), np.zeros(n, dtype=np.int64)
    run = {"permutations": permutations, "n_jobs": 1, "keep_simulations": True, "seed": seed}
    w = _binary_w(weights, n)
    if np.ptp(values) > 0:
        with _esda_context():
            if kind == "gi_star":  # shifted: Gi* needs a positive sum (module docstring)
                g = G_Local(values - values.min() + 1.0, w, transform="B", star=True, **run)
                stat, p_sim = np.asarray(g.Zs, dtype=float), _pseudo_p(g.Gs, g.rGs)
            else:
                m = Moran_Local(values, w, transformation="r", **run)
                stat, p_sim = np.asarray(m.Is, dtype=float), _pseudo_p(m.Is, m.rlisas)
                codes = np.asarray(m.q, dtype=np.int64)
    return np.where(evaluated, stat, np.nan), np.where(evaluated, p_sim, np.nan), codes


def _pseudo_p(observed: ArrayLike, simulated: ArrayLike) -> FloatArray:
    """One-sided pseudo p in the observed direction, ties (to 1e-9 relative) on both sides."""
    obs = np.asarray(observed, dtype=float)[:, None]
    sims = np.asarray(simulated, dtype=float)
    tol = 1e-9 * np.abs(obs)
    upper = (sims >= obs - tol).sum(axis=1)
    lower = (sims <= obs + tol).sum(axis=1)
    return np.asarray((np.minimum(upper, lower) + 1.0) / (sims.shape[1] + 1.0), dtype=float)


def _p_and_q(
    p_sim: FloatArray, evaluated: BoolArray, fdr: bool
) -> tuple[FloatArray, FloatArray | None, FloatArray]:
    """Two-sided pseudo p, BH q-values when asked, and the one the labels test."""
    p = np.where(evaluated, np.minimum(1.0, 2.0 * p_sim), np.nan)
    if not fdr:
        return p, None, p
    q = np.full_like(p, np.nan)
    if evaluated.any():
        q[evaluated] = stats.false_discovery_control(p[evaluated], method="bh")
    return p, q, q


def _binary_w(weights: Neighbours, n: int) -> Any:
    """A fresh binary W: esda changes the transform of the W it gets."""
    lists = neighbour_lists(weights, n)
    return Contiguity(
        tuple(tuple(sorted(set(r) - {i})) for i, r in enumerate(lists)), (), ()
    ).to_w()


@contextmanager
def _esda_context() -> Iterator[None]:
    """Keep numpy's global random state and warning filters; quiet esda's 0/0 on ties."""
    state = np.random.get_state()
    try:
        with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
            warnings.filterwarnings("ignore", message="The alternative hypothesis")
            yield
    finally:
        np.random.set_state(state)


def _points(
    x: ArrayLike, y: ArrayLike, weights: ArrayLike | None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    px, py = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
    pw = np.ones_like(px) if weights is None else np.asarray(weights, dtype=float).ravel()
    if not px.shape == py.shape == pw.shape:
        raise ValueError("x, y and weights differ in length")
    ok = np.isfinite(px) & np.isfinite(py) & np.isfinite(pw)
    return px[ok], py[ok], pw[ok]


def _grid(
    px: FloatArray,
    py: FloatArray,
    radius: float,
    cell: float,
    bounds: tuple[float, float, float, float] | None,
) -> tuple[float, float, int, int]:
    if bounds is None:
        if px.size == 0:
            raise ValueError("no points and no bounds")
        bounds = (px.min() - radius, py.min() - radius, px.max() + radius, py.max() + radius)
    xmin, ymin, xmax, ymax = bounds
    ox, oy = float(np.floor(xmin / cell) * cell), float(np.floor(ymin / cell) * cell)
    return (
        ox,
        oy,
        max(1, int(np.ceil((xmax - ox) / cell))),
        max(1, int(np.ceil((ymax - oy) / cell))),
    )


def _offsets(
    chunk: tuple[FloatArray, FloatArray, FloatArray],
    dc: NDArray[np.int64],
    dr: NDArray[np.int64],
    grid: tuple[float, float, int, int],
    cell: float,
) -> tuple[NDArray[np.int64], NDArray[np.int64], FloatArray]:
    """Columns, rows and squared distances of the stencil cells around each point."""
    cx, cy, _ = chunk
    cols = np.floor((cx - grid[0]) / cell).astype(np.int64)[:, None] + dc
    rows = np.floor((cy - grid[1]) / cell).astype(np.int64)[:, None] + dr
    ddx = grid[0] + (cols + 0.5) * cell - cx[:, None]
    ddy = grid[1] + (rows + 0.5) * cell - cy[:, None]
    return cols, rows, ddx * ddx + ddy * ddy


def _kernel(d2: FloatArray, h: float, kernel: str) -> FloatArray:
    if kernel == "quartic":  # zero outside the bandwidth
        inside = np.maximum(1.0 - d2 / (h * h), 0.0)
        return np.asarray(3.0 / (np.pi * h * h) * inside**2, dtype=float)
    return np.asarray(np.exp(-d2 / (2.0 * h * h)) / (2.0 * np.pi * h * h), dtype=float)
