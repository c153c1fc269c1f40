"""The priority ranking of theme × area: a weighted score that explains itself.

Each entry (one theme in one area) has up to six components, each scaled to 0–1:

- ``level``: the lower bound of the smoothed rate ratio against the rest of the gemeente,
  pooled over 2–3 years; ``log2(lower bound)`` clipped to [0, 2] and halved, so a lower bound
  of 1 (or less) scores 0 and 4× or more scores 1;
- ``change``: 1 for a significant rise (q < alpha), 0 otherwise (a fall is not a priority);
- ``hotspot``: 1 when the area is part of a Gi* hotspot for the theme;
- ``perception``: the area's share feeling unsafe against the gemeente, once per area;
- ``meldingen``: meldingen against the area's own baseline;
- ``seriousness``: the theme's weight divided by the largest weight in the catalogue.

Missing components are left out and the remaining weights re-normalised (never filled
with 0); they are listed per entry. Activiteit indicators (police activity) do not score
``level`` or ``change`` as worse. The score is ``sum(w_i * c_i) / sum(w_i)`` over the
available components, with the weights normalised to sum to 1.

>>> import pandas as pd
>>> frame = pd.DataFrame({
...     "area": ["A", "B"], "theme": ["inbraak", "inbraak"],
...     "level": [1.0, 0.0], "change": [1.0, float("nan")], "seriousness": [0.5, 0.5]})
>>> result = rank(frame, seed=1, draws=50)
>>> list(result.table["area"]), list(result.table["rank"])
(['A', 'B'], [1, 2])
>>> result.table.loc[1, "missing"]
('change', 'hotspot', 'perception', 'meldingen')
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

COMPONENTS = ("level", "change", "hotspot", "perception", "meldingen", "seriousness")
DEFAULT_WEIGHTS: dict[str, float] = {
    "level": 0.30,
    "change": 0.20,
    "hotspot": 0.15,
    "perception": 0.10,
    "meldingen": 0.10,
    "seriousness": 0.15,
}
TOP_N = 10
SENSITIVITY = 0.20


@dataclass(frozen=True)
class RankingResult:
    """``table``: one row per entry, ordered by rank, with score, rank, top-10 probability,
    missing components and the largest rank shift under ±20% weight changes."""

    table: pd.DataFrame
    weights: dict[str, float]
    draws: int
    seed: int
    normalisation: str = (
        "gewichten genormaliseerd tot som 1; ontbrekende componenten tellen niet mee"
    )
    sensitivity: dict[str, int] = field(default_factory=dict)


def level_component(lower_ratio: float) -> float:
    """``log2`` of the lower bound of the rate ratio, scaled: 1× → 0, 2× → 0.5, ≥ 4× → 1.

    >>> level_component(1.0), level_component(2.0), level_component(8.0), level_component(0.5)
    (0.0, 0.5, 1.0, 0.0)
    """
    if lower_ratio is None or not math.isfinite(lower_ratio) or lower_ratio <= 0:
        return float("nan")
    return float(min(max(math.log2(lower_ratio), 0.0), 2.0) / 2.0)


def normalised(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights[c] for c in COMPONENTS)
    if total <= 0:
        raise ValueError("de gewichten tellen op tot 0")
    return {c: weights[c] / total for c in COMPONENTS}


def scores(components: pd.DataFrame, weights: dict[str, float]) -> np.ndarray:
    """Weighted mean over the available components of every row."""
    values = components.reindex(columns=list(COMPONENTS)).to_numpy(dtype=float)
    w = np.array([weights[c] for c in COMPONENTS])
    present = np.isfinite(values)
    weighted = np.where(present, values, 0.0) @ w
    total = present.astype(float) @ w
    return np.where(total > 0, weighted / np.where(total > 0, total, 1.0), np.nan)


def rank(
    frame: pd.DataFrame,
    weights: dict[str, float] | None = None,
    uncertainty: pd.DataFrame | None = None,
    seed: int = 20250315,
    draws: int = 1000,
) -> RankingResult:
    """Rank entries; ``uncertainty`` holds per-component standard errors (same index).

    The top-10 probability comes from ``draws`` resamples of the components with their
    standard errors (normal, clipped to 0–1), re-scored and re-ranked.
    """
    w = normalised(weights or DEFAULT_WEIGHTS)
    components = frame.reindex(columns=list(COMPONENTS)).astype(float)
    score = scores(components, w)
    order = _ranks(score)
    table = frame.copy()
    table["score"] = score
    table["rank"] = order
    table["missing"] = [
        tuple(c for c in COMPONENTS if not np.isfinite(row[c])) for _, row in components.iterrows()
    ]
    table["top10_probability"] = _top_probability(components, uncertainty, w, seed, draws)
    shifts = _sensitivity(components, w, order)
    table["max_rank_shift"] = shifts.max(axis=1) if len(shifts.columns) else 0
    table = table.sort_values(["rank"], kind="stable").reset_index(drop=True)
    return RankingResult(table, w, draws, seed,
                         sensitivity={c: int(shifts[c].max()) for c in shifts.columns})  # fmt: skip


def _ranks(score: np.ndarray) -> np.ndarray:
    """Rank 1 is the highest score; missing scores rank last; ties keep input order."""
    key = np.where(np.isfinite(score), -score, np.inf)
    order = np.argsort(key, kind="stable")
    ranks = np.empty(len(score), dtype=int)
    ranks[order] = np.arange(1, len(score) + 1)
    return ranks


def _top_probability(components: pd.DataFrame, uncertainty: pd.DataFrame | None,
                     weights: dict[str, float], seed: int, draws: int) -> np.ndarray:  # fmt: skip
    n = len(components)
    if n == 0:
        return np.zeros(0)
    if uncertainty is None or draws <= 0:
        return (_ranks(scores(components, weights)) <= TOP_N).astype(float)
    rng = np.random.default_rng(seed)
    se = uncertainty.reindex(index=components.index, columns=list(COMPONENTS)).fillna(0.0)
    base, spread = components.to_numpy(float), se.to_numpy(float)
    hits = np.zeros(n)
    for _ in range(draws):
        sample = np.clip(base + rng.normal(size=base.shape) * spread, 0.0, 1.0)
        sample = np.where(np.isfinite(base), sample, np.nan)
        hits += _ranks(scores(pd.DataFrame(sample, columns=list(COMPONENTS)), weights)) <= TOP_N
    return hits / draws


def _sensitivity(components: pd.DataFrame, weights: dict[str, float], base: np.ndarray
                 ) -> pd.DataFrame:  # fmt: skip
    """Largest rank shift per entry when one weight moves ±20% (then renormalised)."""
    shifts = {}
    for name in COMPONENTS:
        worst = np.zeros(len(base), dtype=int)
        for factor in (1 - SENSITIVITY, 1 + SENSITIVITY):
            moved = normalised(weights | {name: weights[name] * factor})
            worst = np.maximum(worst, np.abs(_ranks(scores(components, moved)) - base))
        shifts[name] = worst
    return pd.DataFrame(shifts, index=components.index)


def theme_view(result: RankingResult) -> pd.DataFrame:
    """Per theme: the highest score over its areas and how many areas are in the top 10."""
    table = result.table
    return (table.groupby("theme").agg(score=("score", "max"),
                                       in_top10=("rank", lambda r: int((r <= TOP_N).sum())))
            .sort_values("score", ascending=False).reset_index())  # fmt: skip


def area_view(result: RankingResult) -> pd.DataFrame:
    """Per area: the highest score over its themes and the theme that gives it."""
    table = result.table.sort_values("score", ascending=False)
    best = table.groupby("area", sort=False).head(1)
    return best[["area", "theme", "score", "rank"]].reset_index(drop=True)


def dutch_number(value: float, digits: int = 1) -> str:
    """'2,3' for 2.3: pages and reasons use the Dutch decimal comma.

    >>> dutch_number(2.345, 2), dutch_number(1000.5, 1)
    ('2,35', '1.000,5')
    """
    text = f"{value:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def reason_sentence(
    theme: str,
    area: str,
    ratio: float | None = None,
    lower: float | None = None,
    change: str | None = None,
    hotspot: bool = False,
    missing: tuple[str, ...] = (),
) -> str:
    """One Dutch sentence with the facts behind an entry; ``change`` already says p or q.

    >>> text = reason_sentence("Woninginbraak", "Wijk Noord", 2.31, 1.62,
    ...                        "significant gestegen t.o.v. 2023 (q = 0,01)", hotspot=True)
    >>> print(text.replace(", ", ",\\n"))
    Woninginbraak in Wijk Noord: 2,3× het gemiddelde van de rest van de gemeente (ondergrens 1,6×),
    significant gestegen t.o.v. 2023 (q = 0,01),
    onderdeel van een hotspot.
    """
    parts = []
    if ratio is not None and math.isfinite(ratio):
        bound = (
            f" (ondergrens {dutch_number(lower)}×)"
            if lower is not None and math.isfinite(lower)
            else ""
        )
        parts.append(f"{dutch_number(ratio)}× het gemiddelde van de rest van de gemeente{bound}")
    if change:
        parts.append(change)
    if hotspot:
        parts.append("onderdeel van een hotspot")
    labels = {"level": "niveau", "change": "verandering", "hotspot": "hotspot",
              "perception": "beleving", "meldingen": "meldingen"}  # fmt: skip
    absent = [labels[m] for m in missing if m in labels]
    if absent:
        parts.append(f"zonder gegevens over {', '.join(absent)} (herwogen)")
    body = ", ".join(parts) if parts else "geen opvallende cijfers"
    return f"{theme} in {area}: {body}."
