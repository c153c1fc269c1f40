"""The priority ranking: re-weighting, resampled top-10 chance, sensitivity, reasons."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from veiligheidskaart.analysis.priority import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    area_view,
    level_component,
    normalised,
    rank,
    reason_sentence,
    scores,
    theme_view,
)


def entries(n: int = 30, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.uniform(0, 1, size=(n, len(COMPONENTS))), columns=list(COMPONENTS))
    frame.insert(0, "area", [f"BU{i:08d}" for i in range(n)])
    frame.insert(1, "theme", ["woninginbraak" if i % 2 else "geweld" for i in range(n)])
    return frame


def test_missing_components_are_reweighted_not_zero():
    frame = pd.DataFrame({"level": [0.8, 0.8], "change": [np.nan, 0.0]})
    w = normalised(DEFAULT_WEIGHTS)
    got = scores(frame, w)
    assert got[0] == pytest.approx(0.8)  # only level counts, with its own weight
    expected = (w["level"] * 0.8 + w["change"] * 0.0) / (w["level"] + w["change"])
    assert got[1] == pytest.approx(expected)


def test_scores_equal_a_hand_computed_weighted_mean():
    frame = entries(1)
    w = normalised(DEFAULT_WEIGHTS)
    manual = sum(w[c] * frame.loc[0, c] for c in COMPONENTS)
    assert scores(frame, w)[0] == pytest.approx(manual)


def test_rank_orders_by_score_and_lists_missing():
    frame = entries()
    frame.loc[3, "hotspot"] = np.nan
    result = rank(frame, seed=1, draws=0)
    assert list(result.table["rank"]) == list(range(1, 31))
    assert result.table["score"].is_monotonic_decreasing
    row = result.table[result.table["area"] == "BU00000003"].iloc[0]
    assert row["missing"] == ("hotspot",)


def test_top10_probability_without_uncertainty_is_zero_or_one():
    result = rank(entries(), draws=0)
    assert set(result.table["top10_probability"]) == {0.0, 1.0}
    assert result.table["top10_probability"].sum() == 10


def test_top10_probability_reflects_uncertainty():
    frame = entries()
    se = pd.DataFrame(0.3, index=frame.index, columns=list(COMPONENTS))
    result = rank(frame, uncertainty=se, seed=7, draws=300)
    p = result.table["top10_probability"].to_numpy()
    assert p.sum() == pytest.approx(10, abs=1e-9)  # exactly ten places in every draw
    assert 0 < p[-1] < p[0] < 1


def test_sensitivity_of_each_weight_is_reported():
    result = rank(entries(), draws=0)
    assert set(result.sensitivity) == set(COMPONENTS)
    assert all(shift >= 0 for shift in result.sensitivity.values())
    assert "genormaliseerd" in result.normalisation


def test_views_by_theme_and_area():
    result = rank(entries(), draws=0)
    assert set(theme_view(result)["theme"]) == {"woninginbraak", "geweld"}
    assert area_view(result)["area"].is_unique


@pytest.mark.parametrize(("lower", "expected"), [(1.0, 0.0), (1.41421356, 0.25), (4.0, 1.0)])
def test_level_component(lower, expected):
    assert level_component(lower) == pytest.approx(expected, abs=1e-6)
    assert math.isnan(level_component(float("nan")))


def test_reason_says_what_is_missing():
    text = reason_sentence("Geweld", "Oude Markt", 1.84, 1.2, None, missing=("perception",))
    assert text == ("Geweld in Oude Markt: 1,8× het gemiddelde van de rest van de gemeente "
                    "(ondergrens 1,2×), zonder gegevens over beleving (herwogen).")  # fmt: skip
