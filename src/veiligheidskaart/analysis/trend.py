"""Trend: a negative binomial regression of counts on time, with exposure, month terms and breaks.

Model, for the units ``t`` of one series (years or months)::

    y[t] ~ NB2(mu[t], alpha),  Var = mu + alpha mu²
    log mu[t] = log(days[t] × population[t]) + b0 + b1 × years[t] + month terms + break terms

``years[t]`` is the time since the first unit in years, so ``exp(b1)`` is the yearly change
factor. Month terms (one dummy per month but the first) enter for sub-yearly data. Each declared
break that falls inside the series is a term: the share of the unit's days on or after a step
break, or inside an interval break. ``alpha`` is the moment estimate (Pearson χ² = residual df,
refitted until stable; 0 gives Poisson). The fit is a statsmodels GLM with that ``alpha``, and the
interval and p use the t distribution with the residual df. Fewer than 5 distinct years: "geen
trend vast te stellen" (Mann–Kendall cannot even be significant on 4 points).

>>> from datetime import date
>>> units = TimeUnits.regular(date(2015, 1, 1), 8, months=12)
>>> counts = [100, 112, 125, 141, 156, 177, 197, 221]
>>> r = trend(counts, [10_000] * 8, units)
>>> round(r.factor, 3), r.method, r.wording
(1.12, 'poisson', 'stijgt ±12% per jaar (p < 0,001)')
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import ArrayLike, NDArray
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM, GLMResults

from veiligheidskaart.analysis.change import SeriesBreak, TimeUnits, format_p, pearson_alpha

FloatArray = NDArray[np.float64]
MIN_YEARS = 5
NO_TREND = "geen trend vast te stellen"


@dataclass(frozen=True)
class TrendResult:
    """Yearly change factor with its interval and p; NaN when no trend could be estimated.

    ``method`` is ``negative_binomial``, ``poisson`` or ``none``; ``direction`` is ``rise``,
    ``fall``, ``none`` (not significant) or ``insufficient`` (too few years).
    """

    factor: float
    lower: float
    upper: float
    p: float
    method: str
    dispersion: float
    n_years: int
    breaks_modelled: tuple[str, ...]
    direction: str
    wording: str


def break_terms(units: TimeUnits, brk: SeriesBreak) -> FloatArray:
    """Per unit, the share of its days on or after a step break, or inside an interval break.

    >>> from datetime import date
    >>> u = TimeUnits.regular(date(2017, 1, 1), 3, months=12)
    >>> step = SeriesBreak("samenloop", "Samenloop", date(2018, 7, 1))
    >>> break_terms(u, step).round(3).tolist()
    [0.0, 0.504, 1.0]
    """
    end = brk.end or date.max
    shares = []
    for s, e in zip(units.starts, units.ends, strict=True):
        lo, hi = max(s, brk.start), min(e, end)
        shares.append(max((hi - lo).days + 1, 0) / ((e - s).days + 1))
    return np.array(shares, dtype=float)


def trend_design(
    units: TimeUnits, breaks: Sequence[SeriesBreak] = ()
) -> tuple[FloatArray, tuple[str, ...]]:
    """Design matrix: constant, years since the first unit, month dummies, break terms.

    Columns without variation (a break outside the series) are left out.

    >>> from datetime import date
    >>> x, names = trend_design(TimeUnits.regular(date(2020, 1, 1), 24))
    >>> x.shape, names[:3]
    ((24, 13), ('const', 'years', 'season_1'))
    """
    t0 = units.starts[0]
    cols = [np.ones(len(units.starts)), np.array([(s - t0).days / 365.25 for s in units.starts])]
    names = ["const", "years"]
    if units.season is not None:
        season = np.asarray(units.season)
        for k in np.unique(season)[1:]:
            cols.append((season == k).astype(float))
            names.append(f"season_{k}")
    for brk in breaks:
        term = break_terms(units, brk)
        if np.ptp(term) > 0:
            cols.append(term)
            names.append(f"break_{brk.code}")
    return np.column_stack(cols), tuple(names)


def _fit(y: FloatArray, x: FloatArray, offset: FloatArray) -> tuple[GLMResults, float]:
    """Poisson fit, then NB2 fits with the moment alpha until it is stable."""
    alpha = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = GLM(y, x, family=families.Poisson(), offset=offset).fit(use_t=True)
        for _ in range(50):
            new = pearson_alpha(y, res.mu, res.df_resid)
            if new == 0.0 or abs(new - alpha) <= 1e-10 * max(alpha, 1e-12):
                break
            alpha = new
            family = families.NegativeBinomial(alpha=alpha)
            res = GLM(y, x, family=family, offset=offset).fit(use_t=True)
    return res, alpha


def _independent(x: FloatArray, names: tuple[str, ...]) -> tuple[FloatArray, tuple[str, ...]]:
    """Drop columns (from the right) that vary not at all or are collinear with earlier ones."""
    keep: list[int] = []
    for j in range(x.shape[1]):
        trial = x[:, keep + [j]]
        if (j == 0 or np.ptp(x[:, j]) > 0) and np.linalg.matrix_rank(trial) == len(keep) + 1:
            keep.append(j)
    return x[:, keep], tuple(names[j] for j in keep)


def trend(
    counts: ArrayLike,
    population: ArrayLike,
    units: TimeUnits,
    *,
    breaks: Sequence[SeriesBreak] = (),
    alpha: float = 0.05,
    level: float = 0.95,
    min_years: int = MIN_YEARS,
) -> TrendResult:
    """Yearly change factor of one series, with the Dutch wording (see the module docstring).

    Units with a missing count or population, or a population of 0, are left out.

    >>> from datetime import date
    >>> trend([5, 7, 6, 8], [1000] * 4, TimeUnits.regular(date(2020, 1, 1), 4, 12)).wording
    'geen trend vast te stellen'
    """
    y = np.asarray(counts, dtype=float)
    pop = np.asarray(population, dtype=float)
    ok = np.isfinite(y) & np.isfinite(pop) & (pop > 0)
    x, names = trend_design(units, breaks)
    x, names = _independent(x[ok], names)
    n_years = len({s.year for s, keep in zip(units.starts, ok, strict=True) if keep})
    if n_years < min_years or y[ok].sum() == 0 or "years" not in names or len(x) <= x.shape[1]:
        nan = float("nan")
        return TrendResult(nan, nan, nan, nan, "none", nan, n_years, (), "insufficient", NO_TREND)
    offset = np.log(units.days[ok] * pop[ok])
    res, dispersion = _fit(y[ok], x, offset)
    j = names.index("years")
    with np.errstate(over="ignore"):  # a degenerate fit gives an infinite bound, not a warning
        low, high = np.exp(np.asarray(res.conf_int(1 - level))[j])
    factor, p = float(np.exp(res.params[j])), float(res.pvalues[j])
    direction = ("rise" if factor > 1 else "fall") if p < alpha else "none"
    breaks_used = tuple(n.removeprefix("break_") for n in names if n.startswith("break_"))
    method = "negative_binomial" if dispersion > 0 else "poisson"
    return TrendResult(
        factor,
        float(low),
        float(high),
        p,
        method,
        dispersion,
        n_years,
        breaks_used,
        direction,
        trend_wording(factor, p, direction),
    )


def trend_wording(factor: float, p: float, direction: str) -> str:
    """Dutch wording of a trend; the p is raw (a trend is one test, not an FDR family).

    >>> trend_wording(0.955, 0.02, "fall"), trend_wording(1.01, 0.4, "none")
    ('daalt ±4,5% per jaar (p = 0,02)', 'geen significante trend (p = 0,40)')
    """
    if direction == "insufficient":
        return NO_TREND
    if direction == "none":
        return f"geen significante trend ({format_p(p)})"
    pct = abs(factor - 1) * 100
    text = f"{pct:.0f}" if pct >= 10 else f"{pct:.1f}".replace(".", ",")
    verb = "stijgt" if direction == "rise" else "daalt"
    return f"{verb} ±{text}% per jaar ({format_p(p)})"
