"""Effect *indication* of an action: buurten of the action, a buffer ring, the rest as control.

The target is every buurt of the action's areas; the buffer ring is the buurten that touch
the target; the control is the rest of the gemeente. The months after the start (up to six,
complete months only) are compared with the same months one year earlier, so the season is
the same. The numbers come from ``analysis.displacement``; the page calls it an indicatie.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from veiligheidskaart.analysis.displacement import DisplacementResult, displacement
from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Indicator
from veiligheidskaart.observations.series import monthly_series
from veiligheidskaart.policy.models import Action

MAX_MONTHS = 6
MIN_MONTHS = 3
MONTHS_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


@dataclass(frozen=True)
class EffectIndication:
    indicator: Indicator | None
    target: list[Area]
    buffer: list[Area]
    control_size: int
    before: str  # Dutch period labels
    after: str
    result: DisplacementResult | None
    reason: str  # why there is no result, else ""


def _month(d: date, add: int) -> date:
    n = d.year * 12 + d.month - 1 + add
    return date(n // 12, n % 12 + 1, 1)


def _label(first: date, last: date) -> str:
    return f"{MONTHS_NL[first.month - 1]} {first.year} – {MONTHS_NL[last.month - 1]} {last.year}"


def main_indicator(action: Action) -> Indicator | None:
    """The first police indicator of the action's themes that is not an activiteit one."""
    for theme in action.themes.all():
        rows = Indicator.objects.filter(theme=theme, source__in=("misdrijven", "overlast"))
        chosen = rows.exclude(validity="activiteit").first() or rows.first()
        if chosen is not None:
            return chosen
    return None


def target_buurten(action: Action, buurten: list[Area]) -> list[Area]:
    ids = set()
    for area in action.areas.all():
        if area.level == "gemeente":
            return []  # city-wide: nothing to compare with
        key = {"stadsdeel": "stadsdeel_id", "wijk": "parent_id", "buurt": "pk"}.get(area.level)
        if key:
            ids |= {b.pk for b in buurten if getattr(b, key) == area.pk}
    return [b for b in buurten if b.pk in ids]


def buffer_ring(target: list[Area], buurten: list[Area]) -> list[Area]:
    """Buurten outside the target that share a boundary or a corner with it."""
    shapes = [t.geometry() for t in target]
    inside = {t.pk for t in target}
    ring = []
    for b in buurten:
        geom = b.geometry()
        if b.pk in inside or geom is None:
            continue
        if any(s is not None and s.intersects(geom) for s in shapes):
            ring.append(b)
    return ring


def effect_indication(action: Action) -> EffectIndication:
    indicator = main_indicator(action)
    buurten = list(Area.objects.filter(level="buurt", gemeente_code=action.gemeente_code,
                                       geometry_rd__isnull=False).order_by("code"))  # fmt: skip
    target = target_buurten(action, buurten)
    empty = EffectIndication(indicator, target, [], 0, "", "", None, "")
    if indicator is None:
        return _without(empty, "De thema's van deze actie hebben geen politiecijfers per maand.")
    if not target:
        return _without(
            empty, "Alleen een actie in een stadsdeel, wijk of buurt is te vergelijken."
        )
    ring = buffer_ring(target, buurten)
    start = date(action.start.year, action.start.month, 1)
    series = monthly_series(indicator, buurten, _month(start, -12), _month(start, MAX_MONTHS - 1))
    if series is None:
        return _without(empty, "Er zijn geen maandcijfers geladen.")
    counts = series.counts
    keep = ~np.all(np.isnan(counts), axis=1)  # areas secret in every month drop out
    usable = ~np.any(np.isnan(counts[keep]), axis=0)
    after = [m for m in range(MAX_MONTHS) if usable[12 + m] and usable[m]]
    after = after[: next((i for i, m in enumerate(after) if m != i), len(after))]
    if len(after) < MIN_MONTHS:
        return _without(
            empty, f"Er zijn nog geen {MIN_MONTHS} volledige maanden na de start ({start:%m-%Y})."
        )
    index = {a.pk: i for i, a in enumerate(series.areas)}

    def total(group: list[Area], months: list[int]) -> float:
        rows = [index[a.pk] for a in group if keep[index[a.pk]]]
        return float(np.nansum(counts[np.ix_(rows, months)])) if rows else 0.0

    ring_ids = {a.pk for a in ring} | {a.pk for a in target}
    control = [b for b in buurten if b.pk not in ring_ids]
    before_m, after_m = after, [12 + m for m in after]
    result = displacement((total(target, before_m), total(target, after_m)),
                          (total(ring, before_m), total(ring, after_m)),
                          (total(control, before_m), total(control, after_m)))  # fmt: skip
    last = after[-1]
    return EffectIndication(
        indicator, target, ring, len(control), _label(_month(start, -12), _month(start, last - 12)),
        _label(start, _month(start, last)), result, "",
    )  # fmt: skip


def _without(base: EffectIndication, reason: str) -> EffectIndication:
    return EffectIndication(base.indicator, base.target, base.buffer, 0, "", "", None, reason)
