"""Helpers shared by the parsers: area codes, period columns, duplicate keys."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd

from veiligheidskaart.sources.parsing import Problem
from veiligheidskaart.sources.periods import PeriodError, is_incomplete_month, parse_period

AREA_PREFIXES = ("NL", "GM", "WK", "BU", "SD", "FG")
# Wijk and buurt parts are alphanumeric in some gemeenten (Amsterdam: BU0363AA01).
AREA_CODE = re.compile(r"^(NL\d{2}|GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")
BUURT_CODE = re.compile(r"^BU\d{4}[0-9A-Z]{4}$")


def map_unique(series: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """Apply ``func`` once per distinct value: large CBS tables repeat few keys many times."""
    lookup = {value: func(value) for value in series.unique()}
    return series.map(lookup)


def strip(series: pd.Series) -> pd.Series:
    return map_unique(series, lambda v: v.strip() if isinstance(v, str) else v)


def gemeente_of(code: str) -> str:
    """The gemeente code an area code belongs to ('' for the country).

    >>> gemeente_of("BU01530301"), gemeente_of("WK015303"), gemeente_of("NL00")
    ('GM0153', 'GM0153', '')
    """
    if code.startswith(("WK", "BU", "SD", "FG")):
        return "GM" + code[2:6]
    return code if code.startswith("GM") else ""


def level_of(code: str) -> str:
    return {"NL": "land", "GM": "gemeente", "WK": "wijk", "BU": "buurt", "SD": "stadsdeel",
            "FG": "focusgebied"}.get(code[:2], "")  # fmt: skip


def check_area_codes(codes: pd.Series, file: str, column: str, problems: list[Problem]) -> None:
    bad = ~map_unique(codes, lambda c: bool(AREA_CODE.match(c))).astype(bool)
    for row in codes.index[bad][:1000]:
        problems.append(Problem(file, int(row), column, f"onbekende gebiedscode '{codes[row]}'"))


def parse_period_column(
    periods: pd.Series, file: str, column: str, problems: list[Problem]
) -> tuple[pd.Series, pd.Series]:
    """Vectorised over the distinct codes: (start dates, granularities); bad codes → problems."""
    lookup: dict[str, tuple[date | None, str | None]] = {}
    for code in periods.unique():
        try:
            lookup[code] = parse_period(code)
        except PeriodError:
            lookup[code] = (None, None)
    starts = periods.map({code: parsed[0] for code, parsed in lookup.items()})
    grains = periods.map({code: parsed[1] for code, parsed in lookup.items()})
    for row in periods.index[starts.isna()][:1000]:
        problems.append(Problem(file, int(row), column, f"onbekende periodecode '{periods[row]}'"))
    return starts, grains


def mark_incomplete(frame: pd.DataFrame, published: date | None) -> int:
    """Flag months within two months of the publication date as incomplete."""
    if published is None:
        return 0
    months = frame["granularity"] == "month"
    late = months & map_unique(
        frame["period_start"],
        lambda start: start is not None and is_incomplete_month(start, published),
    ).astype(bool)
    late &= frame["status"].isin(["final", "provisional"])
    frame.loc[late, "status"] = "incomplete"
    return int(late.sum())


def check_duplicate_keys(
    frame: pd.DataFrame, key: list[str], file: str, column: str, problems: list[Problem]
) -> pd.DataFrame:
    """Exact duplicate rows are dropped; the same key with another value is a problem."""
    dupes = frame.duplicated(key, keep=False)
    if not dupes.any():
        return frame
    groups = frame[dupes].groupby(key, sort=False, dropna=False)
    for _, group in groups:
        values = group["value"]
        differs = values.ne(values.iloc[0]) & ~(values.isna() & pd.isna(values.iloc[0]))
        if differs.any():
            problems.append(
                Problem(
                    file,
                    int(group["row"][differs].iloc[0]),
                    column,
                    f"dubbele sleutel met andere waarde dan rij {group['row'].iloc[0]}",
                )
            )
    return frame[~frame.duplicated(key, keep="first")]


def scope_of(area_codes: pd.Series) -> str:
    gemeenten = sorted({gemeente_of(c) for c in area_codes.unique()} - {""})
    if not gemeenten:
        return "NL00"
    return ",".join(gemeenten) if len(gemeenten) <= 3 else "NL"


def option_date(options: dict[str, Any], key: str) -> date | None:
    value = options.get(key)
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
