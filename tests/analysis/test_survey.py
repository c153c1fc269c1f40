"""Survey: standard errors from margins, z-tests against scipy, n < 50, the 2021 break."""

from __future__ import annotations

import math

import pytest
from scipy.stats import norm

from veiligheidskaart.analysis.survey import (
    PANEL_MIN_N,
    VM_BREAK_YEARS,
    SurveyEstimate,
    compare_estimates,
    crossed_break,
    panel_cell,
    standard_error,
)


def test_standard_error_from_margins() -> None:
    assert standard_error(40.2, 44.8) == pytest.approx(4.6 / 3.92, rel=1e-12)
    assert SurveyEstimate(42.5, 40.2, 44.8, 2023).se == pytest.approx(4.6 / 3.92)
    with pytest.raises(ValueError, match="interval"):
        standard_error(5.0, 4.0)


def test_known_answer_z_and_p() -> None:
    old = SurveyEstimate(31.4, 29.0, 33.8, year=2021)  # se 4.8 / 3.92
    new = SurveyEstimate(35.2, 32.6, 37.8, year=2023)  # se 5.2 / 3.92
    se = math.sqrt((4.8 / 3.92) ** 2 + (5.2 / 3.92) ** 2)
    z = (35.2 - 31.4) / se
    c = compare_estimates(new, old)
    assert c.comparable and c.difference == pytest.approx(3.8)
    assert c.se == pytest.approx(se, rel=1e-12) and c.z == pytest.approx(z, rel=1e-12)
    assert c.p == pytest.approx(2 * norm.sf(z), rel=1e-12)
    assert round(z, 3) == 2.105 and round(c.p, 4) == 0.0353
    assert c.significant and c.conclusion == "significant hoger"
    assert c.sentence == "Verschil +3,8 (z = 2,10; p = 0,035): significant hoger."


def test_overlapping_intervals_can_still_differ_significantly() -> None:
    a = SurveyEstimate(20.0, 18.0, 22.0, year=2019)
    b = SurveyEstimate(23.0, 21.0, 25.0, year=2019)
    assert a.upper > b.lower  # the intervals overlap
    c = compare_estimates(b, a)
    assert c.significant and c.p == pytest.approx(2 * norm.sf(3 / (math.sqrt(2) * 4 / 3.92)))


def test_lower_and_noise_wording() -> None:
    ref = SurveyEstimate(50.0, 48.0, 52.0, year=2023)
    lower = compare_estimates(SurveyEstimate(44.0, 42.0, 46.0, year=2023), ref)
    assert lower.conclusion == "significant lager" and lower.difference == -6.0
    assert lower.sentence.endswith("(z = -4,16; p < 0,001): significant lager.")
    noise = compare_estimates(SurveyEstimate(51.0, 49.0, 53.0, year=2023), ref)
    assert not noise.significant and noise.conclusion == "binnen de marge van toeval"


def test_no_comparison_across_the_2021_break() -> None:
    assert VM_BREAK_YEARS == (2021,)
    old = SurveyEstimate(30.0, 28.0, 32.0, year=2019)
    new = SurveyEstimate(40.0, 38.0, 42.0, year=2023)
    c = compare_estimates(new, old)
    assert not c.comparable and c.z is None and c.p is None and not c.significant
    assert c.conclusion == "niet vergelijkbaar (nieuwe vragenlijst 2021)"
    assert c.sentence == "Niet vergelijkbaar (nieuwe vragenlijst 2021)."
    assert compare_estimates(old, new).conclusion == c.conclusion  # either order
    assert compare_estimates(new, old, break_years=()).significant


def test_break_years_are_data() -> None:
    assert crossed_break(2016, 2019, (2018, 2021)) == 2018
    assert crossed_break(2017, 2018, (2018,)) == 2018
    assert crossed_break(2018, 2019, (2018,)) is None
    assert crossed_break(2023, 2023, (2021,)) is None


def test_small_samples_are_not_tested() -> None:
    a = SurveyEstimate(30.0, 20.0, 40.0, year=2023, n=49)
    b = SurveyEstimate(60.0, 50.0, 70.0, year=2023, n=400)
    c = compare_estimates(b, a)
    assert not c.comparable and c.conclusion == "niet te toetsen (minder dan 50 respondenten)"
    assert compare_estimates(b, SurveyEstimate(30.0, 20.0, 40.0, 2023, n=50)).significant


def test_zero_margins() -> None:
    a = SurveyEstimate(10.0, 10.0, 10.0, year=2023)
    assert compare_estimates(a, a).p == 1.0
    c = compare_estimates(SurveyEstimate(11.0, 11.0, 11.0, year=2023), a)
    assert c.p == 0.0 and c.conclusion == "significant hoger"


def test_panel_cells() -> None:
    assert PANEL_MIN_N == 50
    assert panel_cell(7.1, 49).value is None
    assert panel_cell(7.1, 49).reason == "minder dan 50 respondenten"
    assert panel_cell(7.1, 50) == panel_cell(7.1, 50, min_n=50)
    assert panel_cell(7.1, 50).reason is None
    assert panel_cell(None, 80).reason == "geen gegevens"
    assert panel_cell(float("nan"), 80).value is None
    assert panel_cell(7.1, 80, min_n=100).value is None
