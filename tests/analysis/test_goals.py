"""Goal status rules: one test per status, on hand-made series (analysis.goals)."""

from __future__ import annotations

from veiligheidskaart.analysis.goals import (
    Frequency,
    GoalSpec,
    GoalStatus,
    Point,
    judge_goal,
    path_value,
)

# woninginbraak-like: baseline 200 (2021), target 160 by 2025; the path is 190 in 2022,
# 180 in 2023, 170 in 2024.
COUNT_GOAL = GoalSpec(baseline=200.0, baseline_year=2021, target=160.0, deadline=2025)
# survey: ≤ 15% by 2025 from 18% in 2021, odd years only; a higher share is worse.
SURVEY_GOAL = GoalSpec(18.0, 2021, 15.0, 2026, frequency=Frequency.BIENNIAL_ODD)


def test_behaald_when_the_whole_interval_is_on_the_good_side():
    result = judge_goal(COUNT_GOAL, [Point(2023, 140.0, 118.0, 158.0)], evaluation_year=2024)
    assert result.status == GoalStatus.BEHAALD
    assert result.label == "behaald"


def test_behaald_binnen_de_marge_when_the_target_is_inside_the_interval():
    # 16.0% with margins 14.9-17.1: the data cannot tell 16.0 from the target 15
    result = judge_goal(SURVEY_GOAL, [Point(2023, 16.0, 14.9, 17.1)], evaluation_year=2024)
    assert result.status == GoalStatus.BEHAALD_MARGE
    assert result.label == "behaald binnen de marge van toeval"


def test_op_koers_when_the_interval_reaches_the_straight_path():
    # path at 2023 is 180; 186 with interval 171-201 reaches it
    assert path_value(COUNT_GOAL, 2023) == 180.0
    result = judge_goal(COUNT_GOAL, [Point(2023, 186.0, 171.0, 201.0)], evaluation_year=2024)
    assert result.status == GoalStatus.OP_KOERS
    assert result.path_value == 180.0


def test_risico_when_better_than_baseline_but_behind_the_path():
    # 194 is better than 200, but its interval 185-203 stays above the path (180)
    result = judge_goal(COUNT_GOAL, [Point(2023, 194.0, 185.0, 203.0)], evaluation_year=2024)
    assert result.status == GoalStatus.RISICO


def test_niet_op_koers_when_not_better_than_the_baseline():
    result = judge_goal(COUNT_GOAL, [Point(2023, 230.0, 201.0, 262.0)], evaluation_year=2024)
    assert result.status == GoalStatus.NIET_OP_KOERS
    assert "nulmeting" in result.reason


def test_niet_op_koers_when_the_deadline_passed_without_reaching_the_target():
    late = [Point(2024, 175.0, 150.0, 203.0), Point(2025, 185.0, 171.0, 199.0)]
    result = judge_goal(COUNT_GOAL, late, evaluation_year=2026)
    assert result.status == GoalStatus.NIET_OP_KOERS
    assert "termijn" in result.reason


def test_onvoldoende_gegevens_without_points_stale_points_or_none_after_the_baseline():
    assert judge_goal(COUNT_GOAL, [], 2024).status == GoalStatus.ONVOLDOENDE
    stale = judge_goal(COUNT_GOAL, [Point(2021, 170.0, 150.0, 190.0)], evaluation_year=2024)
    assert stale.status == GoalStatus.ONVOLDOENDE  # yearly data: at most 2 years old
    only_baseline = judge_goal(COUNT_GOAL, [Point(2021, 200.0, 173.0, 230.0)], 2022)
    assert only_baseline.status == GoalStatus.ONVOLDOENDE


def test_a_survey_is_judged_on_its_own_years():
    # deadline 2026 is judged on the 2025 edition; a 2023 point is still fresh in 2026
    assert SURVEY_GOAL.judged_deadline == 2025
    # the path is at 16.5 in 2023; 17.0 (16.7-17.3) is better than 18 but behind it
    assert path_value(SURVEY_GOAL, 2023) == 16.5
    fresh = judge_goal(SURVEY_GOAL, [Point(2023, 17.0, 16.7, 17.3)], evaluation_year=2026)
    assert fresh.status == GoalStatus.RISICO
    stale = judge_goal(SURVEY_GOAL, [Point(2021, 17.0, 16.7, 17.3)], evaluation_year=2025)
    assert stale.status == GoalStatus.ONVOLDOENDE  # 4 years: more than one edition missed


def test_higher_is_better_turns_the_sides():
    grade = GoalSpec(6.8, 2021, 7.2, 2025, lower_is_better=False)
    assert judge_goal(grade, [Point(2023, 7.5, 7.3, 7.7)], 2024).status == GoalStatus.BEHAALD
    assert judge_goal(grade, [Point(2023, 6.6, 6.5, 6.7)], 2024).status == GoalStatus.NIET_OP_KOERS
