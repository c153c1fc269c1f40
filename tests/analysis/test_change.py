"""Known answers and properties of the change tests, the FDR family and the series breaks."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.rates import test_poisson_2indep as poisson_2indep

from veiligheidskaart.analysis.change import (
    Comparison,
    Period,
    SeriesBreak,
    TimeUnits,
    benjamini_hochberg,
    change_family,
    classify,
    crossed_break,
    estimate_dispersion,
    exact_conditional_test,
    half_year_on_year,
    last_12_months,
    nb_period_test,
    pearson_alpha,
    year_on_year,
)

SAMENLOOP = SeriesBreak("samenloop_2018", "Samenloopregistratie", date(2018, 7, 1))
COVID = SeriesBreak("covid", "COVID-19-maatregelen", date(2020, 3, 1), date(2021, 12, 31))

# --- exact conditional test ---------------------------------------------------------------


def test_exact_10_vs_20_equal_exposure_matches_binomtest() -> None:
    r = exact_conditional_test([10], [1.0], [20], [1.0])
    ref = stats.binomtest(10, 30, 0.5)
    assert r.p[0] == pytest.approx(ref.pvalue, abs=1e-12)
    assert r.ratio[0] == 2.0
    ci = stats.binomtest(20, 30, 0.5).proportion_ci(0.95, method="exact")
    assert r.lower[0] == pytest.approx(ci.low / (1 - ci.low), rel=1e-9)
    assert r.upper[0] == pytest.approx(ci.high / (1 - ci.high), rel=1e-9)


def test_exact_matches_statsmodels_exact_cond() -> None:
    r = exact_conditional_test([12], [181 * 900], [25], [184 * 950])
    ref = poisson_2indep(25, 184 * 950, 12, 181 * 900, method="exact-cond")
    assert r.p[0] == pytest.approx(ref.pvalue, abs=1e-12)
    assert r.ratio[0] == pytest.approx(ref.ratio, rel=1e-12)


@given(
    a=st.integers(0, 300),
    b=st.integers(0, 300),
    ea=st.floats(0.2, 5.0),
    eb=st.floats(0.2, 5.0),
)
def test_exact_p_equals_binomtest(a: int, b: int, ea: float, eb: float) -> None:
    r = exact_conditional_test([a], [ea], [b], [eb])
    expected = 1.0 if a + b == 0 else stats.binomtest(b, a + b, eb / (ea + eb)).pvalue
    assert r.p[0] == pytest.approx(expected, abs=1e-10)


def test_exact_edge_cases() -> None:
    r = exact_conditional_test([0, 0, 7], [1, 1, 1], [0, 5, 0], [1, 1, 1])
    assert np.isnan(r.ratio[0]) and r.p[0] == 1.0 and r.upper[0] == np.inf
    assert r.ratio[1] == np.inf and r.upper[1] == np.inf and r.lower[1] > 0
    assert r.ratio[2] == 0 and r.lower[2] == 0 and np.isfinite(r.upper[2])


@given(
    a=st.integers(0, 200),
    b=st.integers(0, 200),
    scale=st.floats(1e-3, 1e4),
)
def test_exact_invariant_to_scaling_exposures(a: int, b: int, scale: float) -> None:
    r1 = exact_conditional_test([a], [181.0], [b], [184.0])
    r2 = exact_conditional_test([a], [181.0 * scale], [b], [184.0 * scale])
    for x, y in ((r1.p, r2.p), (r1.ratio, r2.ratio), (r1.lower, r2.lower), (r1.upper, r2.upper)):
        np.testing.assert_allclose(x, y, rtol=1e-9)


def test_exposure_days_make_half_years_fair() -> None:
    # 2 events a day in both halves of 2023 (181 and 184 days): no change at all.
    r = exact_conditional_test([2 * 181], [181 * 1000], [2 * 184], [184 * 1000])
    assert r.ratio[0] == pytest.approx(1.0) and r.p[0] == 1.0


# --- negative binomial test ----------------------------------------------------------------


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize(("a", "b", "alpha"), [(12, 30, 0.05), (40, 31, 0.2), (7, 3, 0.01)])
def test_nb_ratio_and_interval_match_statsmodels_glm(a: int, b: int, alpha: float) -> None:
    ea, eb = 181 * 1000.0, 184 * 1100.0
    y, offset = np.array([a, b], float), np.log([ea, eb])
    family = families.NegativeBinomial(alpha=alpha)
    full = GLM(y, np.array([[1.0, 0.0], [1.0, 1.0]]), family=family, offset=offset).fit()
    r = nb_period_test([a], [ea], [b], [eb], alpha)
    assert np.log(r.ratio[0]) == pytest.approx(full.params[1], abs=1e-6)
    lo, hi = np.exp(full.conf_int()[1])
    assert (r.lower[0], r.upper[0]) == (pytest.approx(lo, rel=1e-6), pytest.approx(hi, rel=1e-6))


def _minlike_p(k: int, n: int, pmf: np.ndarray) -> float:
    """Brute force: the mass of all outcomes no likelier than the observed one."""
    return float(min(pmf[pmf <= pmf[k] * (1 + 1e-7)].sum(), 1.0))


@given(
    a=st.integers(0, 150),
    b=st.integers(0, 150),
    ea=st.floats(0.5, 2.0),
    eb=st.floats(0.5, 2.0),
    alpha=st.floats(0.001, 2.0),
)
def test_nb_p_is_the_beta_binomial_conditional_test(
    a: int, b: int, ea: float, eb: float, alpha: float
) -> None:
    n, w, c = a + b, eb / (ea + eb), 2 / alpha
    pmf = stats.betabinom.pmf(np.arange(n + 1), n, c * w, c * (1 - w))
    r = nb_period_test([a], [ea], [b], [eb], alpha)
    assert r.p[0] == pytest.approx(_minlike_p(b, n, pmf), abs=1e-9)


def test_nb_poisson_limit_and_dispersion_widen() -> None:
    pois = nb_period_test([20], [1.0], [40], [1.0], alpha=0.0)
    assert pois.p[0] == pytest.approx(stats.binomtest(40, 60, 0.5).pvalue, abs=1e-12)
    nb = nb_period_test([20], [1.0], [40], [1.0], alpha=0.1)
    assert pois.p[0] < nb.p[0]
    assert nb.upper[0] - nb.lower[0] > pois.upper[0] - pois.lower[0]
    # the beta-binomial conditional distribution is exact for gamma-Poisson data, equal exposures
    rng = np.random.default_rng(8)
    g = rng.gamma(10, 0.1, (200_000, 2)) * 12.0
    y = rng.poisson(g).astype(float)
    p = nb_period_test(y[:, 0], 1.0, y[:, 1], 1.0, alpha=0.1).p
    assert np.mean(p < 0.05) <= 0.05


@given(
    a=st.integers(0, 300),
    b=st.integers(0, 300),
    alpha=st.floats(0.0, 1.0),
    scale=st.floats(1e-3, 1e4),
)
def test_nb_period_test_invariant_to_scaling_exposures(
    a: int, b: int, alpha: float, scale: float
) -> None:
    r1 = nb_period_test([a], [181.0], [b], [184.0], alpha, 0.01)
    r2 = nb_period_test([a], [181.0 * scale], [b], [184.0 * scale], alpha, 0.01)
    np.testing.assert_allclose(r1.p, r2.p, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(r1.ratio, r2.ratio, rtol=1e-9)
    assert 0.0 <= r1.p[0] <= 1.0


def test_estimate_dispersion_matches_statsmodels_poisson_fit() -> None:
    rng = np.random.default_rng(3)
    cells, months = 15, 36
    e = rng.uniform(500, 3000, (cells, 1)) * np.ones((1, months))
    season = np.arange(months) % 12
    mu = e / 100 * (1 + 0.3 * np.sin(season))[None, :]
    y = rng.poisson(mu * rng.gamma(4, 1 / 4, mu.shape)).astype(float)
    d = estimate_dispersion(y, e, season=season)
    cell_dummies = np.kron(np.eye(cells), np.ones((months, 1)))
    season_dummies = np.tile(np.eye(12)[:, 1:], (cells * 3, 1))
    x = np.hstack([cell_dummies, season_dummies])
    fit = GLM(y.ravel(), x, family=families.Poisson(), offset=np.log(e.ravel())).fit()
    assert d.df == fit.df_resid
    assert d.alpha == pytest.approx(pearson_alpha(y.ravel(), fit.mu, fit.df_resid), abs=1e-6)
    ratio = np.exp(fit.params[cells:])
    factors = np.array(d.season_factors)
    np.testing.assert_allclose(factors[1:] / factors[0], ratio, rtol=1e-6)


def test_pearson_alpha_solves_its_equation() -> None:
    y, mu = np.array([0.0, 10, 2, 30, 5]), np.array([5.0, 8, 4, 20, 6])
    a = pearson_alpha(y, mu, 4)
    assert np.sum((y - mu) ** 2 / (mu * (1 + a * mu))) == pytest.approx(4, abs=1e-9)
    assert pearson_alpha(mu, mu, 4) == 0.0


# --- FDR ---------------------------------------------------------------------------------------


def test_bh_equals_statsmodels_fdr_bh() -> None:
    p = np.random.default_rng(5).uniform(size=500) ** 3
    ours = benjamini_hochberg(p, alpha=0.05)
    rejected, corrected, _, _ = multipletests(p, alpha=0.05, method="fdr_bh")
    np.testing.assert_allclose(ours.q, corrected, rtol=0, atol=1e-12)
    assert (ours.rejected == rejected).all()


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=80))
def test_bh_properties(p: list[float]) -> None:
    pv = np.array(p)
    q = benjamini_hochberg(pv).q
    assert np.all(q >= pv - 1e-15) and np.all(q <= 1.0)
    order = np.argsort(pv, kind="stable")
    assert np.all(np.diff(q[order]) >= -1e-15)
    np.testing.assert_allclose(q, multipletests(pv, method="fdr_bh")[1], atol=1e-12)


def test_bh_ignores_nan() -> None:
    r = benjamini_hochberg([0.01, np.nan, 0.02])
    assert r.family_size == 2 and np.isnan(r.q[1]) and not r.rejected[1]
    assert r.q[0] == pytest.approx(0.02)


# --- periods, breaks, classification --------------------------------------------------------


def test_comparisons_and_units() -> None:
    assert half_year_on_year(2024, 2).current.days == 184
    assert half_year_on_year(2024, 1).reference.days == 181
    rolling = last_12_months(2025, 3)
    assert rolling.current.start == date(2024, 4, 1) and rolling.current.end == date(2025, 3, 31)
    assert rolling.reference.start == date(2023, 4, 1)
    assert TimeUnits.regular(date(2023, 4, 1), 24).mask(rolling.current).sum() == 12
    with pytest.raises(ValueError, match="not a union"):
        TimeUnits.regular(date(2023, 1, 1), 2, months=12).mask(half_year_on_year(2023, 1).current)


@pytest.mark.parametrize(
    ("comparison", "crossed"),
    [
        (year_on_year(2018), "samenloop_2018"),
        (year_on_year(2019), "samenloop_2018"),
        (half_year_on_year(2018, 2), "samenloop_2018"),
        (half_year_on_year(2018, 1), None),
        (year_on_year(2020), "covid"),
        (year_on_year(2022), "covid"),
        (year_on_year(2023), None),
        (last_12_months(2022, 2), "covid"),
        (last_12_months(2023, 12), None),
    ],
)
def test_crossed_break(comparison: Comparison, crossed: str | None) -> None:
    brk = crossed_break(comparison, [SAMENLOOP, COVID])
    assert (brk.code if brk else None) == crossed


def test_fireworks_period_is_accepted() -> None:
    # New Year's Eve as its own period: units of 31 Dec – 1 Jan.
    starts = tuple(date(y, 12, 31) for y in range(2019, 2025))
    ends = tuple(date(y + 1, 1, 1) for y in range(2019, 2025))
    units = TimeUnits(starts, ends)
    nye = Comparison(
        Period(date(2023, 12, 31), date(2024, 1, 1), "oud en nieuw 2023"),
        Period(date(2024, 12, 31), date(2025, 1, 1), "oud en nieuw 2024"),
    )
    rng = np.random.default_rng(11)
    y = rng.poisson(np.full((20, 6), 30.0)).astype(float)
    y[0, -1] = 90
    fam = change_family(y, np.full(20, 5000.0), units, nye)
    assert fam.method == "negative_binomial" and fam.history_years == pytest.approx(4, abs=0.01)
    assert fam.method_note.startswith("Negatief-binomiale")
    assert fam.results[0].direction == "rise"
    assert fam.results[0].sentence().startswith("significant gestegen t.o.v. oud en nieuw 2023")


def test_classify_only_significant_is_a_change() -> None:
    assert classify(3.0, 0.049) == "rise"
    assert classify(3.0, 0.051) == "noise"
    assert classify(0.2, None) == "noise"


# --- the family --------------------------------------------------------------------------------


def _monthly(years: int, cells: int = 30, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pop = rng.uniform(500, 5000, cells)
    mu = pop[:, None] / 1000 * 2 * np.ones((1, 12 * years))
    return rng.poisson(mu * rng.gamma(5, 0.2, mu.shape)).astype(float), pop


def test_family_uses_nb_with_history_and_says_so() -> None:
    y, pop = _monthly(5)
    units = TimeUnits.regular(date(2019, 1, 1), 60)
    fam = change_family(y, pop, units, year_on_year(2023))
    assert fam.method == "negative_binomial" and fam.dispersion is not None
    assert fam.history_years == pytest.approx(3, abs=0.01)
    assert fam.family_size + fam.dropped + fam.missing == 30
    short = change_family(
        y[:, 24:], pop, TimeUnits.regular(date(2021, 1, 1), 36), year_on_year(2023)
    )
    assert short.method == "exact_conditional" and short.dispersion is None
    assert "minder dan 3 jaar historie" in short.method_note


def test_family_skips_break_in_history() -> None:
    y, pop = _monthly(9)  # 2016 – 2024
    units = TimeUnits.regular(date(2016, 1, 1), 108)
    fam = change_family(y, pop, units, year_on_year(2024), breaks=[COVID])
    assert fam.method == "negative_binomial"
    assert fam.history_years == pytest.approx(5, abs=0.01)  # 2022, 2019, 2018, 2017, 2016
    across = change_family(y, pop, units, year_on_year(2022), breaks=[COVID])
    assert across.series_break == COVID and across.family_size == 0
    assert {r.direction for r in across.results} == {"not_comparable"}
    assert across.results[0].sentence() == "niet vergelijkbaar met 2021 (reeksbreuk)"
    assert all(r.p is None for r in across.results)


def test_family_min_count_filter_and_missing() -> None:
    units = TimeUnits.regular(date(2022, 1, 1), 2, months=12)
    y = np.array([[10, 30], [3, 4], [np.nan, 5], [50, 50]])
    fam = change_family(y, [1000, 1000, 1000, 0], units, year_on_year(2023))
    assert (fam.family_size, fam.dropped, fam.missing) == (1, 1, 2)
    dirs = [r.direction for r in fam.results]
    assert dirs == ["rise", "not_tested", "missing", "missing"]
    assert fam.results[1].q is None
    # with a family of one, q equals the raw p
    assert fam.results[0].q == fam.results[0].p


def test_family_invariant_to_scaling_denominators() -> None:
    y, pop = _monthly(5, seed=4)
    units = TimeUnits.regular(date(2019, 1, 1), 60)
    f1 = change_family(y, pop, units, half_year_on_year(2023, 2))
    f2 = change_family(y, pop * 37.5, units, half_year_on_year(2023, 2))
    for r1, r2 in zip(f1.results, f2.results, strict=True):
        assert r1.direction == r2.direction
        assert (r1.q is None) == (r2.q is None)
        if r1.q is not None and r2.q is not None:
            assert r1.q == pytest.approx(r2.q, rel=1e-6)


def test_sentences_say_p_or_q_with_decimal_comma() -> None:
    units = TimeUnits.regular(date(2022, 1, 1), 2, months=12)
    fam = change_family([[10, 30], [40, 38]], [1000, 1000], units, year_on_year(2023))
    rise, noise = fam.results
    assert rise.sentence().startswith("significant gestegen t.o.v. 2022 (q = 0,")
    assert noise.sentence().startswith("binnen de marge van toeval t.o.v. 2022 (q = 0,")
    raw = type(rise)(**{**rise.__dict__, "q": None})
    assert "(p = 0,00" in raw.sentence()
