"""Goal status from data: the stated rules, one per status, per data frequency.

A goal has a baseline (value and last baseline year), a target value with a deadline year
and a direction. The series holds measured points with their 95% interval (exact Poisson
for counts, the published margins for a survey, a resampling interval for a rank). The
rules, applied in this order to the latest point (year ``t``, value ``v``, interval
``[lo, hi]``):

1. **onvoldoende gegevens**: no point, or the latest point is older than the frequency
   allows (``stale_after`` years before the evaluation year: 2 for yearly data, 3 for a
   survey held every other year).
2. **behaald**: the whole interval is on the good side of the target (for "lager is beter":
   ``hi <= target``).
3. **behaald binnen de marge van toeval**: the target lies inside the interval
   (``lo <= target <= hi``): the data cannot tell the value from the target.
4. **niet op koers**: the deadline has passed (``t >= deadline``), or ``v`` is not better
   than the baseline.
5. **onvoldoende gegevens**: no point after the baseline yet (``t <= baseline year``), so
   there is no progress to judge.
6. **op koers**: the interval reaches the straight path from the baseline (at the baseline
   year) to the target (at the deadline), evaluated at ``t``.
7. **risico**: better than the baseline, but behind the path.

A survey held every other year (the Veiligheidsmonitor: odd years) is judged on its own
years: the deadline is moved back to the last survey year on or before it, so a goal for
2026 is judged on the 2025 edition.

>>> spec = GoalSpec(baseline=100.0, baseline_year=2021, target=80.0, deadline=2025)
>>> judge_goal(spec, [Point(2023, 88.0, 82.0, 94.0)], evaluation_year=2024).status
'op_koers'
>>> judge_goal(spec, [Point(2023, 95.0, 92.0, 98.0)], evaluation_year=2024).status
'risico'
>>> judge_goal(spec, [], evaluation_year=2024).label
'onvoldoende gegevens'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Frequency(StrEnum):
    YEARLY = "jaarlijks"
    BIENNIAL_ODD = "tweejaarlijks_oneven"  # the Veiligheidsmonitor: odd years only


class GoalStatus(StrEnum):
    BEHAALD = "behaald"
    BEHAALD_MARGE = "behaald_marge"
    OP_KOERS = "op_koers"
    RISICO = "risico"
    NIET_OP_KOERS = "niet_op_koers"
    ONVOLDOENDE = "onvoldoende_gegevens"


STATUS_LABELS: dict[str, str] = {
    GoalStatus.BEHAALD: "behaald",
    GoalStatus.BEHAALD_MARGE: "behaald binnen de marge van toeval",
    GoalStatus.OP_KOERS: "op koers",
    GoalStatus.RISICO: "risico",
    GoalStatus.NIET_OP_KOERS: "niet op koers",
    GoalStatus.ONVOLDOENDE: "onvoldoende gegevens",
}
STALE_AFTER: dict[Frequency, int] = {Frequency.YEARLY: 2, Frequency.BIENNIAL_ODD: 3}


@dataclass(frozen=True)
class GoalSpec:
    """What the council adopted, with the baseline recomputed like for like."""

    baseline: float
    baseline_year: int  # last year of the baseline period
    target: float
    deadline: int  # year by which the target is to be reached
    lower_is_better: bool = True
    frequency: Frequency = Frequency.YEARLY

    @property
    def judged_deadline(self) -> int:
        """The deadline on the data's own years (odd years for the Veiligheidsmonitor)."""
        if self.frequency is Frequency.BIENNIAL_ODD and self.deadline % 2 == 0:
            return self.deadline - 1
        return self.deadline


@dataclass(frozen=True)
class Point:
    """One measured value with its 95% interval."""

    year: int
    value: float
    lower: float
    upper: float


@dataclass(frozen=True)
class GoalResult:
    status: str  # a GoalStatus value
    label: str  # Dutch
    reason: str  # one Dutch sentence: which rule decided
    latest: Point | None
    path_value: float | None  # where the straight path to the target is at the latest year


def path_value(spec: GoalSpec, year: int) -> float:
    """The straight path from the baseline to the target, at ``year``.

    >>> path_value(GoalSpec(100.0, 2021, 80.0, 2025), 2023)
    90.0
    """
    span = spec.judged_deadline - spec.baseline_year
    if span <= 0:
        return spec.target
    share = min(max((year - spec.baseline_year) / span, 0.0), 1.0)
    return spec.baseline + (spec.target - spec.baseline) * share


def judge_goal(spec: GoalSpec, series: Sequence[Point], evaluation_year: int) -> GoalResult:
    """The goal's status by the rules in the module docstring."""
    points = sorted(series, key=lambda p: p.year)
    if not points:
        return _result(GoalStatus.ONVOLDOENDE, "Er zijn nog geen meetpunten.", None, None)
    latest = points[-1]
    stale = STALE_AFTER[spec.frequency]
    if evaluation_year - latest.year > stale:
        reason = f"Het laatste meetpunt ({latest.year}) is ouder dan {stale} jaar."
        return _result(GoalStatus.ONVOLDOENDE, reason, latest, None)
    sign = 1.0 if spec.lower_is_better else -1.0
    worst = latest.upper if spec.lower_is_better else latest.lower
    if sign * (worst - spec.target) <= 0:
        reason = f"Het hele 95%-interval van {latest.year} ligt aan de goede kant van het doel."
        return _result(GoalStatus.BEHAALD, reason, latest, None)
    if latest.lower <= spec.target <= latest.upper:
        reason = f"De doelwaarde ligt binnen het 95%-interval van {latest.year}."
        return _result(GoalStatus.BEHAALD_MARGE, reason, latest, None)
    if latest.year >= spec.judged_deadline:
        reason = f"De termijn ({spec.judged_deadline}) is verstreken; het doel is niet gehaald."
        return _result(GoalStatus.NIET_OP_KOERS, reason, latest, None)
    if latest.year <= spec.baseline_year:
        reason = f"Er is nog geen meetpunt na het basisjaar {spec.baseline_year}."
        return _result(GoalStatus.ONVOLDOENDE, reason, latest, None)
    if sign * (latest.value - spec.baseline) >= 0:
        reason = f"De waarde van {latest.year} is niet beter dan de nulmeting."
        return _result(GoalStatus.NIET_OP_KOERS, reason, latest, None)
    on_path = path_value(spec, latest.year)
    best = latest.lower if spec.lower_is_better else latest.upper
    if sign * (best - on_path) <= 0:
        reason = f"Het 95%-interval van {latest.year} haalt het rechte pad naar de doelwaarde."
        return _result(GoalStatus.OP_KOERS, reason, latest, on_path)
    reason = f"Beter dan de nulmeting, maar in {latest.year} achter op het rechte pad."
    return _result(GoalStatus.RISICO, reason, latest, on_path)


def _result(status: GoalStatus, reason: str, latest: Point | None, on_path: float | None
            ) -> GoalResult:  # fmt: skip
    return GoalResult(status.value, STATUS_LABELS[status], reason, latest, on_path)


def survey_years(years: Sequence[int], frequency: Frequency) -> list[int]:
    """The years a goal of this frequency is measured in (odd years for the monitor).

    >>> survey_years([2019, 2020, 2021, 2022, 2023], Frequency.BIENNIAL_ODD)
    [2019, 2021, 2023]
    """
    if frequency is Frequency.BIENNIAL_ODD:
        return [y for y in years if y % 2 == 1]
    return list(years)
