"""Sub-indices and the composite: hand-computed values, the cap, re-weighting, the band."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from veiligheidskaart.analysis.composite import CAP, composite, sub_index


def test_sub_index_is_a_weighted_geometric_mean_against_the_base():
    rates = pd.DataFrame({"a": [1.5], "b": [0.5]}, index=["W1"])
    counts = pd.DataFrame({"a": [150], "b": [50]}, index=["W1"])
    result = sub_index(rates, counts, {"a": 1.0, "b": 1.0}, {"a": 3, "b": 1})
    expected = 100 * math.exp((3 * math.log(1.5) + math.log(0.5)) / 4)
    assert result.index_value[0] == pytest.approx(expected)
    se = math.sqrt(9 / 150 + 1 / 50) / 4
    assert result.lower[0] == pytest.approx(expected * math.exp(-1.959963984540054 * se))


def test_index_is_capped_at_200_but_keeps_the_uncapped_value():
    rates = pd.DataFrame({"a": [10.0]}, index=["W1"])
    result = sub_index(rates, pd.DataFrame({"a": [1000]}, index=["W1"]), {"a": 1.0}, {"a": 1})
    assert result.index_value[0] == CAP and result.uncapped[0] == pytest.approx(1000)


def test_missing_inputs_are_reweighted_and_listed():
    rates = pd.DataFrame({"a": [2.0], "b": [np.nan]}, index=["W1"])
    counts = pd.DataFrame({"a": [100], "b": [0]}, index=["W1"])
    result = sub_index(rates, counts, {"a": 1.0, "b": 1.0}, {"a": 1, "b": 1})
    assert result.index_value[0] == pytest.approx(200.0)
    assert result.missing == (("b",),)
    assert "100 = gemeentelijk niveau" in result.label


def test_composite_combines_sub_indices_with_their_weights():
    counts = pd.DataFrame({"a": [500]}, index=["W1"])
    one = sub_index(pd.DataFrame({"a": [1.21]}, index=["W1"]), counts, {"a": 1.0}, {"a": 1})
    two = sub_index(pd.DataFrame({"a": [1.0]}, index=["W1"]), counts, {"a": 1.0}, {"a": 1})
    result = composite({"objectief": one, "subjectief": two}, {"objectief": 1, "subjectief": 1})
    assert result.index_value[0] == pytest.approx(110.0)
    assert result.lower[0] < 110.0 < result.upper[0]
