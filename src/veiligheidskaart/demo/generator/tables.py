"""Publication of a CountTable in the police CSV layout of 47022NED and 47024NED.

Areas run gemeente, then each wijk followed by its buurten; periods run per year:
the year row `YYYYJJ00` first, then its months `YYYYMMnn` (no year row for 2025).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from veiligheidskaart.catalogue.codes import TOTAL_CODE

from .counts import CountTable
from .model import GEMEENTE_CODE, MONTHS, YEARS, City, IntArray
from .writer import quote, write_lines

SECRET = "."


@dataclass(frozen=True)
class Published:
    """Counts per area (gemeente, wijken, buurten in file order), per code incl. the total."""

    areas: tuple[str, ...]
    codes: tuple[str, ...]  # TOTAL_CODE first
    monthly: IntArray  # (n_areas, n_codes, n_months), true values
    secret: np.ndarray  # (n_areas, n_codes) bool


def publish(table: CountTable, city: City) -> Published:
    membership = city.membership()
    buurt_counts = table.counts
    wijk_counts = np.einsum("wb,bcm->wcm", membership, buurt_counts)
    gemeente = wijk_counts.sum(axis=0) + table.unplaced
    order = [GEMEENTE_CODE]
    rows = [gemeente]
    secret_rows = [np.zeros(len(table.codes), dtype=np.bool_)]
    for w, wijk in enumerate(city.wijken):
        order.append(wijk.code)
        rows.append(wijk_counts[w])
        secret_rows.append(np.zeros(len(table.codes), dtype=np.bool_))
        for code in wijk.buurtcodes:
            b = city.buurt_index(code)
            order.append(code)
            rows.append(buurt_counts[b])
            secret_rows.append(table.secret[b])
    per_code = np.stack(rows)
    # The total counts every type, the hidden ones included.
    monthly = np.concatenate([per_code.sum(axis=1, keepdims=True), per_code], axis=1)
    secret = np.concatenate(
        [np.zeros((len(order), 1), dtype=np.bool_), np.stack(secret_rows)], axis=1
    )
    return Published(tuple(order), (TOTAL_CODE, *table.codes), monthly.astype(np.int64), secret)


def periods() -> list[tuple[str, list[int]]]:
    """(period code, month indices that add up to it), in file order."""
    result: list[tuple[str, list[int]]] = []
    for year in sorted({y for y, _ in MONTHS}):
        idx = [i for i, (y, _) in enumerate(MONTHS) if y == year]
        if year in YEARS:
            result.append((f"{year}JJ00", idx))
        result.extend((f"{year}MM{MONTHS[i][1]:02d}", [i]) for i in idx)
    return result


def year_totals(published: Published, code: str = TOTAL_CODE) -> dict[int, IntArray]:
    """True yearly totals per area for one code."""
    c = published.codes.index(code)
    return {
        year: published.monthly[:, c, [i for i, (y, _) in enumerate(MONTHS) if y == year]].sum(
            axis=1
        )
        for year in YEARS
    }


def write_police_table(
    path: Path, table: CountTable, published: Published, dimension: str, measure: str
) -> None:
    header = ";".join(quote(h) for h in ("ID", dimension, "WijkenEnBuurten", "Perioden", measure))
    plan = periods()
    period_values = np.stack(
        [published.monthly[:, :, idx].sum(axis=2) for _, idx in plan], axis=2
    )  # (areas, codes, periods)
    lines = [header]
    counter = 0
    for c, code in enumerate(published.codes):
        code_field = quote(code.ljust(6))
        hidden = code in table.hidden
        for a, area in enumerate(published.areas):
            if hidden and area != GEMEENTE_CODE:
                continue
            prefix = f"{code_field};{quote(area.ljust(10))};"
            secret = bool(published.secret[a, c])
            for p, (period, _) in enumerate(plan):
                if hidden and "JJ" not in period:
                    continue
                value = SECRET if secret else str(int(period_values[a, c, p]))
                lines.append(f"{counter};{prefix}{quote(period)};{value}")
                counter += 1
    write_lines(path, lines)
