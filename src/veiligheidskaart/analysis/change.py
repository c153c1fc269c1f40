"""Change in counts between two periods, per cell (buurt × indicator), with FDR over the family.

Both tests are on the rate ratio current / reference, with exposure = days × denominator:
the exact conditional (binomial) test, and a negative binomial (NB2) test whose dispersion comes
from at least 3 years of history (:func:`nb_period_test`). :func:`change_family` runs one FDR
family; :func:`crossed_break` keeps tests from crossing a declared series break.

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
    "negative_binomial": "Negatief-binomiale toets; dispersie uit ten minste 3 jaar historie.",
    "exact_conditional": "Exacte conditionele (binomiale) toets: geen dispersie uit historie "
    "(minder dan 3 jaar historie, of perioden van ongelijke lengte).",
    "none": "Geen toets: de vergelijking gaat over een reeksbreuk heen.",
}
_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")  # fmt: skip


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
    """The current period against a reference; ``kind``: year, half_year, rolling_12, custom."""

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
    """The time axis of a count table: one closed interval per column, ascending, contiguous.

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
        array([False,  True, False])
        """
        pairs = zip(self.starts, self.ends, strict=True)
        inside = np.array([s >= period.start and e <= period.end for s, e in pairs])
        pairs = zip(self.starts, self.ends, strict=True)
        overlap = np.array([s <= period.end and e >= period.start for s, e in pairs])
        if np.any(overlap & ~inside) or int(self.days[inside].sum()) != period.days:
            raise ValueError(f"period {period.label!r} is not a union of the time units")
        return inside


@dataclass(frozen=True)
class RatioTest:
    """Per cell: rate ratio current / reference, its confidence interval and two-sided p."""

    ratio: FloatArray
    lower: FloatArray
    upper: FloatArray
    p: FloatArray


@dataclass(frozen=True)
class Dispersion:
    """NB2 dispersion ``alpha`` (Var = mu + alpha mu²), its standard error, the residual df and
    the seasonal factors (mean 1) of the Poisson fit."""

    alpha: float
    se: float
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
        return f"{self.wording} t.o.v. {ref} ({format_p(value, name)})"


@dataclass(frozen=True)
class ChangeFamily:
    """One FDR family: one indicator × one comparison × one level × one run.

    ``dispersion`` is that of period totals (with its standard error and the seasonal factors),
    None for the exact test; ``dropped`` cells fell below ``min_count``, ``missing`` had no data.
    """

    comparison: Comparison
    method: str
    dispersion: Dispersion | None
    history_years: float
    alpha: float
    min_count: int
    family_size: int
    dropped: int
    missing: int
    series_break: SeriesBreak | None
    results: tuple[ChangeResult, ...]

    @property
    def method_note(self) -> str:
        """Dutch note on the method, for the report."""
        return METHOD_NOTE[self.method]


def format_p(value: float, name: str = "p") -> str:
    """A p- or q-value as Dutch text with a decimal comma.

    >>> format_p(0.0123, "q"), format_p(0.004), format_p(0.00001)
    ('q = 0,01', 'p = 0,004', 'p < 0,001')
    """
    if value < 0.001:
        return f"{name} < 0,001"
    text = f"{value:.3f}" if value < 0.01 else f"{value:.2f}"
    return f"{name} = {text.replace('.', ',')}"


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

    def window(last: int) -> Period:
        start = date((last - 11) // 12, (last - 11) % 12 + 1, 1)
        end = date((last + 1) // 12, (last + 1) % 12 + 1, 1) - timedelta(days=1)
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
    first, last = min(p.start for p in periods), max(p.end for p in periods)
    for brk in breaks:
        if brk.end is None and first < brk.start <= last:
            return brk
        if brk.end is not None and any(p.start <= brk.end and p.end >= brk.start for p in periods):
            return brk
    return None


def exact_conditional_test(
    count_a: ArrayLike,
    exposure_a: ArrayLike,
    count_b: ArrayLike,
    exposure_b: ArrayLike,
    level: float = 0.95,
) -> RatioTest:
    """Exact conditional test of the Poisson rate ratio ``R = (b / Eb) / (a / Ea)``, vectorised.

    Given ``n = a + b``, ``b ~ Binomial(n, pi)`` with ``pi = Eb R / (Ea + Eb R)``. The two-sided p
    sums the outcomes no likelier than ``b`` under ``R = 1`` (as ``scipy.stats.binomtest``). The
    interval is Clopper–Pearson for ``pi``, mapped to ``R = pi / (1 - pi) * Ea / Eb``.

    >>> r = exact_conditional_test([10, 0], [181, 181], [20, 0], [184, 184])
    >>> [round(float(x), 3) for x in r.ratio], [round(float(x), 3) for x in r.p]
    ([1.967, nan], [0.099, 1.0])
    """
    a, ea, b, eb = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (count_a, exposure_a, count_b, exposure_b))
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (b / eb) / (a / ea)
    p = _binom_two_sided(b, a + b, eb / (ea + eb))
    lower, upper = _clopper_pearson_ratio(a, b, ea, eb, level)
    return RatioTest(ratio, lower, upper, p)


def _binom_two_sided(k: FloatArray, n: FloatArray, p0: FloatArray) -> FloatArray:
    """Two-sided binomial p by the likelihood ordering of scipy's ``binomtest``."""

    def pmf(x: FloatArray) -> FloatArray:
        comb = special.gammaln(n + 1) - special.gammaln(x + 1) - special.gammaln(n - x + 1)
        return np.asarray(np.exp(comb + special.xlogy(x, p0) + special.xlog1py(n - x, -p0)))

    def cdf(x: FloatArray) -> FloatArray:  # P(X <= x) = I_{1-p}(n - x, x + 1) on the support
        inner = special.betainc(np.maximum(n - x, 1e-300), np.maximum(x, 0) + 1, 1 - p0)
        return np.where(x < 0, 0.0, np.where(x >= n, 1.0, inner))

    d, low = pmf(k) * (1 + 1e-7), k < p0 * n
    # Bisect for the other tail: the first outcome past the mode with probability at most d.
    lo = np.where(low, np.ceil(p0 * n), 0.0)
    hi = np.where(low, n + 1, np.floor(p0 * n) + 1)
    while np.any(lo < hi):
        mid = np.floor((lo + hi) / 2)
        pm = pmf(np.minimum(mid, n))
        left = np.where(low, pm <= d, pm > d) & (lo < hi)
        hi, lo = np.where(left, mid, hi), np.where(~left & (lo < hi), mid + 1, lo)
    tail_low = cdf(k) + 1 - cdf(lo - 1)
    tail_high = cdf(lo - 1) + 1 - cdf(k - 1)
    pval = np.minimum(np.where(low, tail_low, tail_high), 1.0)
    return np.where((k == p0 * n) | (n == 0), 1.0, pval)


def _clopper_pearson_ratio(
    a: FloatArray, b: FloatArray, ea: FloatArray, eb: FloatArray, level: float
) -> tuple[FloatArray, FloatArray]:
    tail = (1 - level) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        lo_pi = np.where(b > 0, stats.beta.ppf(tail, b, a + 1), 0.0)
        hi_pi = np.where(a > 0, stats.beta.ppf(1 - tail, b + 1, a), 1.0)
        lower = lo_pi / (1 - lo_pi) * ea / eb
        upper = np.where(hi_pi < 1, hi_pi / (1 - hi_pi) * ea / eb, np.inf)
    return np.where(a + b > 0, lower, 0.0), np.where(a + b > 0, upper, np.inf)


def pearson_alpha(counts: ArrayLike, mu: ArrayLike, df: float) -> float:
    """Moment estimate of the NB2 dispersion: solve ``sum (y - mu)² / (mu (1 + alpha mu)) = df``.

    Returns 0 (Poisson) when the Pearson statistic at ``alpha = 0`` is already at most ``df``.

    >>> round(pearson_alpha([0, 10, 2, 30], [5, 8, 4, 20], df=3), 4)
    0.3485
    """
    y, m = np.ravel(np.asarray(counts, float)), np.ravel(np.asarray(mu, float))
    y, m = y[m > 0], m[m > 0]

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
    seasonal profile for all cells), then :func:`pearson_alpha` with ``df = n - p``. The standard
    error is the sandwich ``sqrt(n / df * sum(2 + 1/mu + 6 alpha)) / sum(mu² / v)``. Cells without
    any event carry no information and are left out; non-finite values are ignored.

    >>> rng = np.random.default_rng(1)
    >>> mu = np.full((200, 36), 4.0)
    >>> y = rng.poisson(mu * rng.gamma(5, 1 / 5, mu.shape))
    >>> d = estimate_dispersion(y, np.ones_like(mu), season=np.arange(36) % 12)
    >>> round(d.alpha, 2), round(d.se, 2), d.df
    (0.2, 0.01, 6989)
    """
    y, e = np.asarray(counts, dtype=float), np.asarray(exposure, dtype=float)
    s_idx = np.zeros(y.shape[1], int) if season is None else np.asarray(season, int)
    g_idx = (
        np.zeros(y.shape[1], int) if regime is None else np.unique(regime, return_inverse=True)[1]
    )
    rows = np.arange(y.shape[0])[:, None] * (g_idx.max() + 1) + g_idx[None, :]
    valid = np.isfinite(y) & np.isfinite(e) & (e > 0)
    yv, ev, rv = y[valid], e[valid], rows[valid]
    sv = np.broadcast_to(s_idx, y.shape)[valid]
    k = int(s_idx.max()) + 1
    f = np.ones(k)
    for _ in range(500):
        r = _safe_div(np.bincount(rv, yv), np.bincount(rv, ev * f[sv]))
        f_new = _safe_div(np.bincount(sv, yv, k), np.bincount(sv, ev * r[rv], k), np.nan)
        f_new = np.where(f_new > 0, f_new, np.nan)
        f_new, f_old = np.nan_to_num(f_new / np.nanmean(f_new), nan=1.0), f
        f = f_new
        if np.max(np.abs(f - f_old)) < 1e-12:
            break
    r = _safe_div(np.bincount(rv, yv), np.bincount(rv, ev * f[sv]))
    mu = ev * r[rv] * f[sv]
    seasons = int(np.count_nonzero(np.bincount(sv[mu > 0], minlength=k)))
    df = int(np.count_nonzero(mu > 0)) - int(np.count_nonzero(r > 0)) - max(seasons - 1, 0)
    alpha = pearson_alpha(yv, mu, df)
    m = mu[mu > 0]
    se = np.sqrt(m.size / max(df, 1) * np.sum(2 + 1 / m + 6 * alpha)) / np.sum(m / (1 + alpha * m))
    factors = None if season is None else tuple(float(x) for x in f)
    return Dispersion(alpha, float(se), df, factors)


def _safe_div(num: ArrayLike, den: ArrayLike, fill: float = 0.0) -> FloatArray:
    n, d = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    return np.where(d > 0, n / np.where(d > 0, d, 1.0), fill)


def _betabinom_two_sided(
    k: FloatArray, n: FloatArray, w: FloatArray, alphas: FloatArray, chunk: int = 1 << 21
) -> FloatArray:
    """Two-sided p (cells × alphas) of ``k`` under BetaBinomial(n, c w, c (1 - w)), ``c = 2 /
    alpha``, by the likelihood ordering of ``binomtest``; pmf grids per bucket of similar n."""
    c = 2 / alphas[None, None, :]
    p = np.ones((k.size, alphas.size))
    bucket = np.ceil(np.log2(n + 1) / 2)
    for g in np.unique(bucket[n > 0]):
        members = np.flatnonzero(bucket == g)
        width = int(n[members].max()) + 1
        for rows in np.array_split(members, -(-members.size * width * alphas.size // chunk)):
            nn, kk, ww = (x[rows, None, None] for x in (n, k, w))
            grid = np.minimum(np.arange(width)[None, :, None], nn)
            a, b = c * ww, c * (1 - ww)
            # log pmf up to the terms that do not depend on k (they cancel in the ordering)
            lp = special.gammaln(grid + a) + special.gammaln(nn - grid + b) - _lfact(grid, nn)
            obs = special.gammaln(kk + a) + special.gammaln(nn - kk + b) - _lfact(kk, nn)
            norm = special.gammaln(nn + a + b) + special.betaln(a, b) - special.gammaln(nn + 1)
            keep = (np.arange(width)[None, :, None] <= nn) & (lp <= obs + 1e-7)
            mass = np.where(keep, np.exp(lp - norm), 0.0).sum(axis=1)
            p[rows] = np.minimum(mass, 1.0)
    return p


def _lfact(k: FloatArray, n: FloatArray) -> FloatArray:
    return np.asarray(special.gammaln(k + 1) + special.gammaln(n - k + 1), float)


def nb_period_test(
    count_a: ArrayLike,
    exposure_a: ArrayLike,
    count_b: ArrayLike,
    exposure_b: ArrayLike,
    alpha: float,
    alpha_se: float = 0.0,
    level: float = 0.95,
) -> RatioTest:
    """Conditional negative binomial test of the period effect per cell, vectorised.

    Per cell, with the period totals ``a``, ``b`` and exposures ``Ea``, ``Eb`` (days ×
    denominator × seasonal factor, the month terms of the history fit)::

        a ~ Poisson(lambda Ea G_a),  b ~ Poisson(lambda R Eb G_b),  G ~ Gamma(1/alpha, alpha)

    that is NB2 with ``Var = mu + alpha mu²``, ``alpha`` the dispersion of period totals. Given
    ``n = a + b`` the unknown rate drops out: under ``R = 1``, ``b | n ~ BetaBinomial(n, c w,
    c (1 - w))`` with ``c = 2 / alpha`` and ``w = Eb / (Ea + Eb)`` (exact when ``Ea = Eb``, else
    with the mean matched). ``alpha = 0`` gives the exact conditional Poisson test. The two-sided p
    sums the outcomes no likelier than ``b`` and is averaged over the sampling distribution of the
    estimated dispersion, ``N(alpha, alpha_se²)`` cut at 0 (9-point Gauss–Hermite). The ratio is
    the MLE ``(b / Eb) / (a / Ea)`` and the interval Wald with ``se = sqrt(1/a + 1/b + 2 alpha)``
    (a statsmodels GLM ``NegativeBinomial(alpha)`` on the two totals); when a period has no events
    it is the exact conditional interval.

    >>> r = nb_period_test([12, 40], [1000, 1000], [30, 45], [1100, 1100], alpha=0.05)
    >>> [round(float(x), 3) for x in r.ratio], [round(float(x), 4) for x in r.p]
    ([2.273, 1.023], [0.0815, 1.0])
    """
    a, ea, b, eb = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (count_a, exposure_a, count_b, exposure_b))
    )
    nodes, weights = np.polynomial.hermite_e.hermegauss(9 if alpha_se > 0 else 1)
    alphas, weights = alpha + alpha_se * nodes, weights / weights.sum()
    n, w, poisson = a + b, eb / (ea + eb), alphas <= 1e-12
    p = np.zeros(a.shape)
    if poisson.any():
        p = p + weights[poisson].sum() * _binom_two_sided(b, n, w)
    if (~poisson).any():
        nb = _betabinom_two_sided(b.ravel(), n.ravel(), w.ravel(), alphas[~poisson])
        p = p + (nb @ weights[~poisson]).reshape(a.shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = (b / eb) / (a / ea)
        half = stats.norm.ppf(0.5 + level / 2) * np.sqrt(1 / a + 1 / b + 2 * alpha)
        lower, upper = ratio * np.exp(-half), ratio * np.exp(half)
    cp_lo, cp_hi = _clopper_pearson_ratio(a, b, ea, eb, level)
    zero = (a == 0) | (b == 0)
    return RatioTest(
        ratio, np.where(zero, cp_lo, lower), np.where(zero, cp_hi, upper), np.minimum(p, 1.0)
    )


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
        sub = np.empty(m)
        sub[order] = np.minimum(np.minimum.accumulate(ranked[::-1])[::-1], 1.0)
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


def _history_blocks(
    units: TimeUnits, first: int, length: int, breaks: Sequence[SeriesBreak], max_days: float
) -> tuple[list[NDArray[np.int64]], list[int], float]:
    """Blocks of ``length`` units back from unit ``first``, clear of breaks, and the days of
    history they cover (a unit covers the days up to the next unit's start: a New Year's Eve
    unit covers a year), at most ``max_days``."""
    nxt = (*units.starts[1:], units.ends[-1] + timedelta(days=1))
    cover = np.array([(n - s).days for s, n in zip(units.starts, nxt, strict=True)])
    blocks: list[NDArray[np.int64]] = []
    regimes: list[int] = []
    covered = 0.0
    for stop in range(first, length - 1, -length):
        idx = np.arange(stop - length, stop)
        start, end = units.starts[idx[0]], units.ends[idx[-1]]
        if covered + cover[idx].sum() > max_days:
            break
        hit = any(
            (b.end is None and start < b.start <= end)
            or (b.end is not None and start <= b.end and end >= b.start)
            for b in breaks
        )
        if not hit:
            blocks.append(idx)
            regimes.append(sum(b.end is None and b.start <= start for b in breaks))
            covered += float(cover[idx].sum())
    return blocks, regimes, covered


def _period_dispersion(
    y: FloatArray,
    e: FloatArray,
    units: TimeUnits,
    blocks: list[NDArray[np.int64]],
    regimes: list[int],
) -> tuple[Dispersion, FloatArray]:
    """Seasonal factors from the history units, then the dispersion of the block totals."""
    idx = np.concatenate(blocks)
    season = None if units.season is None else np.asarray(units.season)
    unit_fit = estimate_dispersion(
        y[:, idx],
        e[:, idx],
        None if season is None else season[idx],
        np.repeat(regimes, len(blocks[0])),
    )
    if season is not None and unit_fit.season_factors is not None:
        e = e * np.asarray(unit_fit.season_factors)[season][None, :]
    yb = np.stack([y[:, i].sum(1) for i in blocks], 1)
    eb = np.stack([e[:, i].sum(1) for i in blocks], 1)
    d = estimate_dispersion(yb, eb, regime=regimes)
    return Dispersion(d.alpha, d.se, d.df, unit_fit.season_factors), e


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
    × denominator. History is cut back from the earlier period into blocks of the reference
    period's length, skipping blocks that touch a break (at most ``max_history_years``). With at
    least ``min_history_years`` of it, and periods of equal length, the NB test is used
    (:func:`estimate_dispersion` for the month terms and the dispersion of the block totals, a
    rate per cell and regime), else the exact conditional test on the period totals. Cells with
    ``a + b < min_count`` are dropped before the correction: the total is ancillary for the
    conditional test, so the filter keeps its p-values valid. q-values by Benjamini–Hochberg.

    >>> units = TimeUnits.regular(date(2022, 1, 1), 2, months=12)
    >>> fam = change_family([[10, 30], [3, 4], [50, 52]], [1000, 1000, 5000], units,
    ...                     year_on_year(2023))
    >>> fam.method, fam.family_size, fam.dropped
    ('exact_conditional', 2, 1)
    >>> fam.results[0].sentence()
    'significant gestegen t.o.v. 2022 (q = 0,004)'
    """
    y, ref_label = np.asarray(counts, dtype=float), comparison.reference.label
    den = np.asarray(denominators, dtype=float)
    exposure = units.days * np.broadcast_to(den[:, None] if den.ndim == 1 else den, y.shape)
    a, b = units.mask(comparison.reference), units.mask(comparison.current)
    brk = crossed_break(comparison, breaks)
    valid = np.all(np.isfinite(y[:, a | b]) & (exposure[:, a | b] > 0), axis=1)
    y_ok = np.where(valid[:, None], y, 0.0)
    blocks, regimes, hist_days = _history_blocks(
        units, int(np.argmax(a | b)), int(a.sum()), breaks, max_history_years * 365.25 + 1
    )
    disp, e_ok = None, exposure
    if brk is None and hist_days >= min_history_years * 365 and a.sum() == b.sum():
        disp, e_ok = _period_dispersion(y, exposure, units, blocks, regimes)
    e_ok = np.where(valid[:, None], e_ok, 1.0)
    sums = (y_ok[:, a].sum(1), e_ok[:, a].sum(1), y_ok[:, b].sum(1), e_ok[:, b].sum(1))
    method = "none" if brk else "exact_conditional" if disp is None else "negative_binomial"
    if disp is not None:
        test = nb_period_test(*sums, disp.alpha, disp.se)
    else:
        test = exact_conditional_test(*sums)
    tested = valid & (sums[0] + sums[2] >= min_count) & (brk is None)
    fdr = benjamini_hochberg(np.where(tested, test.p, np.nan), alpha)
    results = []
    columns = (sums[0], sums[2], test.ratio, test.lower, test.upper, test.p, fdr.q)
    for i, (ca, cb, rr, lo, hi, p, q) in enumerate(
        zip(*(c.tolist() for c in columns), strict=True)
    ):
        if not valid[i]:
            ca = cb = float("nan")
        if brk is not None or not valid[i]:
            rr = lo = hi = float("nan")
            direction = "missing" if not valid[i] else "not_comparable"
        else:
            direction = classify(rr, q, alpha) if tested[i] else "not_tested"
        p, q = (p, q) if tested[i] else (None, None)
        results.append(ChangeResult(i, ca, cb, rr, lo, hi, p, q, method, direction, ref_label))
    return ChangeFamily(
        comparison=comparison,
        method=method,
        dispersion=disp,
        history_years=hist_days / 365.25,
        alpha=alpha,
        min_count=min_count,
        family_size=fdr.family_size,
        dropped=int(np.sum(valid & ~tested)) if brk is None else 0,
        missing=int(np.sum(~valid)),
        series_break=brk,
        results=tuple(results),
    )
