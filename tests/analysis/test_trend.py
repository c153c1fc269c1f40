"""Trend: equality with a direct statsmodels GLM fit, recovery of planted trends, breaks."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM

from veiligheidskaart.analysis.change import SeriesBreak, TimeUnits
from veiligheidskaart.analysis.trend import break_terms, trend, trend_design, trend_wording

SAMENLOOP = SeriesBreak("samenloop_2018", "Samenloopregistratie", date(2018, 7, 1))
COVID = SeriesBreak("covid", "COVID-19-maatregelen", date(2020, 3, 1), date(2021, 12, 31))


def _monthly_series(seed: int, factor: float, years: int = 6) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = 12 * years
    t = np.arange(n) / 12
    pop = 20_000 * 1.01**t
    season = 1 + 0.25 * np.cos(2 * np.pi * np.arange(n) / 12)
    mu = pop / 1000 * 2.5 * factor**t * season
    return rng.poisson(mu * rng.gamma(10, 0.1, n)).astype(float), pop


def test_nb_trend_equals_direct_statsmodels_glm() -> None:
    y, pop = _monthly_series(1, 1.08)
    units = TimeUnits.regular(date(2018, 1, 1), len(y))
    r = trend(y, pop, units)
    assert r.method == "negative_binomial" and r.dispersion > 0
    years = np.array([(s - units.starts[0]).days / 365.25 for s in units.starts])
    month = np.arange(len(y)) % 12
    x = np.column_stack([np.ones(len(y)), years, np.eye(12)[month][:, 1:]])
    offset = np.log(units.days * pop)
    family = families.NegativeBinomial(alpha=r.dispersion)
    fit = GLM(y, x, family=family, offset=offset).fit(use_t=True)
    assert r.factor == pytest.approx(np.exp(fit.params[1]), abs=1e-6)
    assert r.p == pytest.approx(fit.pvalues[1], abs=1e-6)
    lo, hi = np.exp(fit.conf_int()[1])
    assert (r.lower, r.upper) == (pytest.approx(lo, abs=1e-6), pytest.approx(hi, abs=1e-6))
    # the moment condition of the dispersion holds at the fit
    pearson = np.sum((y - fit.mu) ** 2 / (fit.mu * (1 + r.dispersion * fit.mu)))
    assert pearson == pytest.approx(fit.df_resid, rel=1e-6)


def test_recovers_a_known_multiplicative_trend_exactly() -> None:
    units = TimeUnits.regular(date(2014, 1, 1), 10, months=12)
    pop = np.linspace(50_000, 60_000, 10)
    mu = units.days * pop / 365.25 / 1000 * 40 * 1.15 ** np.arange(10)
    r = trend(mu, pop, units)  # noise-free: the fit reproduces the series
    assert r.factor == pytest.approx(1.15, rel=2e-3)
    assert r.direction == "rise" and r.wording.startswith("stijgt ±15% per jaar (p < 0,001)")


def test_recovers_a_falling_monthly_trend_within_its_interval() -> None:
    y, pop = _monthly_series(7, 0.9)
    r = trend(y, pop, TimeUnits.regular(date(2018, 1, 1), len(y)))
    assert r.lower < 0.9 < r.upper
    assert r.direction == "fall" and r.wording.startswith("daalt ±")


def test_fewer_than_five_years_gives_no_trend() -> None:
    units = TimeUnits.regular(date(2020, 1, 1), 4, months=12)
    r = trend([10, 20, 40, 80], [1000] * 4, units)
    assert r.direction == "insufficient" and r.wording == "geen trend vast te stellen"
    monthly = TimeUnits.regular(date(2021, 1, 1), 48)
    assert trend(np.full(48, 5.0), np.full(48, 1000.0), monthly).n_years == 4
    five = TimeUnits.regular(date(2020, 1, 1), 5, months=12)
    assert trend([10, 12, 11, 13, 12], [1000] * 5, five).direction != "insufficient"


def test_break_as_step_term_absorbs_a_level_shift() -> None:
    units = TimeUnits.regular(date(2014, 1, 1), 10, months=12)
    pop = np.full(10, 30_000.0)
    shift = 1.6 ** break_terms(units, SAMENLOOP)
    y = np.round(units.days * 0.3 * shift)
    with_break = trend(y, pop, units, breaks=[SAMENLOOP])
    without = trend(y, pop, units)
    assert with_break.breaks_modelled == ("samenloop_2018",)
    assert with_break.factor == pytest.approx(1.0, abs=0.01)
    assert with_break.direction == "none"
    assert without.direction == "rise"


def test_design_drops_breaks_outside_the_series() -> None:
    units = TimeUnits.regular(date(2019, 1, 1), 5, months=12)
    x, names = trend_design(units, [SAMENLOOP, COVID])
    assert names == ("const", "years", "break_covid")
    assert x[:, 2].round(3).tolist() == [0.0, 0.836, 1.0, 0.0, 0.0]
    assert trend_design(TimeUnits.regular(date(2022, 1, 1), 5, 12), [COVID])[1] == (
        "const",
        "years",
    )


def test_wording() -> None:
    assert trend_wording(1.123, 0.003, "rise") == "stijgt ±12% per jaar (p = 0,003)"
    assert trend_wording(0.97, 0.2, "none") == "geen significante trend (p = 0,20)"


@given(scale=st.floats(1e-2, 1e3))
def test_trend_invariant_to_scaling_population(scale: float) -> None:
    units = TimeUnits.regular(date(2015, 1, 1), 7, months=12)
    y = [30, 34, 29, 41, 38, 45, 52]
    pop = np.array([9000, 9100, 9200, 9300, 9350, 9400, 9500], float)
    r1, r2 = trend(y, pop, units), trend(y, pop * scale, units)
    assert r1.factor == pytest.approx(r2.factor, rel=1e-6)
    assert r1.p == pytest.approx(r2.p, rel=1e-5, abs=1e-9)
