"""Peer rank with its resampling interval, and the displacement measures (known answers)."""

from __future__ import annotations

import math

import pytest

from veiligheidskaart.analysis.benchmark import peer_rank
from veiligheidskaart.analysis.displacement import displacement


def test_rank_counts_peers_strictly_lower_and_ignores_list_order():
    counts = {"A": 500.0, "B": 400.0, "C": 600.0, "D": 500.0}
    population = dict.fromkeys(counts, 10000.0)
    first = peer_rank("A", counts, population)
    again = peer_rank("A", dict(reversed(list(counts.items()))), population)
    # B is lower; D ties with A and counts in A's favour
    assert (first.rank, first.of, first.rate) == (2, 4, 50.0)
    assert (again.rank, again.lower, again.upper) == (first.rank, first.lower, first.upper)


def test_rank_interval_is_wide_for_close_rates_and_narrow_for_distant_ones():
    population = {"H": 100_000.0, "P": 100_000.0, "Q": 100_000.0}
    close = peer_rank("H", {"H": 5000.0, "P": 5010.0, "Q": 20_000.0}, population)
    assert (close.rank, close.lower, close.upper) == (1, 1, 2)
    assert 0.3 < close.top_probability[1] < 0.7  # a near coin flip between H and P
    far = peer_rank("H", {"H": 1000.0, "P": 5000.0, "Q": 20_000.0}, population)
    assert (far.lower, far.upper, far.top_probability[1]) == (1, 1, 1.0)


def test_rank_refuses_a_home_without_population():
    with pytest.raises(ValueError):
        peer_rank("H", {"H": 10.0, "P": 12.0}, {"P": 1000.0})


def test_displacement_known_answer():
    """Worked by hand.

    Target T0=40, T1=20; buffer B0=30, B1=25; control C0=1000, C1=800.
    k = 800/1000 = 0.8.
    success measure = 20/800 − 40/1000 = 0.025 − 0.040 = −0.015
    buffer measure  = 25/800 − 30/1000 = 0.03125 − 0.030 = 0.00125
    WDQ = 0.00125 / −0.015 = −0.08333 (slight displacement)
    WDD = (20 − 0.8·40) + (25 − 0.8·30) = (20 − 32) + (25 − 24) = −11
    Var = T1 + B1 + k²(T0 + B0) + (T0 + B0)²·k²·(1/C1 + 1/C0)
        = 20 + 25 + 0.64·70 + 4900·0.64·(0.00125 + 0.001)
        = 45 + 44.8 + 3136·0.00225 = 89.8 + 7.056 = 96.856
    sd = 9.8416; 95% interval −11 ± 1.96·9.8416 = (−30.29, 8.29): binnen de marge van toeval.
    """
    r = displacement(target=(40, 20), buffer=(30, 25), control=(1000, 800))
    assert r.control_change == pytest.approx(0.8)
    assert r.success_measure == pytest.approx(-0.015)
    assert r.buffer_measure == pytest.approx(0.00125)
    assert r.wdq == pytest.approx(-0.083333, abs=1e-6)
    assert r.wdd == pytest.approx(-11.0)
    assert r.wdd_se == pytest.approx(math.sqrt(96.856))
    assert r.wdd_lower == pytest.approx(-30.289, abs=1e-3)
    assert r.wdd_upper == pytest.approx(8.289, abs=1e-3)
    assert r.conclusion == "binnen de marge van toeval"
    assert "effect" not in r.conclusion


def test_displacement_without_control_crimes_gives_no_indication():
    r = displacement(target=(4, 2), buffer=(3, 3), control=(0, 5))
    assert r.wdd is None and r.wdq is None
    assert r.conclusion.startswith("geen indicatie")
