"""Empirical Bayes rate smoothing (Marshall 1991), global and spatial, with the DESIGN §6 guards.

Guards that ``esda.smoothing`` lacks:

- areas without a meaningful denominator (missing, zero, or below ``min_denominator``) are
  left out of the prior and get a NaN smoothed rate; the other areas are unaffected (in esda
  one zero population makes every global EB rate NaN, and the spatial EB rates around it);
- a negative moment estimate of the prior variance is clipped at 0, so the area is shrunk
  fully to the prior mean (esda's global EB then uses weights outside [0, 1]; its spatial EB
  clips too).

Where esda is defined (all populations positive, prior variance positive) the results are
equal to ``Empirical_Bayes`` and ``Spatial_Empirical_Bayes``.

Hand-computed example: events 10, 20, 30 on populations 1000, 1000, 2000. Prior mean
m = 60/4000 = 0.015; s² = (1000·0.005² + 1000·0.005² + 0)/4000 = 1.25e-5; prior variance
a = s² − m/(4000/3) = 1.25e-6. Area 1 gets weight a/(a + m/1000) = 1/13, so its smoothed rate
is 0.015 − 0.005/13 = 14.615 per 1000.

>>> s = eb_smooth([10, 20, 30], [1000, 1000, 2000])
>>> [round(float(x), 3) for x in s.raw]
[10.0, 20.0, 15.0]
>>> [round(float(x), 3) for x in s.smoothed]
[14.615, 15.385, 15.0]
>>> round(float(s.prior_mean[0]), 6), round(float(s.prior_variance[0]), 6)
(15.0, 1.25)
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .rates import MIN_DENOMINATOR

RAW_LABEL = "ruw tarief"
SMOOTHED_LABEL = "gladgestreken tarief (Empirical Bayes)"

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@runtime_checkable
class WeightsLike(Protocol):
    """What we use of a ``libpysal.weights.W``: neighbour ids per id, and the id order."""

    @property
    def neighbors(self) -> Mapping[Hashable, Sequence[Hashable]]: ...

    @property
    def id_order(self) -> Sequence[Hashable]: ...


@dataclass(frozen=True)
class Contiguity:
    """Neighbours by position (see ``hotspots.queen_contiguity``); ``islands`` were joined to
    ``joined_to`` (same order)."""

    neighbours: tuple[tuple[int, ...], ...]
    islands: tuple[int, ...]
    joined_to: tuple[int, ...]

    def to_w(self) -> Any:
        """A fresh binary ``libpysal.weights.W`` with ids 0..n-1."""
        from libpysal.weights import W

        neighbours = {i: list(row) for i, row in enumerate(self.neighbours)}
        return W(neighbours, id_order=list(range(len(self.neighbours))), silence_warnings=True)


Neighbours = Contiguity | Sequence[Sequence[int]] | WeightsLike


@dataclass(frozen=True)
class SmoothedRates:
    """Raw and EB-smoothed rates side by side, per ``per`` units of the denominator.

    ``raw`` is labelled :data:`RAW_LABEL`, ``smoothed`` :data:`SMOOTHED_LABEL`. Both are NaN
    where the area is not ``included`` ("geen zinvol tarief"). ``prior_variance`` is after
    clipping (in ``per`` squared); ``variance_clipped`` says where the estimate was negative.
    """

    raw: FloatArray
    smoothed: FloatArray
    prior_mean: FloatArray
    prior_variance: FloatArray
    variance_clipped: BoolArray
    included: BoolArray
    method: str  # "globaal" or "ruimtelijk"
    per: float
    raw_label: str = RAW_LABEL
    smoothed_label: str = SMOOTHED_LABEL


@dataclass(frozen=True)
class StandardisedRates:
    """EB-standardised rates (Assunção & Reis 1999): z = (r − m) / sqrt(a + m/b).

    ``z`` is NaN where the area is not ``included``. ``prior_mean`` is per ``per`` units and
    ``prior_variance`` (clipped at 0) per ``per`` squared.
    """

    z: FloatArray
    prior_mean: float
    prior_variance: float
    variance_clipped: bool
    included: BoolArray
    per: float


def eb_smooth(
    events: ArrayLike,
    populations: ArrayLike,
    *,
    per: float = 1000,
    min_denominator: float = MIN_DENOMINATOR,
) -> SmoothedRates:
    """Global Empirical Bayes smoothing towards the rate of all included areas (Marshall).

    Parameters
    ----------
    events, populations : array_like
        Counts and denominators (exposures) per area, in the same order.
    per : float
        Rates are expressed per this many units of the denominator.
    min_denominator : float
        Areas with a smaller (or missing) denominator are left out of the prior and get NaN.

    Returns
    -------
    SmoothedRates

    Examples
    --------
    A zero-population area gets NaN and leaves the others alone:

    >>> s = eb_smooth([10, 20, 3, 30], [1000, 1000, 0, 2000])
    >>> [round(float(x), 3) for x in s.smoothed]
    [14.615, 15.385, nan, 15.0]
    """
    e, b, inc = _prepare(events, populations, min_denominator)
    m, a_raw = _global_prior(e, b, inc)
    a = max(a_raw, 0.0)
    raw = _rate(e, b, inc)
    smoothed = np.where(inc, _shrink(raw, np.full_like(raw, m), np.full_like(raw, a), b), np.nan)
    return SmoothedRates(
        raw=per * raw,
        smoothed=per * smoothed,
        prior_mean=np.where(inc, per * m, np.nan),
        prior_variance=np.where(inc, per * per * a, np.nan),
        variance_clipped=inc & (a_raw < 0),
        included=inc,
        method="globaal",
        per=float(per),
    )


def spatial_eb_smooth(
    events: ArrayLike,
    populations: ArrayLike,
    neighbours: Neighbours,
    *,
    per: float = 1000,
    min_denominator: float = MIN_DENOMINATOR,
) -> SmoothedRates:
    """Spatial Empirical Bayes: shrink towards the rate of the area and its neighbours.

    The local prior of area i uses i and its neighbours, restricted to included areas
    (binary weights, as ``esda.smoothing.Spatial_Empirical_Bayes``). An area without included
    neighbours keeps its raw rate.

    Parameters
    ----------
    events, populations : array_like
        Counts and denominators per area.
    neighbours : Contiguity, sequence of sequences of int, or a libpysal ``W``
        Neighbour positions per area; a ``W`` is read in its ``id_order``.
    per, min_denominator : float
        As in :func:`eb_smooth`.

    Returns
    -------
    SmoothedRates

    Examples
    --------
    Three areas in a row; each is shrunk towards its own neighbourhood:

    >>> s = spatial_eb_smooth([10, 20, 50], [1000, 1000, 1000], [[1], [0, 2], [1]])
    >>> [round(float(x), 3) for x in s.smoothed]
    [13.0, 20.615, 47.667]
    >>> s.variance_clipped.tolist()
    [False, False, False]
    """
    e, b, inc = _prepare(events, populations, min_denominator)
    rows, cols = _edges(neighbour_lists(neighbours, e.size), inc)
    raw = _rate(e, b, inc)
    n = e.size
    sum_b = np.bincount(rows, weights=b[cols], minlength=n)
    sum_e = np.bincount(rows, weights=e[cols], minlength=n)
    size = np.bincount(rows, minlength=n).astype(float)
    safe_b = np.where(inc, sum_b, 1.0)
    m = np.where(inc, sum_e / safe_b, np.nan)
    dev = b[cols] * (raw[cols] - m[rows]) ** 2
    s2 = np.bincount(rows, weights=dev, minlength=n) / safe_b
    a_raw = s2 - m / (safe_b / np.maximum(size, 1.0))
    a = np.where(inc, np.maximum(a_raw, 0.0), np.nan)
    smoothed = np.where(inc, _shrink(raw, m, a, b), np.nan)
    return SmoothedRates(
        raw=per * raw,
        smoothed=per * smoothed,
        prior_mean=per * m,
        prior_variance=per * per * a,
        variance_clipped=inc & (a_raw < 0),
        included=inc,
        method="ruimtelijk",
        per=float(per),
    )


def eb_standardise(
    events: ArrayLike,
    populations: ArrayLike,
    *,
    per: float = 1000,
    min_denominator: float = MIN_DENOMINATOR,
) -> StandardisedRates:
    """EB standardisation of Assunção & Reis (1999): the input for Gi* and local Moran.

    Equal to ``esda.smoothing.assuncao_rate`` where the prior variance is non-negative and all
    populations are meaningful. With a negative estimate we clip the variance at 0 for all
    areas (DESIGN §6); esda instead drops it only for areas where a + m/b < 0.

    Parameters
    ----------
    events, populations : array_like
        Counts and denominators per area.
    per, min_denominator : float
        As in :func:`eb_smooth`; ``per`` only scales the reported prior.

    Returns
    -------
    StandardisedRates

    Examples
    --------
    >>> s = eb_standardise([10, 20, 30], [1000, 1000, 2000])
    >>> [round(float(x), 4) for x in s.z]
    [-1.2403, 1.2403, 0.0]
    """
    e, b, inc = _prepare(events, populations, min_denominator)
    m, a_raw = _global_prior(e, b, inc)
    a = max(a_raw, 0.0)
    raw = _rate(e, b, inc)
    var = a + m / np.where(inc, b, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(var > 0, (raw - m) / np.sqrt(var), 0.0)
    return StandardisedRates(
        z=np.where(inc, z, np.nan),
        prior_mean=per * m,
        prior_variance=per * per * a,
        variance_clipped=bool(a_raw < 0),
        included=inc,
        per=float(per),
    )


def neighbour_lists(neighbours: Neighbours, n: int) -> list[list[int]]:
    """Neighbour positions per area, from a Contiguity, adjacency lists or a libpysal ``W``.

    Examples
    --------
    >>> neighbour_lists([[1], [0, 2], [1]], 3)
    [[1], [0, 2], [1]]
    """
    if isinstance(neighbours, Contiguity):
        lists = [list(row) for row in neighbours.neighbours]
    elif isinstance(neighbours, WeightsLike):
        position = {ident: i for i, ident in enumerate(neighbours.id_order)}
        lists = [
            [position[j] for j in neighbours.neighbors[ident]] for ident in neighbours.id_order
        ]
    else:
        lists = [[int(j) for j in row] for row in neighbours]
    if len(lists) != n:
        raise ValueError(f"{len(lists)} neighbour lists for {n} areas")
    if any(j < 0 or j >= n for row in lists for j in row):
        raise ValueError("neighbour position out of range")
    return lists


def _prepare(
    events: ArrayLike, populations: ArrayLike, min_denominator: float
) -> tuple[FloatArray, FloatArray, BoolArray]:
    e = np.asarray(events, dtype=float).ravel()
    b = np.asarray(populations, dtype=float).ravel()
    if e.shape != b.shape:
        raise ValueError("events and populations differ in length")
    if np.any(e[np.isfinite(e)] < 0):
        raise ValueError("negative event count")
    inc = np.isfinite(e) & np.isfinite(b) & (b >= min_denominator) & (b > 0)
    return np.where(inc, e, 0.0), np.where(inc, b, 0.0), inc


def _rate(e: FloatArray, b: FloatArray, inc: BoolArray) -> FloatArray:
    return np.where(inc, e / np.where(inc, b, 1.0), np.nan)


def _global_prior(e: FloatArray, b: FloatArray, inc: BoolArray) -> tuple[float, float]:
    """Prior mean m and the (unclipped) moment estimate of the prior variance a."""
    if not inc.any():
        return float("nan"), float("nan")
    eb, bb = e[inc], b[inc]
    m = float(eb.sum() / bb.sum())
    s2 = float((bb * (eb / bb - m) ** 2).sum() / bb.sum())
    return m, s2 - m / float(bb.mean())


def _shrink(raw: FloatArray, m: FloatArray, a: FloatArray, b: FloatArray) -> FloatArray:
    """m + w (raw − m) with w = a / (a + m/b); w = 0 where a = m = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        total = a + m / np.where(b > 0, b, 1.0)
        weight = np.where(total > 0, a / total, 0.0)
    return np.asarray(m + weight * (raw - m), dtype=float)


def _edges(lists: list[list[int]], inc: BoolArray) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Unique (area, member) pairs of each neighbourhood, self included, both ends included."""
    pairs = {(i, i) for i in range(len(lists))}
    pairs.update((i, j) for i, row in enumerate(lists) for j in row)
    arr = np.array(sorted(pairs), dtype=np.intp).reshape(-1, 2)
    keep = inc[arr[:, 0]] & inc[arr[:, 1]]
    return arr[keep, 0], arr[keep, 1]
