"""The import write path: one service, one transaction, all-or-nothing and idempotent.

``import_dataset(kind, path)`` parses the file (pure parsers), resolves area codes
against what is loaded, and writes one new dataset version, or nothing when the same
file is already current. Every rejected file raises :class:`ImportRejected` and
leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from veiligheidskaart.sources import writers
from veiligheidskaart.sources.models import Dataset
from veiligheidskaart.sources.parsers.areas import parse_areas
from veiligheidskaart.sources.parsers.benchmark import (
    looks_like_benchmark,
    parse_benchmark,
    parse_benchmark_typed,
)
from veiligheidskaart.sources.parsers.codelists import parse_codelist, parse_stadsdelen
from veiligheidskaart.sources.parsers.events import parse_meldingen, parse_records
from veiligheidskaart.sources.parsers.national import (
    parse_benchmark_geojson,
    parse_national,
    sniff_layout,
)
from veiligheidskaart.sources.parsers.police import parse_crime, parse_overlast
from veiligheidskaart.sources.parsers.population import parse_population
from veiligheidskaart.sources.parsers.survey import parse_monitor, parse_panel
from veiligheidskaart.sources.parsing import ImportRejected, Parsed, Problem, sha256_of

Progress = Callable[[str, int, int], None]


def _crime(path: Path, options: dict[str, Any]) -> Parsed:
    layout = sniff_layout(path) if path.is_file() else ""
    if layout == "benchmark-geojson":
        return parse_benchmark_geojson(path, options)
    if layout == "national":
        return parse_national(path, options)
    benchmark = looks_like_benchmark(path)
    if benchmark == "typed":
        return parse_benchmark_typed(path, options)
    if benchmark == "statline":
        return parse_benchmark(path, options)
    return parse_crime(path, options)


def _overlast(path: Path, options: dict[str, Any]) -> Parsed:
    if path.is_file() and sniff_layout(path) == "national":
        return parse_national(path, options | {"soort": "overlast"})
    return parse_overlast(path, options)


PARSERS: dict[str, Callable[[Path, dict[str, Any]], Parsed]] = {
    "areas": parse_areas,
    "codelist": parse_codelist,
    "stadsdelen": parse_stadsdelen,
    "population": parse_population,
    "crime": _crime,
    "overlast": _overlast,
    "survey": parse_monitor,
    "panel": parse_panel,
    "meldingen": parse_meldingen,
    "records": parse_records,
}


@dataclass(frozen=True)
class ImportResult:
    dataset_id: int
    changed: bool
    version: int
    rows: int
    notes: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)


def import_dataset(
    kind: str,
    path: Path,
    options: dict[str, Any] | None = None,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one file of one kind; raises ImportRejected (nothing written) on bad input."""
    if kind not in PARSERS:
        raise ImportRejected(
            [
                Problem(
                    path.name,
                    None,
                    None,
                    f"onbekende soort '{kind}'; kies uit {', '.join(PARSERS)}",
                )
            ]
        )
    if not path.is_file():
        raise ImportRejected([Problem(str(path), None, None, "bestand niet gevonden")])
    options = dict(options or {})
    report = progress or (lambda stage, done, total: None)
    report("lezen", 0, 1)
    parsed = PARSERS[kind](path, options)
    report("lezen", 1, 1)
    sha = sha256_of([path])
    with transaction.atomic():
        writers.resolve_areas(parsed, options, path.name)
        rejected = list(parsed.problems)
        if rejected and not skip_invalid:
            raise ImportRejected(rejected)
        writers.drop_rejected_rows(parsed, rejected)
        dataset, changed = _new_version(kind, parsed, path, sha, writers.row_count(parsed))
        if not changed:
            return ImportResult(
                dataset.pk,
                False,
                dataset.version,
                dataset.row_count,
                dataset.report.get("notes", {}),
                [],
                rejected,
            )
        rows = writers.write(kind, dataset, parsed, report)
        dataset.row_count = rows
        dataset.report = {
            "notes": parsed.notes,
            "warnings": parsed.warnings[:200],
            "rejected": [p.line() for p in rejected[:1000]],
            "codes_zonder_geometrie": parsed.mismatched_codes[:2000],
            "options": {k: str(v) for k, v in options.items()},
        }
        dataset.save(update_fields=["row_count", "report"])
    return ImportResult(
        dataset.pk, True, dataset.version, rows, parsed.notes, parsed.warnings, rejected
    )


def _new_version(
    kind: str, parsed: Parsed, path: Path, sha: str, rows: int
) -> tuple[Dataset, bool]:
    """The same file with the same rows to store is no change; otherwise a new version."""
    meta = parsed.meta
    period = f"{meta.period_start or ''}..{meta.period_end or ''}"
    if kind in ("areas", "codelist", "stadsdelen"):
        period = str(meta.vintage or "onbekend")
    series_key = "|".join([meta.publisher, meta.table_id, meta.area_scope, period])[:200]
    current = (
        Dataset.objects.select_for_update().filter(series_key=series_key, is_current=True).first()
    )
    if current is not None and current.sha256 == sha and current.row_count == rows:
        return current, False
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    dataset = Dataset.objects.create(
        series_key=series_key, kind=kind, publisher=meta.publisher, table_id=meta.table_id,
        area_scope=meta.area_scope[:40], period_start=meta.period_start, period_end=meta.period_end,
        version=(current.version + 1) if current else 1, supersedes=current, is_current=True,
        vintage=meta.vintage, published_on=meta.published_on, licence=meta.licence, sha256=sha,
        classification=meta.classification, file_name=path.name[:255],
    )  # fmt: skip
    return dataset, True
