"""Rates per denominator, with the "geen zinvol tarief" rule and exact Poisson intervals.

>>> r = rates([10, 4, 0], [2000, 150, 1000], per=1000)
>>> [round(float(x), 2) for x in r.rate]
[5.0, nan, 0.0]
>>> r.meaningful.tolist()
[True, False, True]
>>> lo, hi = poisson_interval(10)
>>> round(lo, 3), round(hi, 3)
(4.795, 18.39)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

MIN_DENOMINATOR = 200  # fewer inhabitants: "geen zinvol tarief"


@dataclass(frozen=True)
class RateResult:
    rate: NDArray[np.float64]  # NaN where not meaningful
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    meaningful: NDArray[np.bool_]


def poisson_interval(count: float, level: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson count."""
    alpha = 1 - level
    lower = 0.0 if count == 0 else float(stats.chi2.ppf(alpha / 2, 2 * count) / 2)
    upper = float(stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2)
    return lower, upper


def rates(
    counts: ArrayLike,
    denominators: ArrayLike,
    per: float = 1000,
    min_denominator: float = MIN_DENOMINATOR,
    level: float = 0.95,
) -> RateResult:
    """Rate per ``per`` units of the denominator; missing or small denominators get NaN."""
    c = np.asarray(counts, dtype=float)
    d = np.asarray(denominators, dtype=float)
    meaningful = np.isfinite(c) & np.isfinite(d) & (d >= min_denominator)
    safe = np.where(meaningful, d, 1.0)
    alpha = 1 - level
    cc = np.where(np.isfinite(c), c, 0.0)
    lower = np.where(cc > 0, stats.chi2.ppf(alpha / 2, 2 * cc) / 2, 0.0)
    upper = stats.chi2.ppf(1 - alpha / 2, 2 * cc + 2) / 2
    nan = np.full_like(c, np.nan)
    return RateResult(
        rate=np.where(meaningful, per * cc / safe, nan),
        lower=np.where(meaningful, per * lower / safe, nan),
        upper=np.where(meaningful, per * upper / safe, nan),
        meaningful=meaningful,
    )
