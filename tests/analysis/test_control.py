"""Control-chart limits: hand-computed expectations, scipy tails, null false signals."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from scipy import stats

from veiligheidskaart.analysis.change import TimeUnits, estimate_dispersion
from veiligheidskaart.analysis.control import TAIL, conditional_limits, control_chart


def test_expected_is_same_months_of_previous_years_times_exposure() -> None:
    units = TimeUnits.regular(date(2021, 1, 1), 48)
    y = np.arange(48, dtype=float)[None, :] + 5
    e = np.linspace(1.0, 2.0, 48)[None, :]
    chart = control_chart(y, e, units, dispersion=0.1)
    t, base = 40, [4, 16, 28]  # May 2024: baseline May 2021, 2022, 2023
    assert chart.expected[0, t] == pytest.approx(y[0, base].sum() / e[0, base].sum() * e[0, t])
    assert np.isnan(chart.expected[0, :36]).all() and np.isfinite(chart.expected[0, 36:]).all()


@pytest.mark.parametrize("dispersion", [0.0, 0.15])
def test_limits_are_the_conditional_tail_boundaries(dispersion: float) -> None:
    s, w = 45.0, 0.26
    lo, hi = conditional_limits([s], [w], dispersion, years_back=3, tail=0.01)
    c = 4 / dispersion if dispersion else None

    def sf(k: float) -> float:  # P(Y >= k | N = k + S)
        if c is None:
            return float(stats.binom.sf(k - 1, k + s, w))
        return float(stats.betabinom.sf(k - 1, k + s, c * w, c * (1 - w)))

    def cdf(k: float) -> float:
        if c is None:
            return float(stats.binom.cdf(k, k + s, w))
        return float(stats.betabinom.cdf(k, k + s, c * w, c * (1 - w)))

    u, v = float(hi[0]), float(lo[0])
    assert sf(u) > 0.01 >= sf(u + 1)
    assert cdf(v) > 0.01 >= (cdf(v - 1) if v > 0 else 0.0)


def test_null_months_rarely_signal_and_a_planted_month_does() -> None:
    rng = np.random.default_rng(2)
    cells, months = 250, 60
    units = TimeUnits.regular(date(2020, 1, 1), months)
    season = 1 + 0.3 * np.sin(2 * np.pi * np.arange(months) / 12)
    mu = rng.uniform(2, 40, (cells, 1)) * season[None, :]
    y = rng.poisson(mu * rng.gamma(5, 0.2, mu.shape)).astype(float)
    disp = estimate_dispersion(y[:, :36], np.ones((cells, 36)), season=np.arange(36) % 12)
    chart = control_chart(y, np.ones_like(y), units, dispersion=disp.alpha)
    rate = float(np.mean(chart.signal[:, 36:] != 0))
    print(f"null monthly signal rate: {rate:.4f} (nominal at most {2 * TAIL:.4f})")
    assert rate <= 2 * TAIL + 0.001, f"null monthly signal rate {rate:.4f}"
    y[0, 50] = 4 * mu[0, 50] + 30
    assert control_chart(y[:1], np.ones((1, 60)), units, dispersion=disp.alpha).signal[0, 50] == 1


def test_yearly_units_are_refused() -> None:
    units = TimeUnits.regular(date(2020, 1, 1), 5, 12)
    with pytest.raises(ValueError, match="sub-yearly"):
        control_chart(np.ones((1, 5)), np.ones((1, 5)), units, dispersion=0)
