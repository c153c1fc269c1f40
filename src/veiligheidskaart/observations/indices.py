"""Wijk-level sub-indices and the composite, stored as AreaResult rows of a run.

Objective: the direct crime indicators (weights: theme seriousness), EB-smoothed across the
wijken. Subjective: the wijk panel's share feeling unsafe. Meldingen: nuisance meldingen per
1,000 inhabitants. Each against the gemeente in the base year (the first year with data), so
100 is the municipal level of that year. The composite weighs them 0.5 / 0.3 / 0.2.
"""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from veiligheidskaart.analysis.composite import IndexResult, composite, sub_index
from veiligheidskaart.analysis.smoothing import eb_smooth
from veiligheidskaart.areas.models import Area
from veiligheidskaart.observations.models import AnalysisRun, AreaResult, Event, Observation

if TYPE_CHECKING:
    from veiligheidskaart.observations.judge import Judged

WEIGHTS = {"objectief": 0.5, "subjectief": 0.3, "meldingen": 0.2}
PANEL_QUESTION = "onveilig_in_buurt"
MIN_PANEL_N = 50  # smaller panel cells are suppressed, never used


def store_indices(run: AnalysisRun, judged: list[Judged], year: int) -> None:
    direct = [j for j in judged if j.indicator.validity == "direct"]
    if not direct:
        return
    wijk_of = [a.parent_id for a in direct[0].series.areas]
    wijken = list(Area.objects.filter(pk__in={w for w in wijk_of if w}).order_by("code"))
    subs = {"objectief": _objective(direct, wijken, wijk_of, year)}
    subjective = _panel(wijken, year)
    if subjective is not None:
        subs["subjectief"] = subjective
    meldingen = _meldingen(direct[0], wijken, wijk_of, year)
    if meldingen is not None:
        subs["meldingen"] = meldingen
    rows = [_rows(run, wijken, f"index_{name}", result) for name, result in subs.items()]
    rows.append(_rows(run, wijken, "index_samengesteld", composite(subs, WEIGHTS)))
    AreaResult.objects.bulk_create([r for group in rows for r in group])


def _objective(direct: list[Judged], wijken: list[Area], wijk_of: list[int | None], year: int
               ) -> IndexResult:  # fmt: skip
    ids = [w.pk for w in wijken]
    rates, counts, base = {}, {}, {}
    for item in direct:
        starts = item.series.units.starts
        frame = pd.DataFrame(item.series.counts, columns=[s.year for s in starts])
        den = pd.DataFrame(item.series.denominators, columns=[s.year for s in starts])
        frame["wijk"] = den["wijk"] = wijk_of
        c = frame.groupby("wijk").sum(min_count=1).T.groupby(level=0).sum(min_count=1).T
        d = den.groupby("wijk").sum(min_count=1).T.groupby(level=0).mean().T
        first = min(c.columns)
        if year not in c.columns or c[first].sum() <= 0:
            continue
        code = item.indicator.code
        now, people = c[year].reindex(ids).to_numpy(float), d[year].reindex(ids).to_numpy(float)
        smooth = eb_smooth(now, people, per=1.0, min_denominator=1)
        rates[code], counts[code] = smooth.smoothed, now
        base[code] = float(c[first].sum() / d[first].sum())
    weights = {j.indicator.code: j.indicator.theme.seriousness for j in direct}
    index = [w.code for w in wijken]
    return sub_index(pd.DataFrame(rates, index=index), pd.DataFrame(counts, index=index), base,
                     weights)  # fmt: skip


def _panel(wijken: list[Area], year: int) -> IndexResult | None:
    rows = pd.DataFrame(
        Observation.objects.filter(dataset__is_current=True, dataset__kind="panel",
                                   source_code=PANEL_QUESTION, area__in=wijken,
                                   sample_size__gte=MIN_PANEL_N)
        .values_list("area__code", "period_start__year", "value", "sample_size"),
        columns=["wijk", "year", "value", "n"],
    )  # fmt: skip
    if rows.empty or year not in set(rows["year"]):
        return None
    base_year = int(rows["year"].min())
    base = float(rows[rows["year"] == base_year]["value"].mean())
    now = rows[rows["year"] == year].groupby("wijk").agg(value=("value", "mean"), n=("n", "sum"))
    index = [w.code for w in wijken]
    # respondents who feel unsafe stand in for the count of the Poisson band
    events = (now["value"] / 100 * now["n"]).reindex(index)
    return sub_index(now[["value"]].reindex(index).rename(columns={"value": "panel"}),
                     pd.DataFrame({"panel": events}), {"panel": base}, {"panel": 1.0})  # fmt: skip


def _meldingen(item: Judged, wijken: list[Area], wijk_of: list[int | None], year: int
               ) -> IndexResult | None:  # fmt: skip
    events = pd.DataFrame(
        Event.objects.filter(dataset__is_current=True, dataset__kind="meldingen",
                             category__startswith="Overlast", area__parent__in=wijken)
        .values_list("area__parent__code", "occurred_at"), columns=["wijk", "when"],
    )  # fmt: skip
    if events.empty:
        return None
    events["year"] = [w.astimezone(UTC).year for w in events["when"]]
    if year not in set(events["year"]):
        return None
    base_year = int(events["year"].min())
    people = pd.Series(np.nanmean(item.series.denominators, axis=1), index=wijk_of)
    people = people.groupby(level=0).sum()
    codes = {w.pk: w.code for w in wijken}
    people.index = [codes.get(k) for k in people.index]
    index = [w.code for w in wijken]
    now = events[events["year"] == year].groupby("wijk").size().reindex(index, fill_value=0)
    base = len(events[events["year"] == base_year]) / float(people.sum())
    rate = now / people.reindex(index)
    return sub_index(pd.DataFrame({"meldingen": rate}), pd.DataFrame({"meldingen": now}),
                     {"meldingen": base}, {"meldingen": 1.0})  # fmt: skip


def _rows(run: AnalysisRun, wijken: list[Area], code: str, result: IndexResult) -> list[AreaResult]:
    return [
        AreaResult(run=run, area=wijk, indicator_code=code, rate=_num(result.index_value[i]),
                   rate_lower=_num(result.lower[i]), rate_upper=_num(result.upper[i]))
        for i, wijk in enumerate(wijken)
    ]  # fmt: skip


def _num(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None
