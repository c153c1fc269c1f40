"""Control-chart limits for monthly counts, so a rolling signal is not re-tested every month.

For month ``t`` of a cell, the baseline is the same calendar month in the previous ``years_back``
years: ``S`` events over the exposure ``Eh`` (days × denominator). The expected count is
``S × e[t] / Eh``. The limits come from the NB2 model of the change test, conditioned on the total
``N = y[t] + S`` so that the unknown rate drops out: with month multipliers ``Gamma(1/alpha)``,
``y[t] | N ~ BetaBinomial(N, c w, c (1 - w))``, with ``w = e[t] / (e[t] + Eh)`` and
``c = (years_back + 1) / alpha`` (exact for equal monthly exposures; Binomial(N, w), the exact
conditional Poisson test, when ``alpha = 0``). ``alpha`` is the monthly dispersion from history
(:func:`~veiligheidskaart.analysis.change.estimate_dispersion`).

The upper limit is the largest count whose upper tail ``P(Y >= y | N)`` is above ``tail``; the
lower limit the smallest count whose lower tail is above ``tail``. Both are fixed before the month
is counted. The default tail (0.00135 each side) is the three-sigma equivalent: a year of 12
in-control months gives a false signal at most about 3% of the time.

>>> from datetime import date
>>> units = TimeUnits.regular(date(2021, 1, 1), 48)
>>> y = np.tile([10.0] * 12, 4)[None, :]
>>> y[0, 40] = 40
>>> chart = control_chart(y, np.ones((1, 48)), units, dispersion=0.05)
>>> float(chart.expected[0, 40]), float(chart.lower[0, 40]), float(chart.upper[0, 40])
(10.0, 1.0, 30.0)
>>> int(chart.signal[0, 40]), int(np.abs(chart.signal).sum())
(1, 1)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from veiligheidskaart.analysis.change import TimeUnits

FloatArray = NDArray[np.float64]
TAIL = 0.00135  # one-sided tail of each limit: the three-sigma equivalent
YEARS_BACK = 3


@dataclass(frozen=True)
class ControlChart:
    """Per cell and unit: expected count, limits and signal (+1 above, -1 below, 0 within).

    Units without a full baseline have NaN expected and limits, and signal 0.
    """

    expected: FloatArray
    lower: FloatArray
    upper: FloatArray
    signal: NDArray[np.int8]
    dispersion: float
    years_back: int
    tail: float


def conditional_limits(
    baseline: ArrayLike,
    weight: ArrayLike,
    dispersion: float,
    years_back: int = YEARS_BACK,
    tail: float = TAIL,
) -> tuple[FloatArray, FloatArray]:
    """Smallest and largest in-control count, given the baseline count ``S`` and ``w``.

    >>> lo, hi = conditional_limits([30.0, 30.0], [0.25, 0.25], dispersion=0.0)
    >>> lo.tolist(), hi.tolist()
    ([1.0, 1.0], [24.0, 24.0])
    """
    s, w = np.broadcast_arrays(np.asarray(baseline, float), np.asarray(weight, float))
    c = (years_back + 1) / dispersion if dispersion > 0 else np.inf

    def upper_tail(k: FloatArray) -> FloatArray:  # P(Y >= k | N = k + S), falls with k
        if np.isinf(c):
            return np.asarray(stats.binom.sf(k - 1, k + s, w), float)
        return np.asarray(stats.betabinom.sf(k - 1, k + s, c * w, c * (1 - w)), float)

    def lower_tail(k: FloatArray) -> FloatArray:  # P(Y <= k | N = k + S), rises with k
        if np.isinf(c):
            return np.asarray(stats.binom.cdf(k, k + s, w), float)
        return np.asarray(stats.betabinom.cdf(k, k + s, c * w, c * (1 - w)), float)

    mean = s * w / (1 - w)
    spread = np.sqrt(mean + mean**2 * (years_back + 1) / c + mean**2 / np.maximum(s, 1))
    hi = np.ceil(mean + 8 * spread) + 5  # a bracket; doubled where the tail is not yet reached
    while np.any(far := upper_tail(hi) > tail):
        hi = np.where(far, hi * 2, hi)
    first_signal = _bisect(lambda k: upper_tail(k) <= tail, np.floor(mean), hi)
    first_in_control = _bisect(lambda k: lower_tail(k) > tail, np.zeros_like(s), np.ceil(mean))
    return first_in_control, first_signal - 1


def _bisect(
    ok: Callable[[FloatArray], NDArray[np.bool_]], lo: FloatArray, hi: FloatArray
) -> FloatArray:
    """Per element, the smallest integer k in [lo, hi] with ok(k), for ok monotone in k."""
    while np.any(lo < hi):
        mid = np.floor((lo + hi) / 2)
        good = ok(mid) & (lo < hi)
        hi, lo = np.where(good, mid, hi), np.where(~good & (lo < hi), mid + 1, lo)
    return lo


def _baseline_index(units: TimeUnits, years_back: int) -> NDArray[np.int64]:
    """units × years_back: the index of the same season in each previous year, -1 if absent."""
    if units.season is None:
        raise ValueError("control charts need sub-yearly units (months)")
    pairs = list(zip(units.starts, units.season, strict=True))
    where = {(s.year, k): i for i, (s, k) in enumerate(pairs)}
    rows = [[where.get((s.year - j, k), -1) for j in range(1, years_back + 1)] for s, k in pairs]
    return np.array(rows, dtype=np.int64).reshape(len(pairs), years_back)


def control_chart(
    counts: ArrayLike,
    exposure: ArrayLike,
    units: TimeUnits,
    *,
    dispersion: float,
    years_back: int = YEARS_BACK,
    tail: float = TAIL,
) -> ControlChart:
    """Expected counts, limits and signals for cells × monthly units (see the module docstring).

    >>> from datetime import date
    >>> chart = control_chart(np.full((1, 24), 3.0), np.ones((1, 24)),
    ...                       TimeUnits.regular(date(2023, 1, 1), 24), dispersion=0.1)
    >>> bool(np.isnan(chart.expected[0, 12])), int(chart.signal.sum())
    (True, 0)
    """
    y = np.asarray(counts, dtype=float)
    e = np.asarray(exposure, dtype=float)
    idx = _baseline_index(units, years_back)
    safe = np.where(idx >= 0, idx, 0)
    base_y, base_e = y[:, safe].sum(axis=2), e[:, safe].sum(axis=2)  # cells × units
    usable = np.all(idx >= 0, axis=1)[None, :] & np.isfinite(base_y) & (base_e > 0) & (e > 0)
    base_y, base_e = np.where(usable, base_y, 0.0), np.where(usable, base_e, 1.0)
    weight = np.where(usable, e, 1.0) / (np.where(usable, e, 1.0) + base_e)
    expected, lower, upper = (np.full(y.shape, np.nan) for _ in range(3))
    expected[usable] = base_y[usable] * weight[usable] / (1 - weight[usable])
    limits = conditional_limits(base_y[usable], weight[usable], dispersion, years_back, tail)
    lower[usable], upper[usable] = limits
    signal = np.where(y > upper, 1, np.where(y < lower, -1, 0)).astype(np.int8)
    return ControlChart(expected, lower, upper, signal, dispersion, years_back, tail)
