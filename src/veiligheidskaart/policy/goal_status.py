"""Goal statuses computed from the data (rules in ``analysis.goals``).

The adopted baseline is shown as the council adopted it. The status uses the baseline
recomputed like for like from the current release: the same years from the current
(re-based, revised) police table, or, for the Veiligheidsmonitor, the first edition after an
open-ended series break (the 2021 questionnaire) when the adopted baseline lies before it.
A relative target ("−20%") applies to that recomputed baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean

from veiligheidskaart.analysis.benchmark import PeerRank
from veiligheidskaart.analysis.goals import Frequency, GoalResult, GoalSpec, Point, judge_goal
from veiligheidskaart.policy import measures
from veiligheidskaart.policy.models import Goal, GoalKind


@dataclass(frozen=True)
class GoalStatusRow:
    """One goal with its computed status, the series behind it and the reason."""

    goal: Goal
    result: GoalResult
    series: list[Point]
    baseline: float | None  # recomputed like for like; None when the data lack it
    baseline_years: tuple[int, int] | None
    baseline_note: str  # Dutch: how the baseline was recomputed
    target: float | None
    ranks: dict[int, PeerRank]  # rank goals only: the rank history

    @property
    def status(self) -> str:
        return self.result.status


def goal_status(goal: Goal, evaluation_year: int) -> GoalStatusRow:
    """Compute one goal's status as of ``evaluation_year``."""
    ranks: dict[int, PeerRank] = {}
    if goal.kind == GoalKind.RANK and goal.peer_group is not None:
        group = goal.peer_group
        ranks = measures.rank_history(goal.gemeente_code, list(group.peer_codes),
                                      group.source_code)  # fmt: skip
        series = measures.rank_points(ranks)
    elif goal.kind == GoalKind.SURVEY and goal.indicator is not None:
        series = measures.survey_points(goal.indicator, goal.area)
    elif goal.indicator is not None:
        series = measures.count_points(measures.yearly_counts(goal.indicator, goal.area))
    else:
        series = []
    baseline, years, note = _baseline(goal, series)
    target = _target(goal, baseline)
    if baseline is None or target is None or years is None:
        result = judge_goal(GoalSpec(0.0, 0, 0.0, goal.deadline_year), [], evaluation_year)
        result = GoalResult(result.status, result.label, note, None, None)
        return GoalStatusRow(goal, result, series, baseline, years, note, target, ranks)
    spec = GoalSpec(baseline, years[1], target, goal.deadline_year, goal.lower_is_better,
                    Frequency(goal.frequency))  # fmt: skip
    after = [p for p in series if p.year <= evaluation_year]
    result = judge_goal(spec, after, evaluation_year)
    return GoalStatusRow(goal, result, series, baseline, years, note, target, ranks)


def _baseline(goal: Goal, series: list[Point]
              ) -> tuple[float | None, tuple[int, int] | None, str]:  # fmt: skip
    start, end = goal.baseline_start_year, goal.baseline_end_year
    source = goal.indicator.source if goal.indicator else ""
    last = max((p.year for p in series), default=end)
    moved = measures.open_break_year(source, start, last) if source else None
    note = ""
    if moved is not None and moved > end:
        note = (f"De vastgestelde nulmeting ligt vóór de reeksbreuk van {moved}; "
                f"de herberekende nulmeting is de eerste meting daarna ({moved}).")  # fmt: skip
        start = end = moved
    values = [p.value for p in series if start <= p.year <= end]
    expected = end - start + 1 if goal.frequency == Frequency.YEARLY else None
    if not values or (expected is not None and len(values) < expected):
        return None, None, f"De gegevens voor de nulmeting {start}-{end} zijn niet (alle) geladen."
    if not note:
        span = f"{start}" if start == end else f"het gemiddelde van {start}-{end}"
        note = f"Herberekend uit de huidige gegevens: {span}."
    return fmean(values), (start, end), note


def _target(goal: Goal, baseline: float | None) -> float | None:
    if goal.target_value is not None:
        return goal.target_value
    if baseline is None or goal.target_change is None:
        return None
    return baseline * (1 + goal.target_change)


def goal_statuses(gemeente_code: str, evaluation_year: int) -> list[GoalStatusRow]:
    """Every goal of the gemeente with its status as of ``evaluation_year``."""
    goals = Goal.objects.filter(gemeente_code=gemeente_code).select_related(
        "indicator", "area", "peer_group"
    )
    return [goal_status(g, evaluation_year) for g in goals]
