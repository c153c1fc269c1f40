"""Priority entries (theme × buurt) from judged indicators, stored with their reasons.

Components (see ``analysis.priority``): level and change from the theme's first indicator
that is not an activiteit indicator; hotspot from Gi*; perception once per area from the wijk
panel; meldingen once per area against the area's own previous 12 months; seriousness from
the theme. Anything unknown is left missing, never 0.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from veiligheidskaart.analysis.change import exact_conditional_test
from veiligheidskaart.analysis.priority import level_component, rank, reason_sentence
from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Theme
from veiligheidskaart.observations.models import AnalysisRun, Event, Observation, PriorityEntry

if TYPE_CHECKING:
    from veiligheidskaart.observations.judge import Judged

PANEL_QUESTION = "onveilig_in_buurt"
MIN_PANEL_N = 50
SAFETY_PREFIX = "Overlast"  # Signalen main categories about nuisance; waste and roads stay out


def store_ranking(run: AnalysisRun, judged: list[Judged], buurten: list[Area], year: int,
                  seed: int) -> None:  # fmt: skip
    frame, facts = component_frame(judged, buurten, year)
    if frame.empty:
        return
    uncertainty = pd.DataFrame({"level": frame.pop("level_se")}, index=frame.index)
    _store(run, rank(frame, uncertainty=uncertainty, seed=seed, draws=200), facts, buurten, False)
    # the public ranking: perception (wijk panel) and meldingen are internal sources
    public = frame.assign(perception=np.nan, meldingen=np.nan)
    _store(run, rank(public, uncertainty=uncertainty, seed=seed, draws=200), facts, buurten, True)


def _store(run: AnalysisRun, result: Any, facts: dict[tuple[str, str], dict[str, Any]],
           buurten: list[Area], public: bool) -> None:  # fmt: skip
    areas = {a.code: a for a in buurten}
    themes = dict(Theme.objects.values_list("code", "name"))
    entries = []
    for row in result.table.itertuples(index=False):
        fact = facts[(row.area, row.theme)]
        text = reason_sentence(themes.get(row.theme, row.theme), areas[row.area].name,
                               fact["ratio"], fact["lower"], fact["change"], fact["hotspot"],
                               tuple(row.missing))  # fmt: skip
        entries.append(PriorityEntry(
            run=run, area=areas[row.area], theme_code=row.theme, public=public,
            rank=int(row.rank),
            score=None if not np.isfinite(row.score) else float(row.score),
            top10_probability=float(row.top10_probability),
            components={c: _num(getattr(row, c)) for c in
                        ("level", "change", "hotspot", "perception", "meldingen", "seriousness")},
            missing=list(row.missing), reasons=text,
        ))  # fmt: skip
    PriorityEntry.objects.bulk_create(entries, batch_size=2000)


def component_frame(judged: list[Judged], buurten: list[Area], year: int
                    ) -> tuple[pd.DataFrame, dict[tuple[str, str], dict[str, Any]]]:  # fmt: skip
    perception = _perception(buurten, year)
    meldingen = _meldingen(buurten, year)
    seriousness = dict(Theme.objects.values_list("code", "seriousness"))
    top = max(seriousness.values()) if seriousness else 1.0
    rows, facts = [], {}
    for item in _per_theme(judged):
        theme = item.indicator.theme.code
        activity = item.indicator.validity == "activiteit"
        changes = {r.cell: r for r in item.family.results}
        for i, area in enumerate(item.series.areas):
            lower, upper = item.levels.lower[i], item.levels.upper[i]
            change = changes.get(i)
            tested = change is not None and change.p is not None and not activity
            rises = tested and change is not None and change.direction == "rise"
            rows.append({
                "area": area.code, "theme": theme,
                "level": np.nan if activity else level_component(lower),
                "level_se": _level_se(lower, upper),
                "change": float(rises) if tested else np.nan,
                "hotspot": np.nan if activity or not item.hotspot[i]
                else float(item.hotspot[i] == "hotspot"),
                "perception": perception.get(area.pk, np.nan),
                "meldingen": meldingen.get(area.pk, np.nan),
                "seriousness": seriousness.get(theme, 1.0) / top,
            })  # fmt: skip
            facts[(area.code, theme)] = {
                "ratio": None if activity else _num(item.levels.smoothed_ratio[i]),
                "lower": None if activity else _num(lower),
                "change": change.sentence() if change is not None and not activity else None,
                "hotspot": item.hotspot[i] == "hotspot",
            }
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame, facts
    # an entry needs at least one theme-specific figure; area-only figures cannot rank a theme
    specific = frame[["level", "change", "hotspot"]].notna().any(axis=1)
    return frame[specific].reset_index(drop=True), facts


def _per_theme(judged: list[Judged]) -> list[Judged]:
    """One indicator per theme: the first that is not an activiteit indicator."""
    chosen: dict[str, Judged] = {}
    for item in judged:
        theme = item.indicator.theme.code
        current = chosen.get(theme)
        if current is None or (current.indicator.validity == "activiteit"
                               and item.indicator.validity != "activiteit"):  # fmt: skip
            chosen[theme] = item
    return list(chosen.values())


def _level_se(lower: float, upper: float) -> float:
    """The level component's standard error from the log2 interval of the ratio."""
    if not (np.isfinite(lower) and np.isfinite(upper)) or lower <= 0:
        return 0.0
    return float((np.log2(upper) - np.log2(lower)) / (2 * 1.96) / 2)


def _perception(buurten: list[Area], year: int) -> dict[int, float]:
    """Share feeling unsafe in the buurt's wijk against the gemeente average (panel, n ≥ 50)."""
    rows = pd.DataFrame(
        Observation.objects.filter(dataset__is_current=True, dataset__kind="panel",
                                   source_code=PANEL_QUESTION, period_start__year=year,
                                   sample_size__gte=MIN_PANEL_N,
                                   area_id__in={b.parent_id for b in buurten})
        .values_list("area_id", "value"), columns=["wijk", "value"],
    )  # fmt: skip
    if rows.empty:
        return {}
    by_wijk = rows.groupby("wijk")["value"].mean()
    mean = float(by_wijk.mean())
    score = ((by_wijk - mean) / mean).clip(0, 1)
    return {b.pk: float(score[b.parent_id]) for b in buurten if b.parent_id in score.index}


def _meldingen(buurten: list[Area], year: int) -> dict[int, float]:
    """1 when the year's nuisance meldingen rise significantly on the year before, else 0."""
    start, mid, end = (datetime(y, 1, 1, tzinfo=UTC) for y in (year - 1, year, year + 1))
    events = pd.DataFrame(
        Event.objects.filter(dataset__is_current=True, dataset__kind="meldingen",
                             category__startswith=SAFETY_PREFIX, area__in=buurten,
                             occurred_at__gte=start, occurred_at__lt=end)
        .values_list("area_id", "occurred_at"), columns=["area", "when"],
    )  # fmt: skip
    if events.empty:
        return {}
    current = events[events["when"] >= mid].groupby("area").size()
    before = events[events["when"] < mid].groupby("area").size()
    ids = [b.pk for b in buurten]
    a = before.reindex(ids, fill_value=0).to_numpy(float)
    b = current.reindex(ids, fill_value=0).to_numpy(float)
    test = exact_conditional_test(a, np.ones(len(ids)), b, np.ones(len(ids)))
    rises = (np.asarray(test.p) < 0.05) & (b > a)
    return {pk: float(r) for pk, r in zip(ids, rises, strict=True)}


def _num(value: Any) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)
