"""The figures sections of each report kind, built from a Subject and pinned dataset ids.

Policy content (priorities, goals, actions) comes from ``reports.policy_sections``, which reads
the policy app's queries; this module holds what the data alone says.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from veiligheidskaart.catalogue.models import Indicator, Veiligheidsveld
from veiligheidskaart.reports import content as c
from veiligheidskaart.reports.figures import (
    Change,
    Scope,
    area_map,
    gemeente_buurten,
    indicator_change,
    unit_text,
    yearly_chart,
)

CHANGE_HEAD = ["Indicator (tarief per)", "Aantal", "Een jaar eerder", "Tarief", "Verandering"]
CHANGE_NUMERIC = [False, True, True, True, False]


def gemeente_scope(subject: c.Subject, pinned: frozenset[int]) -> Scope:
    return Scope(subject.gemeente, tuple(gemeente_buurten(subject.gemeente)), pinned,
                 subject.gemeente.name, "gemeente")  # fmt: skip


def stadsdeel_scope(subject: c.Subject, pinned: frozenset[int]) -> Scope:
    district = subject.stadsdeel
    assert district is not None
    buurten = [b for b in gemeente_buurten(subject.gemeente) if b.stadsdeel_id == district.pk]
    return Scope(subject.gemeente, tuple(buurten), pinned, district.name, "stadsdeel",
                 district.code)  # fmt: skip


def change_rows(changes: Sequence[Change]) -> list[list[str]]:
    return [
        [f"{ch.indicator.name} ({ch.unit})", ch.count, ch.reference_count, ch.rate, ch.sentence]
        for ch in changes
    ]


def changes_for(scope: Scope, indicators: Sequence[Indicator], year: int, half: int | None,
                progress: c.Progress | None = None) -> list[Change]:  # fmt: skip
    out = []
    for i, ind in enumerate(indicators):
        if progress:
            progress("cijfers berekenen", i, len(indicators))
        change = indicator_change(scope, ind, year, half)
        if change is not None:
            out.append(change)
    return out


def summary_lines(changes: Sequence[Change], where: str, period: str) -> list[str]:
    """Counts of significant rises and falls, and the total crime figure, in plain Dutch."""
    rises = [ch.indicator.name.lower() for ch in changes if ch.sentence.startswith("significant g")]
    falls = [ch.indicator.name.lower() for ch in changes if ch.sentence.startswith("significant d")]
    out = []
    total = next((ch for ch in changes if ch.indicator.code == "misdrijven_totaal"), None)
    if total is not None:
        out.append(
            f"In {where} zijn in {period} {total.count} misdrijven geregistreerd "
            f"({total.reference_count} in {total.reference_label}): {total.sentence}."
        )
    out.append(
        f"Van de {len(changes)} indicatoren zijn er {len(rises)} significant gestegen"
        + (f" ({', '.join(rises)})" if rises else "")
        + f" en {len(falls)} significant gedaald"
        + (f" ({', '.join(falls)})" if falls else "")
        + "; de overige veranderingen vallen binnen de marge van toeval of zijn niet getoetst."
    )
    return out


def jaarmonitor(subject: c.Subject, pinned: frozenset[int], progress: c.Progress,
                bbv: list[c.Block]) -> tuple[list[str], list[dict[str, Any]]]:  # fmt: skip
    """Per veiligheidsveld: each theme's figures with significance wording and a map; then the
    BBV indicators (``bbv``, from the policy snapshot)."""
    scope, year = gemeente_scope(subject, pinned), subject.year
    indicators = c.main_indicators()
    changes = changes_for(scope, indicators, year, None, progress)
    sections = []
    for veld in Veiligheidsveld.objects.order_by("order"):
        mine = [ch for ch in changes if ch.indicator.theme.veld_id == veld.pk]
        if not mine:
            continue
        blocks = [c.table(f"{veld.name}: {year} tegenover {year - 1}", CHANGE_HEAD,
                          change_rows(mine), CHANGE_NUMERIC)]  # fmt: skip
        lead = mine[0].indicator
        made = area_map(scope, lead, str(year), f"kaart-{veld.code}")
        if made is not None:
            blocks.append(c.figure(*made))
        blocks.append(c.interpretation(f"veld-{veld.code}"))
        sections.append(c.section(f"veld-{veld.code}", veld.name, blocks))
    sections.append(c.section("bbv", "BBV-indicatoren", bbv))
    summary = summary_lines(changes, subject.gemeente.name, str(year))
    return summary, sections


def figures_section(scope: Scope, year: int, half: int | None, period: str, key: str,
                    progress: c.Progress) -> tuple[list[Change], dict[str, Any]]:  # fmt: skip
    """A section with every theme's figures for the scope and a map and chart of all crime."""
    changes = changes_for(scope, c.main_indicators(), year, half, progress)
    label = f"{year}-H{half}" if half else str(year)
    blocks = [c.table(f"Cijfers {scope.label}, {period}", CHANGE_HEAD, change_rows(changes),
                      CHANGE_NUMERIC)]  # fmt: skip
    total = Indicator.objects.select_related("theme").filter(code="misdrijven_totaal").first()
    if total is not None:
        only = [scope.district_code] if scope.district_code else ()
        made = area_map(scope, total, label, f"kaart-{key}", only)
        if made is not None:
            blocks.append(c.figure(*made))
        chart = yearly_chart(scope, total, year, f"grafiek-{key}")
        if chart is not None:
            caption = f"Geregistreerde misdrijven in {scope.label}, {unit_text(total)}, per jaar."
            blocks.append(c.figure(chart, caption))
    blocks.append(c.interpretation(key))
    return changes, c.section(key, f"Cijfers {scope.label}", blocks)
