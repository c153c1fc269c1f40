"""An area's level against the rest of its gemeente: raw and EB-smoothed rate ratios.

The smoothed ratio uses the Poisson–gamma posterior of the Empirical Bayes prior (mean
``m`` and variance ``v`` per unit of exposure, from ``smoothing.eb_smooth``):
the posterior of the area's rate is Gamma(m²/v + c, m/v + E). Its 2.5% and 97.5% points,
divided by the rate of the rest of the gemeente, bound the smoothed ratio. With a clipped
prior variance (v = 0) the posterior is the prior mean itself.

By hand: prior Gamma(4, 200); area 1 has posterior Gamma(34, 1200), mean 0.02833, and the
rest rate is 10/1000, so the smoothed ratio is 2.83; area 2: 14/1200 / (30/1000) = 0.39.

>>> r = level_ratios([30, 10], [1000, 1000], prior_mean=0.02, prior_variance=0.0001)
>>> [round(float(x), 2) for x in r.raw_ratio]
[3.0, 0.33]
>>> [round(float(x), 2) for x in r.smoothed_ratio]
[2.83, 0.39]
>>> bool(r.lower[0] > 1.0), bool(r.upper[1] < 1.0)
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class LevelRatios:
    raw_ratio: FloatArray
    smoothed_ratio: FloatArray
    lower: FloatArray  # of the smoothed ratio
    upper: FloatArray
    rest_rate: FloatArray


def level_ratios(
    counts: ArrayLike,
    exposures: ArrayLike,
    prior_mean: float,
    prior_variance: float,
    included: ArrayLike | None = None,
    level: float = 0.95,
) -> LevelRatios:
    """Rate ratios of each area against the rest (all other areas together)."""
    c = np.asarray(counts, dtype=float)
    e = np.asarray(exposures, dtype=float)
    inc = np.ones(len(c), bool) if included is None else np.asarray(included, bool)
    inc &= np.isfinite(c) & np.isfinite(e) & (e > 0)
    total_c, total_e = np.nansum(np.where(inc, c, 0)), np.nansum(np.where(inc, e, 0))
    with np.errstate(invalid="ignore", divide="ignore"):  # no other area: NaN, reported as such
        rest_rate = (total_c - np.where(inc, c, 0)) / (total_e - np.where(inc, e, 0))
    safe_e = np.where(inc, e, 1.0)
    raw = np.where(inc, c / safe_e / rest_rate, np.nan)
    alpha = (1 - level) / 2
    if prior_variance > 0:
        shape = prior_mean**2 / prior_variance + np.where(inc, c, 0)
        rate = prior_mean / prior_variance + safe_e
        post_mean = shape / rate
        low = stats.gamma.ppf(alpha, shape, scale=1 / rate)
        high = stats.gamma.ppf(1 - alpha, shape, scale=1 / rate)
    else:
        post_mean = low = high = np.full(len(c), prior_mean)
    nan = np.full(len(c), np.nan)
    return LevelRatios(
        raw_ratio=raw,
        smoothed_ratio=np.where(inc, post_mean / rest_rate, nan),
        lower=np.where(inc, low / rest_rate, nan),
        upper=np.where(inc, high / rest_rate, nan),
        rest_rate=rest_rate,
    )
