"""Shared, pure pieces of every parser: problems, the parse result, table reading.

Parsers take a file path and options and return a :class:`Parsed`; they never touch
the database. Every problem names the file, the row (as a spreadsheet shows it: the
header is row 1) and the column.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

OBSERVATION_COLUMNS = [
    "source_code", "area_code", "period_start", "granularity", "value",
    "lower", "upper", "sample_size", "status", "row",
]  # fmt: skip
EVENT_COLUMNS = [
    "category", "indicator_code", "occurred_at", "x_rd", "y_rd", "area_code", "source_key", "row",
]  # fmt: skip
KERNCIJFER_COLUMNS = [
    "area_code", "year", "inhabitants", "households", "dwellings", "businesses", "land_area_ha",
    "row",
]  # fmt: skip


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    reason: str

    def line(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.column:
            where.append(f"kolom '{self.column}'")
        return f"{', '.join(where)}: {self.reason}"


class ImportRejected(Exception):
    """The file is rejected whole; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        more = f" (en nog {len(problems) - 1} problemen)" if len(problems) > 1 else ""
        super().__init__(problems[0].line() + more)


@dataclass(frozen=True)
class AreaRecord:
    code: str
    name: str
    level: str
    gemeente_code: str
    parent_code: str | None = None
    wkb: bytes | None = None  # RD New
    is_water: bool = False
    parent_name: str = ""
    gemeente_name: str = ""


@dataclass
class Meta:
    publisher: str
    table_id: str
    area_scope: str = ""
    period_start: date | None = None
    period_end: date | None = None
    vintage: int | None = None
    published_on: date | None = None
    licence: str = ""
    classification: str = "open"
    areas_by_name: bool = False  # regions come as names (StatLine exports)


@dataclass
class Parsed:
    """What a parser found: rows to store, problems, and counted notes for the report."""

    meta: Meta
    observations: pd.DataFrame | None = None
    kerncijfers: pd.DataFrame | None = None
    events: pd.DataFrame | None = None
    areas: list[AreaRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    mismatched_codes: list[str] = field(default_factory=list)
    area_column: str = "gebiedscode"  # the file's own column, named in problems

    def note(self, key: str, count: int = 1) -> None:
        if count:
            self.notes[key] = self.notes.get(key, 0) + count


def sha256_of(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """Decode a text file strictly; recognise the usual wrong inputs with a clear reason."""
    raw = path.read_bytes()
    name = path.name
    if not raw.strip():
        raise ImportRejected([Problem(name, None, None, "het bestand is leeg")])
    if zipfile.is_zipfile(io.BytesIO(raw)):
        raise ImportRejected(
            [Problem(name, None, None, "dit is een zip-archief, geen tekstbestand")]
        )
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ImportRejected([Problem(name, None, None, "het bestand is UTF-16-gecodeerd; "
                                      "sla het op als CSV UTF-8")])  # fmt: skip
    if b"\x00" in raw[:4096]:
        raise ImportRejected([Problem(name, None, None, "dit is een binair bestand, geen tekst")])
    try:
        text = raw.decode(
            "utf-8-sig" if encoding.lower().replace("_", "-") == "utf-8" else encoding
        )
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        raise ImportRejected(
            [Problem(name, row, None, f"tekst is geen geldige {encoding} (verkeerde codering?)")]
        ) from exc
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html")):
        raise ImportRejected([Problem(name, None, None, "dit is een HTML-pagina, geen gegevens")])
    return text


def sniff_separator(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=lambda sep: counts[sep])


def read_table(
    path: Path, required: Iterable[str], encoding: str = "utf-8", separator: str | None = None
) -> pd.DataFrame:
    """Read a delimited file (or an OData JSON download) as strings.

    A required column that is missing rejects the file, naming the column.
    """
    text = read_text(path, encoding)
    if text.lstrip().startswith("{"):
        frame = _odata_frame(text, path.name)
    else:
        sep = separator or sniff_separator(text)
        try:
            frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                                quoting=csv.QUOTE_MINIMAL)  # fmt: skip
        except (pd.errors.ParserError, csv.Error) as exc:
            raise ImportRejected(
                [Problem(path.name, None, None, f"onleesbaar CSV-bestand: {exc}")]
            ) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [col for col in required if resolve_column(frame.columns, col) is None]
    if missing:
        found = ", ".join(frame.columns[:8])
        raise ImportRejected(
            [
                Problem(
                    path.name,
                    1,
                    col,
                    f"kolom ontbreekt (gevonden: {found}; ander scheidingsteken?)",
                )
                for col in missing
            ]
        )
    if frame.empty:
        raise ImportRejected(
            [Problem(path.name, None, None, "het bestand heeft geen gegevensrijen")]
        )
    frame.index = range(2, len(frame) + 2)  # spreadsheet row numbers: the header is row 1
    return frame


def _odata_frame(text: str, name: str) -> pd.DataFrame:
    """An OData v3/v4 JSON page (``{"value": [...]}``) as a frame of strings; null is '.'."""
    import json

    try:
        rows = json.loads(text).get("value")
    except (json.JSONDecodeError, AttributeError) as exc:
        raise ImportRejected([Problem(name, None, None, f"ongeldige JSON: {exc}")]) from exc
    if not isinstance(rows, list):
        raise ImportRejected([Problem(name, None, None, "geen OData-bestand: 'value' ontbreekt")])
    frame = pd.DataFrame(rows, dtype=object)  # object keeps null as None, not NaN
    return frame.apply(lambda col: col.map(lambda v: "." if v is None else str(v)))


EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def read_excel_table(path: Path, required: Iterable[str], date_format: str) -> pd.DataFrame:
    """The first sheet of an Excel file as strings; merged header cells are refused."""
    import openpyxl

    name = path.name
    try:
        book = openpyxl.load_workbook(path, read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a broken or foreign file
        raise ImportRejected(
            [Problem(name, None, None, f"geen leesbaar Excel-bestand: {exc}")]
        ) from exc
    sheet = book.worksheets[0]
    merged = [str(r) for r in sheet.merged_cells.ranges if r.min_row == 1]
    if merged:
        raise ImportRejected([Problem(name, 1, merged[0], "samengevoegde kopcellen; gebruik één "
                                      "kopregel met één naam per kolom")])  # fmt: skip
    rows = [[_cell_text(v, date_format) for v in row] for row in sheet.iter_rows(values_only=True)]
    if not rows or not any(rows[0]):
        raise ImportRejected([Problem(name, None, None, "het werkblad is leeg")])
    frame = pd.DataFrame(rows[1:], columns=[c.strip() for c in rows[0]])
    frame = frame[[c for c in frame.columns if c]]
    missing = [col for col in required if col not in frame.columns]
    if missing:
        raise ImportRejected([Problem(name, 1, col, "kolom ontbreekt") for col in missing])
    if frame.empty:
        raise ImportRejected([Problem(name, None, None, "het bestand heeft geen gegevensrijen")])
    frame.index = range(2, len(frame) + 2)
    return frame


def _cell_text(value: object, date_format: str) -> str:
    from datetime import datetime

    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(date_format)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def resolve_column(columns: Iterable[str], name: str) -> str | None:
    """A column by exact name, or by CBS name prefix (``AantalInwoners`` → ``AantalInwoners_5``)."""
    columns = list(columns)
    if name in columns:
        return name
    prefixed = [
        c for c in columns if c.rsplit("_", 1)[0] == name and c.rsplit("_", 1)[-1].isdigit()
    ]
    return prefixed[0] if len(prefixed) == 1 else None


def parse_counts(
    series: pd.Series, file: str, column: str, problems: list[Problem]
) -> tuple[pd.Series, pd.Series]:
    """CBS count cells → (float values, status). '.' is secret, blank not applicable."""
    numeric = pd.to_numeric(series, errors="coerce")  # the fast path: plain numbers
    status = pd.Series("final", index=series.index, dtype=object)
    odd = numeric.isna()
    if odd.any():
        text = series[odd].astype(str).str.strip()
        status[text.index[text == "."]] = "secret"
        status[text.index[text == ""]] = "not_applicable"
        starred = text.str.endswith("*")
        status[text.index[starred]] = "provisional"  # '*' and '**': (nader) voorlopig
        text = text.str.rstrip("*")
        rest = text[(text != ".") & (text != "")]
        numeric[rest.index] = pd.to_numeric(
            rest.str.replace(",", ".", regex=False), errors="coerce"
        )
    bad = status.isin(["final", "provisional"]) & numeric.isna()
    for row in series.index[bad][:1000]:
        problems.append(Problem(file, int(row), column, f"geen getal: '{series[row]}'"))
    negative = numeric < 0
    for row in series.index[negative.fillna(False)][:1000]:
        problems.append(Problem(file, int(row), column, f"negatief aantal: {series[row]}"))
    return numeric.astype(float), status
