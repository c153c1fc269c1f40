"""Control-chart limits: hand-computed expectations, scipy quantiles, null false signals."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from scipy import stats

from veiligheidskaart.analysis.change import TimeUnits, estimate_dispersion
from veiligheidskaart.analysis.control import TAIL, control_chart, nb_limits


def test_expected_is_same_months_of_previous_years_times_exposure() -> None:
    units = TimeUnits.regular(date(2021, 1, 1), 48)
    y = np.arange(48, dtype=float)[None, :] + 5
    e = np.linspace(1.0, 2.0, 48)[None, :]
    chart = control_chart(y, e, units, dispersion=0.1)
    t = 40  # May 2024: baseline May 2021, 2022, 2023 = units 4, 16, 28
    base = [4, 16, 28]
    assert chart.expected[0, t] == pytest.approx(y[0, base].sum() / e[0, base].sum() * e[0, t])
    assert np.isnan(chart.expected[0, :36]).all() and np.isfinite(chart.expected[0, 36:]).all()
    alpha_eff = 0.1 * (1 + 1 / 3) + 1 / y[0, base].sum()
    size = 1 / alpha_eff
    mean = chart.expected[0, t]
    assert chart.upper[0, t] == stats.nbinom.ppf(1 - TAIL, size, size / (size + mean))
    assert chart.lower[0, t] == stats.nbinom.ppf(TAIL, size, size / (size + mean))


def test_nb_limits_equal_scipy_quantiles() -> None:
    lo, hi = nb_limits([3.0, 50.0, 50.0], [0.0, 0.0, 0.3], tail=0.01)
    assert lo[:2].tolist() == stats.poisson.ppf(0.01, [3.0, 50.0]).tolist()
    assert hi[2] == stats.nbinom.ppf(0.99, 1 / 0.3, 1 / (1 + 0.3 * 50))


def test_null_months_rarely_signal_and_a_planted_month_does() -> None:
    rng = np.random.default_rng(2)
    cells, months = 200, 60
    units = TimeUnits.regular(date(2020, 1, 1), months)
    season = 1 + 0.3 * np.sin(2 * np.pi * np.arange(months) / 12)
    mu = rng.uniform(2, 40, (cells, 1)) * season[None, :]
    y = rng.poisson(mu * rng.gamma(5, 0.2, mu.shape)).astype(float)
    disp = estimate_dispersion(y[:, :36], np.ones((cells, 36)), season=np.arange(36) % 12)
    chart = control_chart(y, np.ones_like(y), units, dispersion=disp.alpha)
    rate = float(np.mean(chart.signal[:, 36:] != 0))
    print(f"null monthly signal rate: {rate:.4f} (nominal at most {2 * TAIL:.4f})")
    assert rate <= 4 * TAIL, f"null monthly signal rate {rate:.4f}"
    y[0, 50] = 4 * mu[0, 50] + 30
    assert control_chart(y, np.ones_like(y), units, dispersion=disp.alpha).signal[0, 50] == 1


def test_yearly_units_are_refused() -> None:
    with pytest.raises(ValueError, match="sub-yearly"):
        control_chart(
            np.ones((1, 5)),
            np.ones((1, 5)),
            TimeUnits.regular(date(2020, 1, 1), 5, 12),
            dispersion=0,
        )
