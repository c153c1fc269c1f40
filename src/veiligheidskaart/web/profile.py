"""/gebied/<code>: the area profile of a gemeente, stadsdeel, wijk or buurt.

Key figures per theme's main indicator come from the stored analysis run (buurten) or from
``map_layer`` at the area's level (higher levels), so the page shows the API's numbers. Every
count goes through ``publish_count`` for the public: police open data stay exact, meldingen are
rounded, and sensitive themes are shown per wijk and coarser only.
"""

from __future__ import annotations

import hashlib
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any, TypeVar

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from scipy import stats

from veiligheidskaart.accounts.access import access_of
from veiligheidskaart.analysis import suppression as sup
from veiligheidskaart.analysis.rates import MIN_DENOMINATOR, rates
from veiligheidskaart.analysis.survey import SurveyEstimate, compare_estimates, panel_cell
from veiligheidskaart.analysis.trend import trend
from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Indicator
from veiligheidskaart.observations import models as om
from veiligheidskaart.observations.layers import (
    DENOMINATOR_LABELS,
    LayerError,
    LayerFeature,
    data_version,
    latest_map_year,
    map_layer,
    parse_period,
)
from veiligheidskaart.observations.memo import Memo
from veiligheidskaart.observations.queries import home_gemeente
from veiligheidskaart.observations.series import (
    Series,
    declared_breaks,
    monthly_dataset,
    monthly_series,
    yearly_series,
)
from veiligheidskaart.policy.queries import actions_for_area
from veiligheidskaart.sources.models import Dataset
from veiligheidskaart.web.charts import Band, Bar, Line, bar_chart, line_chart, nl
from veiligheidskaart.web.priorities import area_ranks

LEVELS = ("gemeente", "stadsdeel", "wijk", "buurt")
TREND_YEARS = 6
NATIONAL = {"misdrijven_totaal": "T001161.per1000"}  # 83648NED, per 1,000 inhabitants
NOISE = "binnen de marge van toeval"
VM_LABELS = {  # Veiligheidsmonitor 85146NED: label and unit
    "VoeltZichWeleensOnveiligInBuurt": ("Voelt zich wel eens onveilig in de eigen buurt", "%"),
    "VoeltZichWeleensOnveilig": ("Voelt zich wel eens onveilig", "%"),
    "DenktDatErVeelCriminaliteitInBuurt": ("Denkt dat er veel criminaliteit in de buurt is", "%"),
    "RapportcijferVeiligheidInBuurt": ("Rapportcijfer veiligheid in de buurt", ""),
}
PANEL_LABELS = {
    "onveilig_in_buurt": ("Voelt zich wel eens onveilig in de buurt", "%"),
    "rapportcijfer_veiligheid": ("Rapportcijfer veiligheid in de buurt", ""),
}
SENSITIVE_WORDS = ("jongeren", "jeugd", "verward", "huiselijk")  # meldingen of sensitive themes
CLOSEDNESS = ("open", "intern", "vertrouwelijk", "wpg")
CACHE_SECONDS = 600  # keys carry a data stamp, so a new import is seen at once
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")  # fmt: skip
T = TypeVar("T")
# whole profile contexts per area, rights and data version; 60 s bounds what the version misses
PROFILES: Memo[dict[str, Any]] = Memo(size=256, seconds=60)


def gebied(request: HttpRequest, code: str) -> HttpResponse:
    gemeente = home_gemeente()
    area = find_area(code, gemeente) if gemeente else None
    if area is None or gemeente is None:
        return render(request, "web/gebied.html", {"niet_gevonden": code}, status=404)
    internal = is_internal(request, area)
    latest_event = om.Event.objects.aggregate(m=Max("pk"))["m"]
    key = (area.pk, internal, data_version(), latest_event)
    context = PROFILES.get(key, lambda: profile_context(area, gemeente, internal))
    # actions change without a new data version, so they stay out of the memoised context
    acties = list(actions_for_area(area)) if internal else []
    return render(request, "web/gebied.html",
                  context | {"afdruk": "afdruk" in request.GET, "acties": acties})  # fmt: skip


def find_area(code: str, gemeente: Area) -> Area | None:
    """The area with that code in the home gemeente's vintage, at a level with a profile."""
    rows = Area.objects.filter(code=code.strip().upper(), vintage=gemeente.vintage,
                               level__in=LEVELS, gemeente_code=gemeente.code)  # fmt: skip
    area: Area | None = rows.select_related("parent", "stadsdeel").first()
    return area


def is_internal(request: HttpRequest, area: Area) -> bool:
    """Logged in with the right to internal data, for all areas or for this stadsdeel."""
    district = area if area.level == "stadsdeel" else area.stadsdeel
    return access_of(request.user).internal_in(district.pk if district else None)


def profile_context(area: Area, gemeente: Area, internal: bool) -> dict[str, Any]:
    runs = om.AnalysisRun.objects.filter(gemeente_code=gemeente.code, is_current=True)
    run = runs.order_by("-year").first()
    year = run.year if run else latest_map_year(gemeente)
    buurten = list(Area.objects.filter(level="buurt", gemeente_code=gemeente.code,
                   vintage=gemeente.vintage, centroid_x__isnull=False))  # fmt: skip
    members = member_buurten(area, buurten)
    level = area.level if area.level in ("wijk", "stadsdeel") else "buurt"
    return {
        "area": area, "level": area.level, "year": year, "run": run, "internal": internal,
        "first_year": year - TREND_YEARS + 1 if year else None,
        "monthly": monthly_dataset(gemeente.code, "misdrijven") is not None,
        "crumbs": breadcrumbs(area), "children": children(area),
        "themes": theme_sections(area, gemeente, year, run, buurten, members, internal)
        if year else [],
        "inwoners": inhabitants(members, year), "survey": survey(area),
        "meldingen": meldingen(area, members, buurten, internal),
        "ranks": area_ranks(run, members, area.level == "buurt", internal),
        "kaart_url": f"/kaart?indicator=misdrijven_totaal&niveau={level}&periode={year or ''}",
    }  # fmt: skip


def member_buurten(area: Area, buurten: list[Area]) -> list[Area]:
    if area.level == "gemeente":
        return buurten
    key = {"stadsdeel": "stadsdeel_id", "wijk": "parent_id", "buurt": "pk"}[area.level]
    return [b for b in buurten if getattr(b, key) == area.pk]


def breadcrumbs(area: Area) -> list[dict[str, Any]]:
    """Land → gemeente → stadsdeel → wijk → buurt; the land has no page of its own."""
    chain, node = [], area
    while node is not None:
        chain.append(node)
        node = node.parent
    if area.level in ("wijk", "buurt") and area.stadsdeel is not None:
        chain.insert(next(i for i, a in enumerate(chain) if a.level == "gemeente"), area.stadsdeel)
    return [{"name": a.name, "level": a.level, "code": a.code,
             "link": a.level in LEVELS and a.pk != area.pk} for a in reversed(chain)]  # fmt: skip


def children(area: Area) -> list[Area]:
    rows = Area.objects.filter(vintage=area.vintage).order_by("code")
    if area.level == "gemeente":
        districts = list(rows.filter(level="stadsdeel", parent=area))
        return districts or list(rows.filter(level="wijk", parent=area))
    if area.level == "stadsdeel":
        return list(rows.filter(level="wijk", stadsdeel=area))
    return list(rows.filter(level="buurt", parent=area)) if area.level == "wijk" else []


def inhabitants(members: list[Area], year: int | None) -> str:
    rows = om.Kerncijfer.objects.filter(dataset__is_current=True, year=year, area__in=members)
    known = [v for v in rows.values_list("inhabitants", flat=True) if v is not None]
    return nl(float(sum(known)), 0) if known else ""


def main_indicators() -> list[Indicator]:
    """Per theme the first map indicator that is not an activiteit indicator (as the ranking)."""
    chosen: dict[str, Indicator] = {}
    for ind in Indicator.objects.filter(source__in=("misdrijven", "overlast")).select_related(
        "theme"
    ):
        current = chosen.get(ind.theme.code)
        if current is None or (current.validity == "activiteit" and ind.validity != "activiteit"):
            chosen[ind.theme.code] = ind
    return list(chosen.values())


@dataclass(frozen=True)
class Scope:
    """What every theme section of one page shares."""

    area: Area
    gemeente: Area
    year: int
    members: list[Area]
    stored: dict[str, om.AreaResult]
    national: dict[str, tuple[float, int]]
    internal: bool
    stamp: str


@dataclass(frozen=True)
class Figure:
    count: float | None
    rate: float | None = None
    lower: float | None = None
    upper: float | None = None
    ratio: float | None = None
    ratio_lower: float | None = None
    ratio_label: str = ""


def theme_sections(area: Area, gemeente: Area, year: int, run: om.AnalysisRun | None,
                   buurten: list[Area], members: list[Area], internal: bool
                   ) -> list[dict[str, Any]]:  # fmt: skip
    results = om.AreaResult.objects.filter(run=run, area=area) if run else []
    stamp = f"{data_stamp()}-{run.pk if run else 0}"
    scope = Scope(area, gemeente, year, members, {r.indicator_code: r for r in results},
                  national_rates(year), internal, stamp)  # fmt: skip
    out = []
    for ind in main_indicators():
        key = f"series:{gemeente.code}:{ind.code}:{ind.source_codes}:{ind.denominator}:{year}"
        first, last = date(year - TREND_YEARS + 1, 1, 1), date(year, 12, 1)
        series = cached(f"{key}:{scope.stamp}", partial(monthly_series, ind, buurten, first, last))
        if series is None:  # only the yearly table (47018NED) is loaded: that one year
            series = cached(f"{key}:jaar:{scope.stamp}", partial(yearly_series, ind, buurten, year))
        if series is not None:
            out.append(_section(scope, ind, series))
    return out


def _section(scope: Scope, ind: Indicator, series: Series) -> dict[str, Any]:
    area = scope.area
    stored = area.level == "buurt" and ind.code in scope.stored  # else the map layer's figure
    figure = _buurt_figure(scope, ind) if stored else _layer_figure(scope, ind)
    dataset = Dataset.objects.filter(pk=series.dataset_ids[0]).first()
    count = _publish(figure.count, ind.source, dataset.classification if dataset else "open",
                     area.level, ind.theme.sensitive, scope.internal)  # fmt: skip
    unit = _unit(ind, any("per inwoners berekend" in n for n in series.notes))
    row: dict[str, Any] = {
        "theme": ind.theme,
        "indicator": ind,
        "unit": unit,
        "count": count,
        "notes": series.notes,
        "hidden": count.display == sup.HIDDEN,
    }
    if row["hidden"]:
        return row | {"reason": count.reason}
    row |= _figure_texts(figure, scope.national.get(NATIONAL.get(ind.code, "")), unit)
    key = f"trend:{area.code}:{ind.code}:{scope.year}:{scope.stamp}"
    row["trend"] = _significance(cached(key, lambda: _trend_text(scope, ind, series)))
    years, values, reference = yearly_rates(series, scope.members, ind)
    lines = [Line(area.name, values, "gebied")]
    if area.level != "gemeente":
        lines.append(Line("Hele gemeente", reference, "gemeente"))
        row["no_reference"] = any(v is None for v in reference)
    if ind.code in NATIONAL:
        lines.append(Line("Nederland", national_series(NATIONAL[ind.code], years), "land"))
    title = f"{ind.theme.name}: {ind.name.lower()} {unit}, {years[0]}–{years[-1]}"
    row["chart"] = mark_safe(line_chart(f"grafiek-{ind.code}", title, [str(y) for y in years],
                                        lines, unit, bands=_bands(ind, years)))  # fmt: skip
    return row


def _publish(value: float | None, source: str, classification: str, level: str,
             sensitive: bool, internal: bool) -> sup.PublicValue:  # fmt: skip
    """publish_count for the public; the exact count for users with internal rights."""
    if not internal:
        return sup.publish_count(value, source=source, classification=classification,
                                 level=level, sensitive=sensitive)  # fmt: skip
    if value is None or not math.isfinite(value):
        return sup.PublicValue(None, sup.MISSING, sup.REASON_MISSING)
    return sup.PublicValue(int(round(value)), str(int(round(value))), None)


def _unit(ind: Indicator, fallback: bool) -> str:
    label = DENOMINATOR_LABELS["inwoners" if fallback else ind.denominator]
    return (f"per {ind.per:,}".replace(",", ".") + f" {label}").strip()


def _buurt_figure(scope: Scope, ind: Indicator) -> Figure:
    """A buurt's figures as the stored run computed them (rates, smoothed ratio)."""
    r = scope.stored.get(ind.code)
    if r is None:
        return Figure(None)
    label = f"gladgestreken, {scope.year - 2}–{scope.year}"
    return Figure(r.count, r.rate, r.rate_lower, r.rate_upper, r.ratio, r.ratio_lower, label)


def data_stamp() -> str:
    """Changes with every import: the current datasets' count, last id and import time."""
    row = Dataset.objects.filter(is_current=True).aggregate(
        n=Count("pk"), last=Max("pk"), at=Max("imported_at")
    )
    return f"{row['n']}-{row['last']}-{row['at']}"


def cached(key: str, compute: Callable[[], T]) -> T:
    name = "vk:gebied:" + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
    hit = cache.get(name)
    if hit is None:
        hit = (compute(),)
        cache.set(name, hit, CACHE_SECONDS)
    value: T = hit[0]
    return value


def _layer_figure(scope: Scope, ind: Indicator) -> Figure:
    """The area's figure from the map layer at its level; the gemeente sums its wijken."""
    area, year = scope.area, scope.year
    level = "wijk" if area.level == "gemeente" else area.level
    key = f"layer:{scope.gemeente.code}:{ind.code}:{ind.source_codes}:{year}:{level}:{scope.stamp}"
    with warnings.catch_warnings():  # mapclassify warns when a layer has few distinct rates
        warnings.simplefilter("ignore", UserWarning)
        features = cached(key, lambda: _features(scope.gemeente, ind, year, level))
    if not features:
        return Figure(None)
    total_c = float(np.sum([np.nan if f.count is None else f.count for f in features]))
    total_d = float(np.sum([f.denominator or 0.0 for f in features]))
    if area.level == "gemeente":
        days = parse_period(str(year)).days / 365.25
        minimum = MIN_DENOMINATOR if ind.denominator == "inwoners" else 1e-9
        r = rates([total_c], [total_d * days], per=ind.per, min_denominator=minimum * days)
        return Figure(_num(total_c), _num(r.rate[0]), _num(r.lower[0]), _num(r.upper[0]))
    f = next((f for f in features if f.code == area.code), None)
    if f is None:
        return Figure(None)
    if f.rate is None:  # too few inhabitants: no ratio either, never "the worst buurt"
        return Figure(f.count, None, None, None, None, None, f"ruw, {year}")
    ratio, lower = _ratio_vs_rest(f.count, f.denominator, total_c, total_d)
    return Figure(f.count, f.rate, f.lower, f.upper, ratio, lower, f"ruw, {year}")


def _features(gemeente: Area, ind: Indicator, year: int, level: str) -> list[LayerFeature]:
    try:
        return map_layer(gemeente, ind.code, str(year), level).features
    except LayerError:  # no monthly figures for that year
        return []


def _ratio_vs_rest(count: float | None, den: float | None, total_c: float, total_d: float
                   ) -> tuple[float | None, float | None]:  # fmt: skip
    """Rate ratio of an area against the rest, with the exact conditional (binomial) lower bound:
    the Clopper–Pearson bound of the area's share of the events, as a ratio (as scipy's binomtest).

    >>> [round(x, 3) for x in _ratio_vs_rest(30, 1000, 40, 2000)]
    [3.0, 1.427]
    """
    if count is None or den is None or not math.isfinite(total_c) or total_d <= den or den <= 0:
        return None, None
    rest_c, rest_d = total_c - count, total_d - den
    if rest_c <= 0:
        return None, None
    share = stats.beta.ppf(0.025, count, rest_c + 1) if count > 0 else 0.0
    return float((count / den) / (rest_c / rest_d)), float(share / (1 - share) * rest_d / den)


def _figure_texts(figure: Figure, nat: tuple[float, int] | None, unit: str) -> dict[str, str]:
    rate = nl(figure.rate) if figure.rate is not None else "geen zinvol tarief"
    if figure.count is None:
        rate = "geen cijfer: maandcijfers ontbreken of zijn geheim"
    known = figure.rate is not None and figure.lower is not None
    ratio = "n.v.t." if figure.rate is not None or figure.count is None else "geen zinvol tarief"
    if figure.ratio is not None:
        bound = f" (ondergrens {nl(figure.ratio_lower)}×)" if figure.ratio_lower is not None else ""
        ratio = f"{nl(figure.ratio)}×{bound}, {figure.ratio_label}"
    national = "landelijk cijfer niet geladen"
    if nat is not None:
        versus = f"{nl(figure.rate / nat[0])}× landelijk; " if figure.rate and nat[0] else ""
        national = f"{versus}Nederland {nl(nat[0])} {unit} ({nat[1]})"
    return {"rate": rate, "interval": f"{nl(figure.lower)} – {nl(figure.upper)}" if known else "",
            "ratio": ratio, "national": national}  # fmt: skip


def _num(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def yearly_rates(series: Series, members: list[Area], ind: Indicator
                 ) -> tuple[list[int], list[float | None], list[float | None]]:  # fmt: skip
    """Yearly rates of the member buurten and of all buurten, computed as in ``map_layer``."""
    years = sorted({s.year for s in series.units.starts})
    ids = {a.pk for a in members}
    rows = np.array([a.pk in ids for a in series.areas])
    minimum = MIN_DENOMINATOR if ind.denominator == "inwoners" else 1e-9
    area_rates: list[float | None] = []
    all_rates: list[float | None] = []
    for y in years:
        cols = np.array([s.year == y for s in series.units.starts])
        days = float(series.units.days[cols].sum()) / 365.25
        for mask, out in ((rows, area_rates), (np.ones_like(rows), all_rates)):
            block = series.counts[np.ix_(mask, cols)]
            count = float(block.sum()) if np.isfinite(block).all() and block.size else math.nan
            den = float(np.nansum(np.nanmean(series.denominators[np.ix_(mask, cols)], axis=1)))
            ok = math.isfinite(count) and den >= minimum and den > 0
            out.append(ind.per * count / (den * days) if ok else None)
    return years, area_rates, all_rates


def _trend_text(scope: Scope, ind: Indicator, series: Series) -> str:
    """The stored change (buurt) or trend (wijk); for larger areas the trend of their sum."""
    result = scope.stored.get(ind.code)
    if scope.area.level == "buurt":
        return f"Verandering: {result.change_sentence}" if result and result.change_sentence else ""
    if scope.area.level == "wijk":
        return f"Trend: {result.trend_sentence}" if result and result.trend_sentence else ""
    rows = np.array([a.pk in {m.pk for m in scope.members} for a in series.areas])
    counts, population = series.counts[rows].sum(axis=0), series.denominators[rows].sum(axis=0)
    if not np.isfinite(counts).all() or counts.sum() == 0:
        return ""
    return f"Trend: {trend(counts, population, series.units, breaks=declared_breaks(ind)).wording}"


def _significance(text: str) -> str:
    """DESIGN §6: a change or trend that is not significant is "binnen de marge van toeval".

    >>> _significance("Trend: geen significante trend (p = 0,78)")
    'Trend: binnen de marge van toeval (geen significante trend, p = 0,78)'
    """
    head, marker, tail = text.partition("geen significante trend (")
    return f"{head}{NOISE} (geen significante trend, {tail}" if marker else text


def _bands(ind: Indicator, years: list[int]) -> list[Band]:
    out = []
    for brk in declared_breaks(ind):
        inside = [
            i for i, y in enumerate(years) if brk.start.year <= y <= (brk.end or brk.start).year
        ]
        if inside:
            out.append(Band(inside[0], inside[-1], brk.name.split("-maatregelen")[0]))
    return out


def _national(**filters: Any) -> Any:
    return om.Observation.objects.filter(dataset__is_current=True, area__code="NL00",
                                         dataset__table_id="83648NED", granularity="year",
                                         value__isnull=False, **filters)  # fmt: skip


def national_rates(year: int) -> dict[str, tuple[float, int]]:
    """The latest national rate up to ``year`` per 83648NED code, with its year."""
    rows = _national(source_code__in=NATIONAL.values(), period_start__year__lte=year)
    return {o.source_code: (o.value, o.period_start.year) for o in rows.order_by("period_start")}


def national_series(code: str, years: list[int]) -> list[float | None]:
    rows = _national(source_code=code, period_start__year__in=years)
    values = {start.year: value for start, value in rows.values_list("period_start", "value")}
    return [values.get(y) for y in years]


def survey(area: Area) -> dict[str, Any]:
    """Veiligheidsmonitor for the gemeente; the wijkpanel (n ≥ 50) for the lower levels."""
    if area.level == "gemeente":
        return {"kind": "monitor", "rows": _monitor_rows(area)}
    wijken = {"wijk": [area], "buurt": [area.parent] if area.parent else []}.get(area.level)
    if wijken is None:
        wijken = list(Area.objects.filter(level="wijk", stadsdeel=area).order_by("code"))
    return {"kind": "panel", **_panel_rows(wijken)}


def _monitor_rows(gemeente: Area) -> list[dict[str, Any]]:
    obs = om.Observation.objects.filter(
        dataset__is_current=True, dataset__table_id="85146NED", granularity="year",
        area__code__in=[gemeente.code, "NL00"], source_code__in=list(VM_LABELS),
        value__isnull=False,
    ).select_related("area").order_by("period_start")  # fmt: skip
    series: dict[tuple[str, str], list[om.Observation]] = {}
    for o in obs:
        series.setdefault((o.source_code, o.area.code), []).append(o)
    rows = []
    for code, (label, unit) in VM_LABELS.items():
        own = series.get((code, gemeente.code))
        if own:
            nat = next((o for o in series.get((code, "NL00"), [])
                        if o.period_start == own[-1].period_start), None)  # fmt: skip
            rows.append({"label": label, "year": own[-1].period_start.year,
                         "value": _estimate_text(own[-1], unit), "nl": _estimate_text(nat, unit),
                         "change": _compare(own)})  # fmt: skip
    return rows


def _estimate_text(o: om.Observation | None, unit: str) -> str:
    if o is None or o.value is None:
        return "geen cijfer"
    margin = f" (marge {nl(o.lower)}–{nl(o.upper)})" if o.lower is not None and o.upper else ""
    return f"{nl(o.value)}{unit}{margin}"


def _compare(own: list[om.Observation]) -> str:
    """The last measurement against the one before, as a z-test on the published margins."""
    if len(own) < 2 or any(o.lower is None or o.upper is None for o in own[-2:]):
        return "geen eerdere meting met marges"
    a, b = (SurveyEstimate(float(o.value or 0), float(o.lower or 0), float(o.upper or 0),
                           o.period_start.year) for o in own[-2:])  # fmt: skip
    return f"t.o.v. {a.year}: {compare_estimates(b, a).sentence}"


def _panel_rows(wijken: list[Area]) -> dict[str, Any]:
    """The last two half years of the wijkpanel per wijk and question (n < 50 suppressed)."""
    obs = om.Observation.objects.filter(
        dataset__is_current=True,
        dataset__kind="panel",
        area__in=wijken,
        source_code__in=list(PANEL_LABELS),
    )
    cells = {(o.area_id, o.source_code, o.period_start): o for o in obs}
    starts = sorted({key[2] for key in cells})[-2:]
    rows = [{"wijk": w, "label": label,
             "cells": [_panel_text(cells.get((w.pk, code, s)), unit) for s in starts]}
            for w in wijken for code, (label, unit) in PANEL_LABELS.items()]  # fmt: skip
    periods = [f"{1 if s.month < 7 else 2}e halfjaar {s.year}" for s in starts]
    return {"periods": periods, "rows": rows if starts else []}


def _panel_text(o: om.Observation | None, unit: str) -> str:
    if o is None:
        return "geen cijfer"
    cell = panel_cell(o.value, o.sample_size or 0)
    if cell.value is None:
        return f"afgeschermd: {cell.reason} (n = {cell.n})"
    return f"{nl(cell.value)}{unit} (n = {nl(cell.n, 0)})"


def meldingen(area: Area, members: list[Area], buurten: list[Area], internal: bool
              ) -> dict[str, Any] | None:  # fmt: skip
    """Meldingen per main category over the 12 months up to the gemeente's latest melding."""
    events = om.Event.objects.filter(dataset__is_current=True, dataset__kind="meldingen")
    last = events.filter(area__in=buurten).aggregate(m=Max("occurred_at"))["m"]
    if last is None:
        return None
    first = last - timedelta(days=365)
    counts: dict[str, int] = {}
    sensitive: set[str] = set()
    rows = events.filter(area__in=members, occurred_at__gt=first, occurred_at__lte=last)
    for category in rows.values_list("category", flat=True):
        main = category.split(" / ")[0].strip()
        counts[main] = counts.get(main, 0) + 1
        if any(word in category.lower() for word in SENSITIVE_WORDS):
            sensitive.add(main)
    classes = set(Dataset.objects.filter(is_current=True, kind="meldingen").values_list(
        "classification", flat=True))  # fmt: skip
    closed = max(classes, key=lambda c: CLOSEDNESS.index(c) if c in CLOSEDNESS else 9)
    table = _meldingen_table(counts, sensitive, area.level, closed, internal)
    label = (
        f"{_day(localtime(first).date() + timedelta(days=1))} t/m {_day(localtime(last).date())}"
    )
    bars = [Bar(r["category"], r["value"], r["display"]) for r in table["rows"]]
    chart = bar_chart("grafiek-meldingen", f"Meldingen per hoofdcategorie, {label}", bars,
                      "aantal meldingen")  # fmt: skip
    return table | {"period": label, "chart": mark_safe(chart)}


def _meldingen_table(counts: dict[str, int], sensitive: set[str], level: str,
                     classification: str, internal: bool) -> dict[str, Any]:  # fmt: skip
    """Exact for internal users; otherwise rounded and safe against subtraction. A sensitive
    category hidden at this level is left out of the total, so it cannot be recovered."""
    names = sorted(counts)
    if internal:
        rows = [{"category": n, "value": counts[n], "display": nl(counts[n], 0)} for n in names]
        return {"rows": rows, "total": nl(float(sum(counts.values())), 0), "rounded": False}
    kw: dict[str, Any] = {"source": "meldingen", "classification": classification, "level": level}
    closed = sup.publish_count(0, sensitive=True, **kw).display == sup.HIDDEN
    hidden = [n for n in names if n in sensitive and closed]
    shown = [n for n in names if n not in hidden]
    parts = sup.publish_breakdown([counts[n] for n in shown], **kw)
    cells = dict(zip(shown, parts.parts, strict=True))
    cells |= {n: sup.publish_count(counts[n], sensitive=True, **kw) for n in hidden}
    rows = [{"category": n, "value": cells[n].value, "display": _shown(cells[n]),
             "reason": cells[n].reason} for n in names]  # fmt: skip
    return {"rows": rows, "total": _shown(parts.total), "rounded": True, "partial": bool(hidden)}


def _shown(cell: sup.PublicValue) -> str:
    return nl(float(cell.value), 0) if cell.value is not None else cell.display


def _day(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
