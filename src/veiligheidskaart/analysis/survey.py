"""Survey figures (Veiligheidsmonitor, wijkpanel): standard errors from margins and z-tests.

The standard error comes from the published 95% margins: (upper − lower) / 3.92. Two
estimates are compared with a two-sided z-test on their difference, assuming independent
samples (compare a wijk with the rest of the gemeente, not with a gemeente that contains it).
Overlapping intervals are not a test: two 95% intervals can overlap while the difference is
significant. Panel cells with fewer than 50 respondents are suppressed, and no comparison
crosses a declared series break (the 2021 Veiligheidsmonitor questionnaire).

>>> a = SurveyEstimate(value=20.0, lower=18.0, upper=22.0, year=2019)
>>> b = SurveyEstimate(value=23.0, lower=21.0, upper=25.0, year=2019)
>>> c = compare_estimates(b, a)
>>> round(c.z, 3), round(c.p, 4), c.conclusion
(2.079, 0.0376, 'significant hoger')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy import stats

MARGIN_DIVISOR = 3.92  # 2 × 1.96: a 95% interval is four standard errors wide (rounded)
PANEL_MIN_N = 50
VM_BREAK_YEARS: tuple[int, ...] = (2021,)  # new Veiligheidsmonitor questionnaire

HIGHER = "significant hoger"
LOWER = "significant lager"
NOISE = "binnen de marge van toeval"
TOO_FEW = "niet te toetsen (minder dan {n} respondenten)"
NOT_COMPARABLE = "niet vergelijkbaar (nieuwe vragenlijst {year})"


@dataclass(frozen=True)
class SurveyEstimate:
    """A published estimate with its 95% interval; ``n`` respondents if known."""

    value: float
    lower: float
    upper: float
    year: int
    n: int | None = None

    @property
    def se(self) -> float:
        """Standard error from the 95% margins."""
        return standard_error(self.lower, self.upper)


@dataclass(frozen=True)
class SurveyComparison:
    """``current`` against ``reference``; numbers are None when no test was done."""

    comparable: bool
    difference: float | None  # current − reference
    se: float | None
    z: float | None
    p: float | None  # two-sided
    significant: bool
    conclusion: str
    sentence: str


@dataclass(frozen=True)
class PanelCell:
    """A panel figure for publication: ``value`` is None when suppressed, with a reason."""

    value: float | None
    n: int
    reason: str | None


def standard_error(lower: float, upper: float) -> float:
    """Standard error from a 95% interval: (upper − lower) / 3.92.

    Examples
    --------
    >>> round(standard_error(18.0, 22.0), 4)
    1.0204
    """
    if not (math.isfinite(lower) and math.isfinite(upper)) or upper < lower:
        raise ValueError(f"invalid interval [{lower}, {upper}]")
    return (upper - lower) / MARGIN_DIVISOR


def crossed_break(year_a: int, year_b: int, break_years: Sequence[int]) -> int | None:
    """The first break year B with min(years) < B ≤ max(years), or None.

    A break in B means figures from B on are not comparable with figures before B.

    Examples
    --------
    >>> crossed_break(2019, 2023, (2021,)), crossed_break(2021, 2023, (2021,))
    (2021, None)
    """
    low, high = sorted((year_a, year_b))
    crossed = [b for b in sorted(break_years) if low < b <= high]
    return crossed[0] if crossed else None


def compare_estimates(
    current: SurveyEstimate,
    reference: SurveyEstimate,
    *,
    alpha: float = 0.05,
    break_years: Sequence[int] = VM_BREAK_YEARS,
    min_n: int = PANEL_MIN_N,
) -> SurveyComparison:
    """Two-sided z-test for the difference of two independent survey estimates.

    Parameters
    ----------
    current, reference : SurveyEstimate
        The estimate of interest and the one it is compared with.
    alpha : float
        Significance level.
    break_years : sequence of int
        Declared series breaks; no test crosses one.
    min_n : int
        Estimates with a known ``n`` below this are not tested.

    Returns
    -------
    SurveyComparison

    Examples
    --------
    >>> old = SurveyEstimate(30.0, 28.0, 32.0, year=2019)
    >>> new = SurveyEstimate(34.0, 32.0, 36.0, year=2023)
    >>> c = compare_estimates(new, old)
    >>> c.comparable, c.z, c.conclusion
    (False, None, 'niet vergelijkbaar (nieuwe vragenlijst 2021)')
    >>> compare_estimates(new, SurveyEstimate(33.0, 31.0, 35.0, year=2021)).sentence
    'Verschil +1,0 (z = 0,69; p = 0,49): binnen de marge van toeval.'
    """
    year = crossed_break(current.year, reference.year, break_years)
    if year is not None:
        return _untested(NOT_COMPARABLE.format(year=year))
    if any(e.n is not None and e.n < min_n for e in (current, reference)):
        return _untested(TOO_FEW.format(n=min_n))
    diff = current.value - reference.value
    se = math.hypot(current.se, reference.se)
    z = diff / se if se > 0 else (0.0 if diff == 0 else math.copysign(math.inf, diff))
    p = float(2 * stats.norm.sf(abs(z)))
    significant = p < alpha
    conclusion = (HIGHER if diff > 0 else LOWER) if significant else NOISE
    sentence = f"Verschil {_nl(diff, 1, sign=True)} (z = {_nl(z, 2)}; {_p_text(p)}): {conclusion}."
    return SurveyComparison(True, diff, se, z, p, significant, conclusion, sentence)


def panel_cell(value: float | None, n: int, *, min_n: int = PANEL_MIN_N) -> PanelCell:
    """A panel figure, suppressed when fewer than ``min_n`` respondents answered.

    Examples
    --------
    >>> panel_cell(62.5, 49)
    PanelCell(value=None, n=49, reason='minder dan 50 respondenten')
    >>> panel_cell(62.5, 50).value
    62.5
    """
    if n < min_n:
        return PanelCell(None, n, f"minder dan {min_n} respondenten")
    if value is None or not math.isfinite(value):
        return PanelCell(None, n, "geen gegevens")
    return PanelCell(float(value), n, None)


def _untested(conclusion: str) -> SurveyComparison:
    sentence = conclusion[0].upper() + conclusion[1:] + "."
    return SurveyComparison(False, None, None, None, None, False, conclusion, sentence)


def _nl(x: float, digits: int, *, sign: bool = False) -> str:
    """Dutch decimal comma: 2.079 → '2,08'."""
    if math.isinf(x):
        return "oneindig" if x > 0 else "min oneindig"
    text = f"{x:+.{digits}f}" if sign else f"{x:.{digits}f}"
    return text.replace(".", ",")


def _p_text(p: float) -> str:
    if p < 0.001:
        return "p < 0,001"
    return "p = " + f"{p:.2g}".replace(".", ",")  # two significant digits
