"""What every report has: its subject, the dataset versions it pins, a methods note, and the
building blocks (paragraphs, tables, figures, interpretation slots) the template lays out.

The content is plain JSON so it can be stored on the report and compared after regeneration.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Indicator
from veiligheidskaart.reports.figures import MAP_SOURCES
from veiligheidskaart.reports.registry import KIND_BY_CODE
from veiligheidskaart.sources.models import Dataset

Progress = Callable[[str, int, int], None]
Block = dict[str, Any]
PUBLIC_CLASSIFICATIONS = ("open", "intern")  # intern: only as rounded counts (suppression)


class ReportInputError(ValueError):
    """A report that cannot exist (unknown period, stadsdeel or gemeente): exit code 2."""


@dataclass(frozen=True)
class Subject:
    """What a report is about: kind, gemeente, period ("2024-H2" or "2024"), maybe a stadsdeel."""

    kind: str
    gemeente: Area
    periode: str
    stadsdeel: Area | None = None

    @property
    def year(self) -> int:
        return int(self.periode[:4])

    @property
    def half(self) -> int | None:
        return int(self.periode[-1]) if "-H" in self.periode else None

    @property
    def period_label(self) -> str:
        return f"{self.half}e halfjaar {self.year}" if self.half else str(self.year)

    @property
    def title(self) -> str:
        name = KIND_BY_CODE[self.kind].name
        where = self.stadsdeel.name if self.stadsdeel else self.gemeente.name
        if self.kind == "stadsdeel":
            return f"{name} {where} {self.year}"
        return f"{name} integrale veiligheid {where} {self.period_label}"


def subject(kind: str, gemeente: Area, periode: str, stadsdeel_code: str = "") -> Subject:
    """Check the period and stadsdeel and name them in the error, for the CLI and the web."""
    if kind not in KIND_BY_CODE:
        raise ReportInputError(f"onbekende rapportsoort '{kind}'")
    pattern = r"\d{4}-H[12]" if kind == "tussenstand" else r"\d{4}"
    if not re.fullmatch(pattern, periode or ""):
        example = "2024-H2" if kind == "tussenstand" else "2024"
        raise ReportInputError(f"onbekende periode '{periode}' voor {kind}; gebruik bijvoorbeeld "
                               f"{example}")  # fmt: skip
    _check_covered(kind, gemeente, periode)
    district = None
    if KIND_BY_CODE[kind].needs_stadsdeel:
        rows = Area.objects.filter(level="stadsdeel", gemeente_code=gemeente.code)
        code = (stadsdeel_code or "").strip()
        district = rows.filter(code=code.upper()).first() or rows.filter(name__iexact=code).first()
        if district is None:
            known = ", ".join(f"{a.code} ({a.name})" for a in rows.order_by("code"))
            raise ReportInputError(f"onbekend stadsdeel '{stadsdeel_code}'; kies uit: {known}")
    return Subject(kind, gemeente, periode, district)


def _check_covered(kind: str, gemeente: Area, periode: str) -> None:
    """The period must lie inside the loaded monthly police figures (the actieplan reports the
    year before its own)."""
    from veiligheidskaart.observations.series import monthly_dataset

    dataset = monthly_dataset(gemeente.code, "misdrijven")
    year = int(periode[:4]) - (1 if kind == "actieplan" else 0)
    half = int(periode[-1]) if "-H" in periode else None
    first, last = (date(year, 6 * half - 5, 1), date(year, 6 * half, 1)) if half else (
        date(year, 1, 1), date(year, 12, 1))  # fmt: skip
    if dataset is None or dataset.period_start is None or dataset.period_end is None:
        raise ReportInputError(f"geen maandcijfers van de politie geladen voor {gemeente.code}")
    if first < dataset.period_start or last > dataset.period_end:
        raise ReportInputError(
            f"onbekende periode '{periode}': de geladen politiecijfers lopen van "
            f"{dataset.period_start:%m-%Y} tot en met {dataset.period_end:%m-%Y}"
        )


def current_datasets(gemeente: Area) -> list[int]:
    """The current, publishable dataset versions that concern the gemeente: what to pin."""
    rows = Dataset.objects.filter(is_current=True, classification__in=PUBLIC_CLASSIFICATIONS)
    rows = rows.filter(Q(area_scope__contains=gemeente.code) | Q(area_scope__in=["NL", ""]))
    return sorted(rows.values_list("pk", flat=True))


def provenance(ids: list[int]) -> list[dict[str, Any]]:
    """Dataset, version, sha256 and publication date of each pinned version."""
    out = []
    for d in Dataset.objects.filter(pk__in=ids).order_by("table_id", "pk"):
        out.append({
            "id": d.pk, "tabel": d.table_id, "uitgever": d.publisher, "soort": d.kind,
            "bestand": d.file_name, "versie": d.version, "sha256": d.sha256,
            "gepubliceerd": d.published_on.isoformat() if d.published_on else "",
            "vintage": d.vintage, "licentie": d.licence, "classificatie": d.classification,
            "periode": _period_text(d.period_start, d.period_end),
        })  # fmt: skip
    return out


def _period_text(first: date | None, last: date | None) -> str:
    """'01-2019 – 02-2025', or one side, or '' when the dataset has no period."""
    parts = [f"{d:%m-%Y}" for d in (first, last) if d is not None]
    return " – ".join(parts)


def main_indicators() -> list[Indicator]:
    """One mapped indicator per theme: the first that is not an activiteit indicator."""
    chosen: dict[str, Indicator] = {}
    for ind in Indicator.objects.filter(source__in=MAP_SOURCES).select_related("theme__veld"):
        current = chosen.get(ind.theme.code)
        if current is None or (current.validity == "activiteit" and ind.validity != "activiteit"):
            chosen[ind.theme.code] = ind
    return list(chosen.values())


def methods(kind: str) -> list[str]:
    """The methods note every report carries."""
    text = [
        "Geregistreerde criminaliteit en overlast komen uit de open data van de politie "
        "(CBS-tabellen 47022NED en 47024NED, maandcijfers). Het zijn registraties: een stijging "
        "kan ook meer aangifte of meer politie-inzet betekenen.",
        "Tarieven zijn per noemer van de indicator (meestal per 1.000 inwoners) en per jaar "
        "blootstelling, zodat halfjaren van 181 en 184 dagen eerlijk vergelijken. Een buurt met "
        "minder dan 200 inwoners krijgt geen zinvol tarief en is gearceerd.",
        "Een verandering is getoetst met een negatief-binomiale toets (spreiding uit ten minste "
        "drie jaar historie) of, met minder historie, de exacte conditionele toets. Een "
        "verandering die niet significant is, heet 'binnen de marge van toeval' en is nooit een "
        "stijging of daling. Een vergelijking over een reeksbreuk heen wordt niet getoetst.",
        "Dit rapport is openbaar: tellingen van meldingen en eigen registraties zijn afgerond op "
        "veelvouden van 5 (onder 5: '<5'), gevoelige thema's staan alleen per wijk, en "
        "vertrouwelijke bronnen en Wpg-gegevens zijn niet gebruikt.",
        "Het rapport legt de gebruikte datasetversies vast (zie Bronnen). Een vastgesteld of "
        "gepubliceerd rapport wordt altijd uit precies die versies berekend, ook als er later "
        "nieuwere cijfers zijn geladen.",
    ]
    if kind in ("tussenstand", "actieplan"):
        text.append(
            "De status van een doel volgt uit de cijfers met de regels van de doelenmodule; "
            "'behaald binnen de marge van toeval' betekent dat het verschil met het streefcijfer "
            "niet significant is."
        )
    return text


def p(text: str) -> Block:
    return {"type": "p", "text": text}


def table(caption: str, head: list[str], rows: list[list[str]],
          numeric: list[bool] | None = None) -> Block:  # fmt: skip
    return {"type": "table", "caption": caption, "head": head, "rows": rows,
            "numeric": numeric or [False] * len(head)}  # fmt: skip


def list_block(items: list[str]) -> Block:
    return {"type": "list", "items": items}


def figure(svg: str, caption: str) -> Block:
    return {"type": "figure", "svg": svg, "caption": caption}


def interpretation(key: str) -> Block:
    return {"type": "duiding", "key": key}


def section(key: str, title: str, blocks: list[Block],
            subsections: list[dict[str, Any]] | None = None) -> dict[str, Any]:  # fmt: skip
    return {"id": key, "title": title, "blocks": blocks, "subsections": subsections or []}


def digest(content: dict[str, Any]) -> str:
    """sha256 of the content in a canonical JSON form."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
