"""Read side behind goals and the benchmark: yearly counts, survey points and peer ranks.

Turns observations into the plain inputs of ``analysis.goals`` and ``analysis.benchmark``.
Yearly police counts come from the year rows of the current monthly table (never from
months and year rows added together); an area without year rows gets the sum of twelve
usable months. Survey points carry the published 95% margins. Peer ranks use the 83648NED
counts, with the inhabitants derived from the published count and rate per 1,000.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from veiligheidskaart.analysis.benchmark import PeerRank, peer_rank
from veiligheidskaart.analysis.goals import Point
from veiligheidskaart.analysis.rates import poisson_interval
from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Indicator, SeriesBreak
from veiligheidskaart.observations.models import Observation
from veiligheidskaart.observations.series import USABLE, monthly_dataset
from veiligheidskaart.sources.models import Dataset

BENCHMARK_TABLE = "83648NED"
BENCHMARK_TYPES: dict[str, str] = {
    "T001161": "Misdrijven, totaal",
    "CRI1000": "Vermogensmisdrijven",
    "CRI2000": "Vernielingen en misdrijven tegen de openbare orde",
    "CRI3000": "Gewelds- en seksuele misdrijven",
}


def yearly_counts(indicator: Indicator, area: Area) -> dict[int, float]:
    """Registered count per complete year of ``indicator`` in ``area`` (current release)."""
    dataset = monthly_dataset(area.gemeente_code or area.code, indicator.source)
    if dataset is None:
        return {}
    rows = Observation.objects.filter(dataset=dataset, area=area,
                                      source_code__in=indicator.source_codes)  # fmt: skip
    years: dict[int, list[float | None]] = defaultdict(list)
    for start, value, status in rows.filter(granularity="year").values_list(
        "period_start", "value", "status"
    ):
        years[start.year].append(value if status in USABLE else None)
    out = {y: sum(v for v in vs if v is not None) for y, vs in years.items()
           if len(vs) == len(indicator.source_codes) and None not in vs}  # fmt: skip
    if out:
        return dict(sorted(out.items()))
    months: dict[int, list[float]] = defaultdict(list)
    for start, value, status in rows.filter(granularity="month").values_list(
        "period_start", "value", "status"
    ):
        if status in USABLE and value is not None:
            months[start.year].append(value)
    full = 12 * len(indicator.source_codes)
    return {y: sum(vs) for y, vs in sorted(months.items()) if len(vs) == full}


def count_points(counts: dict[int, float]) -> list[Point]:
    """Each yearly count with its exact Poisson 95% interval."""
    return [Point(y, c, *poisson_interval(c)) for y, c in sorted(counts.items())]


def survey_points(indicator: Indicator, area: Area) -> list[Point]:
    """Veiligheidsmonitor values of ``area`` with the published 95% bounds."""
    rows = Observation.objects.filter(
        dataset__is_current=True, dataset__kind="survey", area__code=area.code,
        source_code__in=indicator.source_codes, value__isnull=False,
    ).order_by("period_start")  # fmt: skip
    return [
        Point(o.period_start.year, o.value, o.lower if o.lower is not None else o.value,
              o.upper if o.upper is not None else o.value)
        for o in rows
    ]  # fmt: skip


def open_break_year(source: str, after: int, until: int) -> int | None:
    """First year of an open-ended series break in ``(after, until]``: no comparison across it."""
    starts = SeriesBreak.objects.filter(source=source, end__isnull=True).values_list(
        "start", flat=True
    )
    years = sorted(s.year for s in starts if after < s.year <= until)
    return years[-1] if years else None


@dataclass(frozen=True)
class PeerTable:
    """One year of 83648NED for the listed gemeenten: counts and derived inhabitants."""

    year: int
    counts: dict[str, float]
    inhabitants: dict[str, float]
    names: dict[str, str]


def benchmark_dataset() -> Dataset | None:
    return (
        Dataset.objects.filter(is_current=True, table_id=BENCHMARK_TABLE)
        .order_by("-published_on", "-imported_at")
        .first()
    )


def peer_tables(codes: list[str], source_code: str = "T001161") -> dict[int, PeerTable]:
    """Per year the count and inhabitants of each gemeente in ``codes`` (83648NED)."""
    dataset = benchmark_dataset()
    if dataset is None:
        return {}
    rows = Observation.objects.filter(
        dataset=dataset, area__code__in=codes, granularity="year",
        source_code__in=(source_code, f"{source_code}.per1000"), value__isnull=False,
    ).values_list("area__code", "area__name", "period_start", "source_code", "value")  # fmt: skip
    counts: dict[int, dict[str, float]] = defaultdict(dict)
    per1000: dict[int, dict[str, float]] = defaultdict(dict)
    names: dict[str, str] = {}
    for code, name, start, source, value in rows:
        names[code] = name
        (per1000 if source.endswith(".per1000") else counts)[start.year][code] = value
    tables = {}
    for year in sorted(counts):
        both = [c for c in counts[year] if per1000[year].get(c)]
        inhabitants = {c: 1000 * counts[year][c] / per1000[year][c] for c in both}
        tables[year] = PeerTable(year, {c: counts[year][c] for c in both}, inhabitants, names)
    return tables


def total_inhabitants(codes: list[str], year: int) -> dict[str, float]:
    """Inhabitants per gemeente in ``year`` from 83648NED (count ÷ rate per 1,000)."""
    table = peer_tables(codes).get(year)
    return dict(table.inhabitants) if table else {}


def rank_history(home: str, peers: list[str], source_code: str = "T001161"
                 ) -> dict[int, PeerRank]:  # fmt: skip
    """The home gemeente's rank among ``peers`` per year, with its resampling interval."""
    out = {}
    for year, table in peer_tables([home, *peers], source_code).items():
        if home in table.counts and len(table.counts) > 1:
            out[year] = peer_rank(home, table.counts, table.inhabitants)
    return out


def rank_points(history: dict[int, PeerRank]) -> list[Point]:
    return [Point(y, float(r.rank), float(r.lower), float(r.upper)) for y, r in history.items()]
