"""Calibration of the change test on overdispersed (gamma-Poisson) null municipalities.

Each synthetic municipality has 60 buurten with realistic levels: populations around 1,500
(lognormal, 200–12,000, growing 1% a year), a municipal rate of about 15 per 1,000 a year and a
buurt relative risk with a lognormal spread of 0.6 (median about 20 events a year). Counts are
monthly for 2019–2023 with a seasonal profile (±20%), and every buurt-month has its own gamma
noise (shape 5, so Var = mu + 0.2 mu²). 2019–2021 are the three years of history for the
dispersion; 2023 is compared with 2022, and the second half of 2023 with that of 2022. DESIGN §6
sets the targets: the per-test false-alarm rate and the share of null municipalities with a flag
after FDR are at most alpha plus one point of Monte Carlo tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pytest

from veiligheidskaart.analysis.change import (
    Comparison,
    TimeUnits,
    change_family,
    exact_conditional_test,
    half_year_on_year,
    year_on_year,
)

SEED = 20241122
N_MUNICIPALITIES = 2000  # Monte Carlo SE of a 5% flag share: 0.5 point
N_PLANTED = 500
N_BUURTEN = 60
MONTH_SHAPE = 5.0  # gamma shape of the buurt-month noise
ALPHA = 0.05
TOLERANCE = 0.01
UNITS = TimeUnits.regular(date(2019, 1, 1), 60)
PLANTED = (1.5, 1.5, 2.0, 2.0, 4.0, 4.0)  # per municipality, in buurten with >= 20 a year


def _municipality(
    rng: np.random.Generator, year_shape: float | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Expected monthly counts times the gamma noise, the population per month, and the
    expected count of 2022 per buurt."""
    n, t = N_BUURTEN, np.arange(60)
    pop = np.clip(rng.lognormal(np.log(1500), 0.8, n), 200, 12_000)[:, None] * 1.01 ** (t / 12)
    rate = rng.lognormal(np.log(15), 0.3) * rng.lognormal(0, 0.6, (n, 1))
    season = 1 + 0.2 * np.cos(2 * np.pi * (t % 12) / 12)
    mu = pop * UNITS.days / 365.25 / 1000 * rate * season
    noise = rng.gamma(MONTH_SHAPE, 1 / MONTH_SHAPE, mu.shape)
    if year_shape is not None:
        noise *= np.repeat(rng.gamma(year_shape, 1 / year_shape, (n, 5)), 12, axis=1)
    return mu * noise, pop, mu[:, 36:48].sum(1)


@dataclass
class NullRun:
    p: list[float]
    flagged: list[bool]
    exact_p: list[float]
    up_10: list[float]
    any_10: list[float]


def _null_run(
    comparison: Comparison,
    seed: int,
    year_shape: float | None = None,
    municipalities: int = N_MUNICIPALITIES,
) -> NullRun:
    rng = np.random.default_rng(seed)
    run = NullRun([], [], [], [], [])
    a, b = UNITS.mask(comparison.reference), UNITS.mask(comparison.current)
    for _ in range(municipalities):
        lam, pop, _ = _municipality(rng, year_shape)
        y = rng.poisson(lam).astype(float)
        fam = change_family(y, pop, UNITS, comparison, alpha=ALPHA)
        assert fam.method == "negative_binomial"
        run.p += [r.p for r in fam.results if r.p is not None]
        run.flagged.append(any(r.direction in ("rise", "fall") for r in fam.results))
        ya, yb = y[:, a].sum(1), y[:, b].sum(1)
        ea, eb = ((pop[:, m] * UNITS.days[m]).sum(1) for m in (a, b))
        keep = ya + yb >= 10
        run.exact_p += exact_conditional_test(ya, ea, yb, eb).p[keep].tolist()
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = (yb / eb) / (ya / ea)
        run.up_10.append(float(np.mean(ratio > 1.1)))
        run.any_10.append(float(np.mean(np.abs(np.nan_to_num(ratio, nan=1.0) - 1) > 0.1)))
    return run


@pytest.fixture(scope="module")
def year_null() -> NullRun:
    return _null_run(year_on_year(2023), SEED)


@pytest.fixture(scope="module")
def half_year_null() -> NullRun:
    return _null_run(half_year_on_year(2023, 2), SEED + 1)


def _rate(values: list[float] | list[bool]) -> float:
    return float(np.mean(np.asarray(values, dtype=float)))


@pytest.mark.parametrize("which", ["year_null", "half_year_null"])
def test_per_test_false_alarm_rate(which: str, request: pytest.FixtureRequest) -> None:
    run: NullRun = request.getfixturevalue(which)
    rate = _rate([p < ALPHA for p in run.p])
    exact = _rate([p < ALPHA for p in run.exact_p])
    msg = (
        f"{which}: per-test false-alarm rate {rate:.4f} over {len(run.p)} null tests "
        f"(target <= {ALPHA + TOLERANCE:.2f}); the exact Poisson test on the same data: {exact:.4f}"
    )
    print(msg)
    assert rate <= ALPHA + TOLERANCE, msg


@pytest.mark.parametrize("which", ["year_null", "half_year_null"])
def test_fdr_share_of_null_municipalities_with_a_flag(
    which: str, request: pytest.FixtureRequest
) -> None:
    run: NullRun = request.getfixturevalue(which)
    share = _rate(run.flagged)
    msg = (
        f"{which}: {share:.4f} of {len(run.flagged)} null municipalities have a flag after FDR "
        f"(target <= {ALPHA + TOLERANCE:.2f})"
    )
    print(msg)
    assert share <= ALPHA + TOLERANCE, msg


def test_dashboard_rule_flags_far_more(year_null: NullRun) -> None:
    rate = _rate([p < ALPHA for p in year_null.p])
    up, either = _rate(year_null.up_10), _rate(year_null.any_10)
    msg = (
        f"dashboard rule on null data: {up:.3f} of cells '> 10% up year on year', {either:.3f} "
        f"'> 10% up or down'; our per-test false-alarm rate {rate:.4f}"
    )
    print(msg)
    assert up >= 0.3 and up >= 5 * rate, msg


@pytest.mark.parametrize(
    ("comparison", "min_expected"),
    [(year_on_year(2023), 30.0), (half_year_on_year(2023, 2), 30.0), (year_on_year(2023), 0.0)],
    ids=["year-30", "half_year-30", "year-any"],
)
def test_planted_effects_recall_and_false_positives(
    comparison: Comparison, min_expected: float
) -> None:
    """x1.5, x2 and x4 in six buurten per municipality with at least ``min_expected`` events
    in 2022; the x4 recall is asserted where a council would act on it (>= 30 a year)."""
    rng = np.random.default_rng(SEED + 2)
    b = UNITS.mask(comparison.current)
    hits: dict[float, list[bool]] = {e: [] for e in set(PLANTED)}
    false_pos, fdp = [], []
    for _ in range(N_PLANTED):
        lam, pop, yearly = _municipality(rng)
        chosen = rng.permutation(np.flatnonzero(yearly >= min_expected))[: len(PLANTED)]
        lam[np.ix_(chosen, b)] *= np.array(PLANTED[: len(chosen)])[:, None]
        fam = change_family(rng.poisson(lam), pop, UNITS, comparison, alpha=ALPHA)
        rise = np.array([r.direction == "rise" for r in fam.results])
        for cell, effect in zip(chosen, PLANTED, strict=False):
            hits[effect].append(bool(rise[cell]))
        flagged = np.array([r.direction in ("rise", "fall") for r in fam.results])
        false_pos.append(int(flagged.sum() - flagged[chosen].sum()))
        fdp.append(false_pos[-1] / max(int(flagged.sum()), 1))
    recall = {e: _rate(v) for e, v in sorted(hits.items())}
    msg = (
        f"{comparison.kind}, planted in buurten with >= {min_expected:g} a year: recall "
        + ", ".join(f"x{e:g} {r:.3f}" for e, r in recall.items())
        + f"; false positives {np.mean(false_pos):.3f} per municipality "
        f"({sum(false_pos)} in {N_PLANTED * (N_BUURTEN - len(PLANTED))} null buurten), "
        f"FDR (mean false discovery proportion) {np.mean(fdp):.3f}"
    )
    print(msg)
    assert recall[1.5] <= recall[2.0] <= recall[4.0], msg
    if comparison.kind == "year" and min_expected >= 30:
        assert recall[4.0] >= 0.9, msg


def test_robust_to_buurt_year_noise() -> None:
    """Extra buurt-year noise (gamma shape 30): dispersion from history blocks still holds."""
    run = _null_run(year_on_year(2023), SEED + 3, year_shape=30.0, municipalities=1000)
    rate, share = _rate([p < ALPHA for p in run.p]), _rate(run.flagged)
    msg = f"with buurt-year noise: per-test rate {rate:.4f}, municipalities flagged {share:.4f}"
    print(msg)
    assert rate <= ALPHA + TOLERANCE and share <= ALPHA + TOLERANCE, msg
