"""Change in counts between two periods, per cell (buurt × indicator), with FDR over the family.

Two tests, both on the rate ratio current / reference with exposure = days × denominator:

- the exact conditional (binomial) test: given ``n = a + b``, ``b ~ Binomial(n, Eb / (Ea + Eb))``
  under H0; used when there are fewer than 3 years of history;
- a negative binomial (NB2) test of the period effect with the dispersion estimated from history
  (see :func:`nb_period_test` and :func:`estimate_dispersion` for the exact model).

>>> r = exact_conditional_test([10], [1.0], [20], [1.0])
>>> float(r.ratio[0]), round(float(r.p[0]), 4)
(2.0, 0.0987)
>>> benjamini_hochberg([0.01, 0.04, 0.03]).q.round(3).tolist()
[0.03, 0.04, 0.04]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special, stats

FloatArray = NDArray[np.float64]
MIN_TOTAL_COUNT = 10  # cells with a + b below this are dropped before the FDR correction
MIN_HISTORY_YEARS = 3.0
MAX_HISTORY_YEARS = 5.0
WORDING = {
    "rise": "significant gestegen",
    "fall": "significant gedaald",
    "noise": "binnen de marge van toeval",
    "not_tested": "te weinig voorvallen om te toetsen",
    "not_comparable": "niet vergelijkbaar (reeksbreuk)",
    "missing": "geen gegevens",
}
METHOD_NOTE = {
    "negative_binomial": "Negatief-binomiale toets; dispersie geschat uit ten minste 3 jaar historie.",
    "exact_conditional": "Exacte conditionele (binomiale) toets: minder dan 3 jaar historie om de "
    "dispersie te schatten.",
    "none": "Geen toets: de vergelijking gaat over een reeksbreuk heen.",
}
_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


@dataclass(frozen=True)
class Period:
    """A closed date interval ``[start, end]`` with a Dutch label ("2023", "1e halfjaar 2023")."""

    start: date
    end: date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Comparison:
    """The current period against a reference period; ``kind`` is year, half_year, rolling_12."""

    reference: Period
    current: Period
    kind: str = "custom"


@dataclass(frozen=True)
class SeriesBreak:
    """A declared series break: a step at ``start`` (``end`` None) or a temporary interval."""

    code: str
    name: str
    start: date
    end: date | None = None


@dataclass(frozen=True)
class TimeUnits:
    """The time axis of a count table: one closed interval per column, ascending.

    ``season`` is the unit's index within the year (month 0–11) for sub-yearly data, else None.
    """

    starts: tuple[date, ...]
    ends: tuple[date, ...]
    season: tuple[int, ...] | None = None

    @classmethod
    def regular(cls, first: date, n: int, months: int = 1) -> TimeUnits:
        """``n`` consecutive units of ``months`` months from ``first`` (the first of a month).

        >>> u = TimeUnits.regular(date(2024, 1, 1), 2, months=6)
        >>> u.days.tolist(), u.season
        ([182, 184], (0, 1))
        """
        idx = [first.year * 12 + first.month - 1 + i * months for i in range(n + 1)]
        bounds = [date(i // 12, i % 12 + 1, 1) for i in idx]
        season = tuple((i % 12) // months for i in idx[:-1]) if months < 12 else None
        ends = tuple(b - timedelta(days=1) for b in bounds[1:])
        return cls(tuple(bounds[:-1]), ends, season)

    @property
    def days(self) -> NDArray[np.int64]:
        return np.array([(e - s).days + 1 for s, e in zip(self.starts, self.ends, strict=True)])

    def mask(self, period: Period) -> NDArray[np.bool_]:
        """Units inside ``period``; the period must be an exact union of units.

        >>> TimeUnits.regular(date(2023, 1, 1), 3, months=12).mask(year_on_year(2024).current)
        array([False, False,  True])
        """
        inside = np.array([s >= period.start and e <= period.end for s, e in self._pairs()])
        overlap = np.array([s <= period.end and e >= period.start for s, e in self._pairs()])
        if np.any(overlap & ~inside) or int(self.days[inside].sum()) != period.days:
            raise ValueError(f"period {period.label!r} is not a union of the time units")
        return inside

    def _pairs(self) -> list[tuple[date, date]]:
        return list(zip(self.starts, self.ends, strict=True))


@dataclass(frozen=True)
class RatioTest:
    """Per cell: rate ratio current / reference, its confidence interval and two-sided p."""

    ratio: FloatArray
    lower: FloatArray
    upper: FloatArray
    p: FloatArray


@dataclass(frozen=True)
class Dispersion:
    """NB2 dispersion ``alpha`` (Var = mu + alpha mu²) and the seasonal factors of the history."""

    alpha: float
    df: int
    season_factors: tuple[float, ...] | None


@dataclass(frozen=True)
class FdrResult:
    """Benjamini–Hochberg q-values (NaN where p is NaN) and the rejections at ``alpha``."""

    q: FloatArray
    rejected: NDArray[np.bool_]
    family_size: int
    alpha: float


@dataclass(frozen=True)
class ChangeResult:
    """The change of one cell; ``q`` is None when the p was not corrected (a raw p)."""

    cell: int
    count_a: float
    count_b: float
    ratio: float
    lower: float
    upper: float
    p: float | None
    q: float | None
    method: str
    direction: str
    reference_label: str

    @property
    def wording(self) -> str:
        return WORDING[self.direction]

    def sentence(self) -> str:
        """Dutch sentence that says whether its number is a raw p or a q-value.

        >>> ChangeResult(0, 10, 30, 3.0, 1.5, 6.0, 0.002, 0.01, "exact_conditional", "rise",
        ...              "2023").sentence()
        'significant gestegen t.o.v. 2023 (q = 0,01)'
        """
        ref = self.reference_label
        if self.direction == "not_comparable":
            return f"niet vergelijkbaar met {ref} (reeksbreuk)"
        if self.direction == "not_tested":
            return f"te weinig voorvallen om met {ref} te vergelijken"
        if self.direction == "missing" or self.p is None:
            return f"geen gegevens om met {ref} te vergelijken"
        name, value = ("q", self.q) if self.q is not None else ("p", self.p)
        return f"{self.wording} t.o.v. {ref} ({name} = {format_p(value)})"


@dataclass(frozen=True)
class ChangeFamily:
    """One FDR family: one indicator × one comparison × one level × one run."""

    comparison: Comparison
    method: str
    method_note: str
    dispersion: float | None
    history_years: float
    alpha: float
    min_count: int
    family_size: int
    dropped: int
    missing: int
    series_break: SeriesBreak | None
    results: tuple[ChangeResult, ...]


def format_p(value: float) -> str:
    """A p- or q-value with a Dutch decimal comma.

    >>> format_p(0.0123), format_p(0.004), format_p(0.00001)
    ('0,01', '0,004', '< 0,001')
    """
    if value < 0.001:
        return "< 0,001"
    return (f"{value:.3f}" if value < 0.01 else f"{value:.2f}").replace(".", ",")


def year_on_year(year: int) -> Comparison:
    """A calendar year against the year before.

    >>> year_on_year(2024).reference.label
    '2023'
    """
    ref, cur = (Period(date(y, 1, 1), date(y, 12, 31), str(y)) for y in (year - 1, year))
    return Comparison(ref, cur, "year")


def half_year_on_year(year: int, half: int) -> Comparison:
    """A half year against the same half year one year earlier.

    >>> half_year_on_year(2024, 1).reference.label
    '1e halfjaar 2023'
    """
    start, end = ((1, 1), (6, 30)) if half == 1 else ((7, 1), (12, 31))
    ref, cur = (
        Period(date(y, *start), date(y, *end), f"{half}e halfjaar {y}") for y in (year - 1, year)
    )
    return Comparison(ref, cur, "half_year")


def last_12_months(year: int, month: int) -> Comparison:
    """The 12 months up to and including ``year-month`` against the 12 months before.

    >>> last_12_months(2024, 6).reference.label
    'juli 2022 t/m juni 2023'
    """

    def window(end_index: int) -> Period:
        first = end_index - 11
        start = date(first // 12, first % 12 + 1, 1)
        end = date((end_index + 1) // 12, (end_index + 1) % 12 + 1, 1) - timedelta(days=1)
        label = f"{_MONTHS[start.month - 1]} {start.year} t/m {_MONTHS[end.month - 1]} {end.year}"
        return Period(start, end, label)

    last = year * 12 + month - 1
    return Comparison(window(last - 12), window(last), "rolling_12")


def crossed_break(comparison: Comparison, breaks: Sequence[SeriesBreak]) -> SeriesBreak | None:
    """The first declared break that the comparison crosses unmodelled, or None.

    A step break is crossed when it falls after the earlier period's start and on or before the
    later period's end (the periods lie on both sides, or one straddles it). An interval break is
    crossed when either period overlaps it.

    >>> covid = SeriesBreak("covid", "COVID-19", date(2020, 3, 1), date(2021, 12, 31))
    >>> crossed_break(year_on_year(2022), [covid]).code
    'covid'
    >>> crossed_break(year_on_year(2024), [covid]) is None
    True
    """
    periods = (comparison.reference, comparison.current)
    first = min(p.start for p in periods)
    last = max(p.end for p in periods)
    for brk in breaks:
        if brk.end is None:
            if first < brk.start <= last:
                return brk
        elif any(p.start <= brk.end and p.end >= brk.start for p in periods):
            return brk
    return None


def exact_conditional_test(
    count_a: ArrayLike,
    exposure_a: ArrayLike,
    count_b: ArrayLike,
    exposure_b: ArrayLike,
    level: float = 0.95,
) -> RatioTest:
    """Exact conditional test of the Poisson rate ratio ``(b / Eb) / (a / Ea)``, vectorised.

    Given ``n = a + b``, ``b ~ Binomial(n, pi)`` with ``pi = Eb R / (Ea + Eb R)``. The two-sided p
    sums the outcomes no likelier than ``b`` under ``R = 1`` (as ``scipy.stats.binomtest``). The
    interval is Clopper–Pearson for ``pi``, mapped to ``R = pi / (1 - pi) * Ea / Eb``.

    >>> r = exact_conditional_test([10, 0], [181, 181], [20, 0], [184, 184])
    >>> [round(float(x), 3) for x in r.ratio], [round(float(x), 3) for x in r.p]
    ([1.967, nan], [0.115, 1.0])
    """
    a = np.asarray(count_a, dtype=float)
    b = np.asarray(count_b, dtype=float)
    ea = np.asarray(exposure_a, dtype=float)
    eb = np.asarray(exposure_b, dtype=float)
    a, b, ea, eb = np.broadcast_arrays(a, b, ea, eb)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (b / eb) / (a / ea)
    p = _binom_two_sided(b, a + b, eb / (ea + eb))
    lower, upper = _clopper_pearson_ratio(a, b, ea, eb, level)
    return RatioTest(ratio, lower, upper, p)


def _binom_two_sided(k: FloatArray, n: FloatArray, p0: FloatArray) -> FloatArray:
    """Two-sided binomial p by the likelihood ordering of scipy's ``binomtest``."""
    d = stats.binom.pmf(k, n, p0) * (1 + 1e-7)
    low = k < p0 * n
    # The other tail: the first outcome beyond the mode whose probability is at most d.
    lo = np.where(low, np.ceil(p0 * n), 0.0)
    hi = np.where(low, n + 1, np.floor(p0 * n) + 1)
    while np.any(lo < hi):
        mid = np.floor((lo + hi) / 2)
        pm = stats.binom.pmf(mid, n, p0)
        go_left = np.where(low, pm <= d, pm > d)
        active = lo < hi
        hi = np.where(active & go_left, mid, hi)
        lo = np.where(active & ~go_left, mid + 1, lo)
    tail_low = stats.binom.cdf(k, n, p0) + stats.binom.sf(lo - 1, n, p0)
    tail_high = stats.binom.cdf(lo - 1, n, p0) + stats.binom.sf(k - 1, n, p0)
    pval = np.minimum(np.where(low, tail_low, tail_high), 1.0)
    return np.where((k == p0 * n) | (n == 0), 1.0, pval)


def _clopper_pearson_ratio(
    a: FloatArray, b: FloatArray, ea: FloatArray, eb: FloatArray, level: float
) -> tuple[FloatArray, FloatArray]:
    tail = (1 - level) / 2
    n = a + b
    with np.errstate(divide="ignore", invalid="ignore"):
        lo_pi = np.where(b > 0, stats.beta.ppf(tail, b, a + 1), 0.0)
        hi_pi = np.where(a > 0, stats.beta.ppf(1 - tail, b + 1, a), 1.0)
        lower = lo_pi / (1 - lo_pi) * ea / eb
        upper = np.where(hi_pi < 1, hi_pi / (1 - hi_pi), np.inf) * ea / eb
    return np.where(n > 0, lower, 0.0), np.where(n > 0, upper, np.inf)


def pearson_alpha(counts: ArrayLike, mu: ArrayLike, df: float) -> float:
    """Moment estimate of the NB2 dispersion: solve ``sum (y - mu)² / (mu (1 + alpha mu)) = df``.

    Returns 0 (Poisson) when the Pearson statistic at ``alpha = 0`` is already at most ``df``.

    >>> round(pearson_alpha([0, 10, 2, 30], [5, 8, 4, 20], df=3), 4)
    0.3031
    """
    y = np.asarray(counts, dtype=float).ravel()
    m = np.asarray(mu, dtype=float).ravel()
    keep = m > 0
    y, m = y[keep], m[keep]

    def excess(a: float) -> float:
        return float(np.sum((y - m) ** 2 / (m * (1 + a * m)))) - df

    if df <= 0 or excess(0.0) <= 0:
        return 0.0
    hi = 1.0
    while excess(hi) > 0:
        hi *= 4
    return float(optimize.brentq(excess, 0.0, hi, xtol=1e-12))


def estimate_dispersion(
    counts: ArrayLike,
    exposure: ArrayLike,
    season: ArrayLike | None = None,
    regime: ArrayLike | None = None,
) -> Dispersion:
    """Pooled NB2 dispersion of history counts (cells × units), with seasonal factors.

    Model: ``mu[i, t] = exposure[i, t] * r[i, regime[t]] * s[season[t]]``, a Poisson log-linear
    fit by iterative proportional fitting (a rate per cell and regime between step breaks, one
    seasonal profile for all cells); then :func:`pearson_alpha` with ``df = n - p``. Cells without
    any event carry no information and are left out. Non-finite values are ignored.

    >>> rng = np.random.default_rng(1)
    >>> mu = np.full((200, 36), 4.0)
    >>> y = rng.poisson(mu * rng.gamma(5, 1 / 5, mu.shape))
    >>> d = estimate_dispersion(y, np.ones_like(mu), season=np.arange(36) % 12)
    >>> round(d.alpha, 1), d.df
    (0.2, 6989)
    """
    y = np.asarray(counts, dtype=float)
    e = np.asarray(exposure, dtype=float)
    ncell, nt = y.shape
    s_idx = np.zeros(nt, int) if season is None else np.asarray(season, int)
    g_idx = np.zeros(nt, int) if regime is None else np.unique(regime, return_inverse=True)[1]
    rows = np.arange(ncell)[:, None] * (g_idx.max() + 1) + g_idx[None, :]
    valid = np.isfinite(y) & np.isfinite(e) & (e > 0)
    yv, ev, rv = y[valid], e[valid], rows[valid]
    sv = np.broadcast_to(s_idx, y.shape)[valid]
    k = int(s_idx.max()) + 1
    f = np.ones(k)
    for _ in range(200):
        r = _safe_div(np.bincount(rv, yv), np.bincount(rv, ev * f[sv]))
        f_new = _safe_div(np.bincount(sv, yv, k), np.bincount(sv, ev * r[rv], k), fill=np.nan)
        f_new = np.where(np.isfinite(f_new) & (f_new > 0), f_new, np.nan)
        f_new = np.nan_to_num(f_new / np.nanmean(f_new), nan=1.0)
        done = np.max(np.abs(f_new - f)) < 1e-12
        f = f_new
        if done:
            break
    r = _safe_div(np.bincount(rv, yv), np.bincount(rv, ev * f[sv]))
    mu = ev * r[rv] * f[sv]
    used_rows = int(np.count_nonzero(r > 0))
    seasons = int(np.count_nonzero(np.bincount(sv[mu > 0], minlength=k)))
    df = int(np.count_nonzero(mu > 0)) - used_rows - max(seasons - 1, 0)
    factors = tuple(float(x) for x in f) if season is not None else None
    return Dispersion(pearson_alpha(yv, mu, df), df, factors)


def _safe_div(num: FloatArray, den: FloatArray, fill: float = 0.0) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), fill)


def nb_loglik(counts: FloatArray, mu: FloatArray, alpha: float) -> FloatArray:
    """Elementwise NB2 log-likelihood (Poisson for ``alpha = 0``), as statsmodels' families.

    >>> round(float(nb_loglik(np.array([3.0]), np.array([2.0]), 0.5)[0]), 6)
    -1.909543
    """
    if alpha <= 0:
        return special.xlogy(counts, mu) - mu - special.gammaln(counts + 1)
    r = 1 / alpha
    return (
        special.gammaln(counts + r)
        - special.gammaln(r)
        - special.gammaln(counts + 1)
        + r * np.log(r / (r + mu))
        + special.xlogy(counts, mu / (r + mu))
    )


def _nb_rate(y: FloatArray, e: FloatArray, alpha: float) -> tuple[FloatArray, FloatArray]:
    """Per row, the NB2 MLE of a common rate (Newton on its log) and its log-likelihood."""
    total, ex = y.sum(axis=1), e.sum(axis=1)
    lam = _safe_div(total, ex)
    if alpha > 0:
        pos = total > 0
        theta = np.log(np.where(pos, lam, 1.0))
        for _ in range(100):
            mu = np.exp(theta)[:, None] * e
            grad = ((y - mu) / (1 + alpha * mu)).sum(axis=1)
            hess = ((1 + alpha * y) * mu / (1 + alpha * mu) ** 2).sum(axis=1)
            step = np.where(pos, np.clip(_safe_div(grad, hess), -5, 5), 0.0)
            theta = theta + step
            if np.max(np.abs(step), initial=0.0) < 1e-12:
                break
        lam = np.where(pos, np.exp(theta), 0.0)
    return lam, nb_loglik(y, lam[:, None] * e, alpha).sum(axis=1)


def nb_period_test(
    counts: ArrayLike,
    exposure: ArrayLike,
    in_a: ArrayLike,
    in_b: ArrayLike,
    alpha: float,
    level: float = 0.95,
) -> RatioTest:
    """NB2 test of the period effect per cell, with the dispersion ``alpha`` held fixed.

    Per cell (row), over the units ``t`` of periods a and b::

        y[t] ~ NB2(mu[t], alpha),  Var = mu + alpha mu²
        log mu[t] = log exposure[t] + beta + gamma * [t in b]

    ``exposure`` is days × denominator × seasonal factor. ``exp(gamma)`` is the rate ratio; p is
    the likelihood-ratio test of ``gamma = 0`` (chi² with 1 df); the interval is Wald on
    ``gamma`` with the expected information, as a statsmodels GLM with
    ``NegativeBinomial(alpha)`` reports it. When a period has no events the interval is the exact
    conditional one.

    >>> y = np.array([[3, 5, 4, 9, 8, 10]])
    >>> r = nb_period_test(y, np.ones((1, 6)), [1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1], 0.1)
    >>> round(float(r.ratio[0]), 3), round(float(r.p[0]), 4)
    (2.25, 0.0324)
    """
    y = np.asarray(counts, dtype=float)
    e = np.asarray(exposure, dtype=float)
    a, b = np.asarray(in_a, bool), np.asarray(in_b, bool)
    lam_a, ll_a = _nb_rate(y[:, a], e[:, a], alpha)
    lam_b, ll_b = _nb_rate(y[:, b], e[:, b], alpha)
    _, ll_0 = _nb_rate(y[:, a | b], e[:, a | b], alpha)
    p = stats.chi2.sf(np.maximum(2 * (ll_a + ll_b - ll_0), 0.0), 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = lam_b / lam_a
        mu_a, mu_b = lam_a[:, None] * e[:, a], lam_b[:, None] * e[:, b]
        var = 1 / (mu_a / (1 + alpha * mu_a)).sum(1) + 1 / (mu_b / (1 + alpha * mu_b)).sum(1)
        z = stats.norm.ppf(0.5 + level / 2) * np.sqrt(var)
        lower, upper = ratio * np.exp(-z), ratio * np.exp(z)
    sa, sb = y[:, a].sum(1), y[:, b].sum(1)
    cp_lo, cp_hi = _clopper_pearson_ratio(sa, sb, e[:, a].sum(1), e[:, b].sum(1), level)
    zero = (sa == 0) | (sb == 0)
    return RatioTest(ratio, np.where(zero, cp_lo, lower), np.where(zero, cp_hi, upper), p)


def benjamini_hochberg(p: ArrayLike, alpha: float = 0.05) -> FdrResult:
    """Benjamini–Hochberg q-values; NaN p-values are outside the family.

    >>> r = benjamini_hochberg([0.001, 0.2, float("nan"), 0.03], alpha=0.05)
    >>> r.q.round(3).tolist(), r.rejected.tolist(), r.family_size
    ([0.003, 0.2, nan, 0.045], [True, False, False, True], 3)
    """
    pv = np.asarray(p, dtype=float)
    q = np.full(pv.shape, np.nan)
    ok = np.isfinite(pv)
    m = int(ok.sum())
    if m:
        order = np.argsort(pv[ok], kind="stable")
        ranked = pv[ok][order] * m / np.arange(1, m + 1)
        qs = np.minimum(np.minimum.accumulate(ranked[::-1])[::-1], 1.0)
        sub = np.empty(m)
        sub[order] = qs
        q[ok] = sub
    return FdrResult(q, np.where(ok, q < alpha, False), m, alpha)


def classify(ratio: float, p_or_q: float | None, alpha: float = 0.05) -> str:
    """``rise`` or ``fall`` only when significant, else ``noise`` ("binnen de marge van toeval").

    >>> classify(1.8, 0.01), classify(0.5, 0.2), classify(0.5, 0.001)
    ('rise', 'noise', 'fall')
    """
    if p_or_q is None or not p_or_q < alpha or ratio == 1:
        return "noise"
    return "rise" if ratio > 1 else "fall"


def _history(
    units: TimeUnits, comparison: Comparison, breaks: Sequence[SeriesBreak], max_years: float
) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    """Units before both periods, outside interval breaks, most recent first up to max_years."""
    first = min(comparison.reference.start, comparison.current.start)
    keep, regime = [], []
    for s, e in units._pairs():
        ok = e < first
        for brk in breaks:
            hit_end = brk.end if brk.end is not None else brk.start
            ok &= not (s <= hit_end and e >= brk.start and (brk.end is not None or s < brk.start))
        keep.append(ok)
        regime.append(sum(brk.end is None and brk.start <= s for brk in breaks))
    mask = np.array(keep, bool)
    days = np.where(mask, units.days, 0)
    recent = np.cumsum(days[::-1])[::-1] <= max_years * 365.25 + 1
    return mask & recent, np.array(regime, np.int64)


def change_family(
    counts: ArrayLike,
    denominators: ArrayLike,
    units: TimeUnits,
    comparison: Comparison,
    *,
    breaks: Sequence[SeriesBreak] = (),
    alpha: float = 0.05,
    min_count: int = MIN_TOTAL_COUNT,
    min_history_years: float = MIN_HISTORY_YEARS,
    max_history_years: float = MAX_HISTORY_YEARS,
) -> ChangeFamily:
    """Test the change of every cell (row) of one indicator for one comparison, with FDR.

    ``counts`` is cells × units; ``denominators`` cells × units or per cell; the exposure is days
    × denominator. With at least ``min_history_years`` of usable history before both periods the
    NB test is used (:func:`estimate_dispersion`, then :func:`nb_period_test` with the seasonal
    factors in the exposure), else the exact conditional test on the period totals. Cells with
    ``a + b < min_count`` are dropped before the correction: the total is ancillary for the
    conditional test, so the filter keeps its p-values valid. q-values by Benjamini–Hochberg.

    >>> units = TimeUnits.regular(date(2022, 1, 1), 2, months=12)
    >>> fam = change_family([[10, 30], [3, 4], [50, 52]], [1000, 1000, 5000], units,
    ...                     year_on_year(2023))
    >>> fam.method, fam.family_size, fam.dropped
    ('exact_conditional', 2, 1)
    >>> [r.sentence() for r in fam.results][:2]
    ['significant gestegen t.o.v. 2022 (q = 0,004)', 'te weinig voorvallen om met 2022 te vergelijken']
    """  # noqa: E501
    y = np.asarray(counts, dtype=float)
    den = np.asarray(denominators, dtype=float)
    den = np.broadcast_to(den[:, None] if den.ndim == 1 else den, y.shape)
    exposure = units.days[None, :] * den
    a, b = units.mask(comparison.reference), units.mask(comparison.current)
    ref = comparison.reference.label
    brk = crossed_break(comparison, breaks)
    if brk is not None:
        res = tuple(
            ChangeResult(
                i, np.nan, np.nan, np.nan, np.nan, np.nan, None, None, "none", "not_comparable", ref
            )
            for i in range(y.shape[0])
        )
        return ChangeFamily(
            comparison, "none", METHOD_NOTE["none"], None, 0.0, alpha, min_count, 0, 0, 0, brk, res
        )
    ab = a | b
    valid = np.all(np.isfinite(y[:, ab]) & np.isfinite(exposure[:, ab]) & (exposure[:, ab] > 0), 1)
    y_ok = np.where(valid[:, None], y, 0.0)
    e_ok = np.where(valid[:, None], exposure, 1.0)
    hist, regime = _history(units, comparison, breaks, max_history_years)
    years = float(units.days[hist].sum()) / 365.25
    disp: float | None = None
    if units.days[hist].sum() >= min_history_years * 365:
        season = None if units.season is None else np.asarray(units.season)
        d = estimate_dispersion(
            y[:, hist], exposure[:, hist], None if season is None else season[hist], regime[hist]
        )
        disp, method = d.alpha, "negative_binomial"
        if season is not None and d.season_factors is not None:
            e_ok = e_ok * np.asarray(d.season_factors)[season][None, :]
        test = nb_period_test(y_ok, e_ok, a, b, d.alpha)
    else:
        method = "exact_conditional"
        sums = [arr[:, m].sum(1) for m in (a, b) for arr in (y_ok, e_ok)]
        test = exact_conditional_test(*sums)
    count_a, count_b = y_ok[:, a].sum(1), y_ok[:, b].sum(1)
    tested = valid & (count_a + count_b >= min_count)
    fdr = benjamini_hochberg(np.where(tested, test.p, np.nan), alpha)
    results = []
    for i in range(y.shape[0]):
        p_i = float(test.p[i]) if tested[i] else None
        q_i = float(fdr.q[i]) if tested[i] else None
        direction = (
            classify(float(test.ratio[i]), q_i, alpha)
            if tested[i]
            else ("not_tested" if valid[i] else "missing")
        )
        results.append(
            ChangeResult(
                i,
                float(count_a[i]),
                float(count_b[i]),
                float(test.ratio[i]),
                float(test.lower[i]),
                float(test.upper[i]),
                p_i,
                q_i,
                method,
                direction,
                ref,
            )
        )
    return ChangeFamily(
        comparison,
        method,
        METHOD_NOTE[method],
        disp,
        years,
        alpha,
        min_count,
        fdr.family_size,
        int(np.count_nonzero(valid & ~tested)),
        int(np.count_nonzero(~valid)),
        None,
        tuple(results),
    )
