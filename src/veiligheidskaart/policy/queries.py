"""Read side of the policy app, shared by pages, API, CLI and the reports.

Every function names what it returns; none writes. Goal statuses are computed on read
(``goal_status``), never stored, so a new import changes them at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Max, Prefetch, Q, QuerySet

from veiligheidskaart.analysis.benchmark import PeerRank
from veiligheidskaart.analysis.rates import poisson_interval
from veiligheidskaart.areas.models import Area
from veiligheidskaart.observations.models import AnalysisRun, Kerncijfer, Observation, PriorityEntry
from veiligheidskaart.observations.series import USABLE, monthly_dataset
from veiligheidskaart.policy import measures
from veiligheidskaart.policy.goal_status import GoalStatusRow, goal_status, goal_statuses
from veiligheidskaart.policy.models import Action, BudgetLine, Goal, PeerGroup, Priority
from veiligheidskaart.policy.registry import BBV_INDICATORS, DATA_CALENDAR, BbvDef, CalendarEntry
from veiligheidskaart.sources.models import Dataset

__all__ = [
    "GoalStatusRow", "goal_status", "goal_statuses", "evaluation_year", "actions",
    "actions_for_area", "adopted_priorities", "peer_ranks", "bbv_rows", "budget_lines",
    "data_calendar", "priority_matrix",
]  # fmt: skip


def evaluation_year(gemeente_code: str) -> int:
    """The year of the newest publication among the current datasets (else this year).

    Statuses are judged as of the data, so a page shows the same status until new data come.
    """
    latest = Dataset.objects.filter(is_current=True).filter(
        Q(area_scope__contains=gemeente_code) | Q(area_scope="NL")
    ).aggregate(Max("published_on"))["published_on__max"]  # fmt: skip
    return latest.year if latest else date.today().year


# --- actions -----------------------------------------------------------------------------------
def actions(gemeente_code: str, *, year: int | None = None, stadsdeel: Area | None = None,
            priority: Priority | None = None, status: str = "", theme: str = "",
            ) -> QuerySet[Action]:  # fmt: skip
    """Actions of the gemeente, filtered: planned period overlaps ``year``; areas in
    ``stadsdeel`` (the stadsdeel itself or its wijken, buurten and focus areas); linked to
    ``priority``; in ``status``; on ``theme`` (code). Prefetched for listing."""
    rows = Action.objects.filter(gemeente_code=gemeente_code)
    if year is not None:
        rows = rows.filter(start__lte=date(year, 12, 31), end__gte=date(year, 1, 1))
    if stadsdeel is not None:
        rows = rows.filter(Q(areas=stadsdeel) | Q(areas__stadsdeel=stadsdeel))
    if priority is not None:
        rows = rows.filter(priorities=priority)
    if status:
        rows = rows.filter(status=status)
    if theme:
        rows = rows.filter(themes__code=theme)
    return rows.distinct().prefetch_related("themes", "areas", "priorities", "goals")


def actions_for_area(area: Area) -> QuerySet[Action]:
    """Actions whose areas are ``area`` or contain it (its wijk, stadsdeel or gemeente)."""
    ids = [area.pk]
    node = area.parent
    while node is not None:
        ids.append(node.pk)
        node = node.parent
    if area.stadsdeel_id:
        ids.append(area.stadsdeel_id)
    gemeente = area.gemeente_code or area.code
    return (
        Action.objects.filter(gemeente_code=gemeente, areas__pk__in=ids)
        .exclude(status="vervallen")
        .distinct()
        .prefetch_related("themes", "areas")
    )


def adopted_priorities(gemeente_code: str, year: int | None = None) -> QuerySet[Priority]:
    """Priorities with status vastgesteld (period overlapping ``year``), with goals and
    actions prefetched (``priority.goals.all()``, ``priority.actions.all()``)."""
    rows = Priority.objects.filter(gemeente_code=gemeente_code, status="vastgesteld")
    if year is not None:
        rows = rows.filter(start_year__lte=year, end_year__gte=year)
    return rows.select_related("theme", "area").prefetch_related(
        "goals", Prefetch("actions", queryset=Action.objects.prefetch_related("areas"))
    )


# --- peer benchmark ----------------------------------------------------------------------------
@dataclass(frozen=True)
class PeerRankRow:
    source_code: str
    label: str
    history: dict[int, PeerRank]  # year -> rank with its 95% interval


def peer_ranks(group: PeerGroup) -> list[PeerRankRow]:
    """The home gemeente's rank history on the total and on each selected 83648NED type."""
    peers = list(group.peer_codes)
    return [
        PeerRankRow(code, label, measures.rank_history(group.gemeente_code, peers, code))
        for code, label in measures.BENCHMARK_TYPES.items()
    ]


# --- BBV ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BbvRow:
    indicator: BbvDef
    year: int
    count: float | None
    denominator: float | None
    value: float | None  # per ``indicator.per``; None: "onvoldoende gegevens"
    lower: float | None
    upper: float | None
    note: str


def bbv_rows(gemeente: Area, years: list[int]) -> list[BbvRow]:
    """The compulsory BBV indicators per year for the gemeente; a missing source says so."""
    inhabitants = dict(
        Kerncijfer.objects.filter(dataset__is_current=True, area=gemeente, year__in=years)
        .values_list("year", "inhabitants")
    )  # fmt: skip
    out = []
    for ind in BBV_INDICATORS:
        counts = _bbv_counts(ind, gemeente, years)
        for year in years:
            count = counts.get(year)
            den = inhabitants.get(year) if ind.denominator == "inwoners" else None
            out.append(_bbv_row(ind, year, count, den))
    return out


def _bbv_counts(ind: BbvDef, gemeente: Area, years: list[int]) -> dict[int, float]:
    if ind.source != "misdrijven":
        rows = Observation.objects.filter(
            dataset__is_current=True,
            area=gemeente,
            source_code__in=ind.source_codes,
            granularity="year",
        )
        return {o.period_start.year: o.value for o in rows if o.value is not None}  # fmt: skip
    dataset = monthly_dataset(gemeente.code, "misdrijven")
    rows = Observation.objects.filter(dataset=dataset, area=gemeente, granularity="year",
                                      source_code__in=ind.source_codes,
                                      period_start__year__in=years)  # fmt: skip
    sums: dict[int, list[float]] = {}
    for o in rows:
        if o.status in USABLE and o.value is not None:
            sums.setdefault(o.period_start.year, []).append(o.value)
    return {y: sum(v) for y, v in sums.items() if len(v) == len(ind.source_codes)}


def _bbv_row(ind: BbvDef, year: int, count: float | None, den: float | None) -> BbvRow:
    if count is None:
        note = "onvoldoende gegevens: geen bron geladen"
        return BbvRow(ind, year, None, den, None, None, None, note)
    if not den:
        note = (
            "onvoldoende gegevens: het aantal jongeren van 12-17 jaar is niet geladen"
            if ind.denominator != "inwoners"
            else "onvoldoende gegevens: geen inwonertal"
        )
        return BbvRow(ind, year, count, None, None, None, None, note)  # fmt: skip
    lo, hi = poisson_interval(count)
    per = ind.per / den
    return BbvRow(ind, year, count, den, count * per, lo * per, hi * per, "")


# --- budget and data calendar ------------------------------------------------------------------
@dataclass(frozen=True)
class BudgetYear:
    year: int
    lines: list[BudgetLine]  # actions prefetched: ``line.actions.all()``
    lasten: Decimal
    baten: Decimal

    @property
    def saldo(self) -> Decimal:
        return self.baten - self.lasten


def budget_lines(gemeente_code: str, year: int | None = None) -> list[BudgetYear]:
    """Budget lines per year (all years, or one), with totals of lasten and baten."""
    rows = BudgetLine.objects.filter(gemeente_code=gemeente_code).prefetch_related("actions")
    if year is not None:
        rows = rows.filter(year=year)
    by_year: dict[int, list[BudgetLine]] = {}
    for line in rows.order_by("year", "kind", "name"):
        by_year.setdefault(line.year, []).append(line)
    return [
        BudgetYear(y, lines, sum((x.amount for x in lines if x.kind == "lasten"), Decimal(0)),
                   sum((x.amount for x in lines if x.kind == "baten"), Decimal(0)))
        for y, lines in sorted(by_year.items())
    ]  # fmt: skip


@dataclass(frozen=True)
class CalendarRow:
    entry: CalendarEntry
    loaded_until: date | None  # last period start of the current dataset(s) of that table
    published_on: date | None


def data_calendar() -> list[CalendarRow]:
    """The data calendar (registry) with, per source, what is loaded now."""
    out = []
    for entry in DATA_CALENDAR:
        rows = Dataset.objects.filter(is_current=True, kind=entry.kind)
        if entry.table_id:
            rows = rows.filter(table_id__iexact=entry.table_id)
        agg: dict[str, Any] = rows.aggregate(Max("period_end"), Max("published_on"))
        out.append(CalendarRow(entry, agg["period_end__max"], agg["published_on__max"]))
    return out


def goals_of(gemeente_code: str) -> QuerySet[Goal]:
    return Goal.objects.filter(gemeente_code=gemeente_code).select_related("area", "indicator")


# --- priority matrix ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MatrixRow:
    """A priority beside the analysis ranking: its best theme × buurt entry, if any."""

    priority: Priority
    best_rank: int | None
    best_area: str
    top10_probability: float | None
    entries_in_top10: int
    reasons: str


def priority_matrix(gemeente_code: str) -> tuple[AnalysisRun | None, list[MatrixRow]]:
    """Every priority (voorgesteld and vastgesteld) with the current internal ranking's best
    entry for its theme and area (DESIGN §6), next to its own seriousness and influence."""
    run = (AnalysisRun.objects.filter(gemeente_code=gemeente_code, is_current=True)
           .order_by("-year").first())  # fmt: skip
    rows = []
    priorities = Priority.objects.filter(gemeente_code=gemeente_code).exclude(
        status="ingetrokken").select_related("theme", "area")  # fmt: skip
    for p in priorities:
        entries = PriorityEntry.objects.none()
        if run is not None:
            entries = PriorityEntry.objects.filter(run=run, public=False).select_related("area")
            if p.theme is not None:
                entries = entries.filter(theme_code=p.theme.code)
            if p.area is not None and p.area.level != "gemeente":
                entries = entries.filter(_within(p.area))
        best = entries.order_by("rank").first()
        rows.append(MatrixRow(
            p, best.rank if best else None, best.area.name if best else "",
            best.top10_probability if best else None, entries.filter(rank__lte=10).count(),
            best.reasons if best else "",
        ))  # fmt: skip
    return run, rows


def _within(area: Area) -> Q:
    if area.level == "stadsdeel":
        return Q(area__stadsdeel=area)
    if area.level == "wijk":
        return Q(area__parent=area)
    return Q(area=area)
