"""THE public suppression rule: every public count goes through here (pages, API, CSV, reports,
reason sentences).

Rules (DESIGN §6):

1. Classification ``vertrouwelijk`` or ``wpg`` (or an unknown one) is never public: "x".
2. A sensitive theme (huiselijk geweld, verwarde personen, jeugd) is public per wijk and
   coarser levels only (wijk, stadsdeel, gemeente, land); a buurt or focusgebied gets "x".
3. Police open data (sources ``misdrijven``, ``overlast``, ``benchmark`` with classification
   ``open``) are already published by CBS: shown exactly.
4. Every other count (meldingen, own sources) is rounded *independently* to the nearest
   multiple of 5, and 0–4 is shown as "<5" (so 0 is not told apart from 1–4).
5. Subtraction: where parts are published beside their total, :func:`publish_breakdown`
   checks what a reader can infer from the displays and the rounding rule (each "x" cell is
   an unknown count ≥ 0). If the figures would prove that a "<5" cell holds a record (lower
   bound > 0) or that it holds none (upper bound < 1), that cell and the smallest published
   part (or, if none is left, the total) are hidden as "x". An "x" cell has no upper bound,
   so afterwards every small cell can be both 0 and positive. Rounding alone does not ensure
   this: parts 7, 12 and 4 with total 23 show as 5, 10, "<5" and 25, which proves the hidden
   part is 4.

Display texts are machine-neutral ("1235", "<5", "x" hidden, "." no data); pages format
``value`` in Dutch. A rate derived from a hidden count must not be published either.

>>> publish_count(12, source="meldingen", classification="intern", level="buurt").display
'10'
>>> publish_count(3, source="meldingen", classification="intern", level="buurt").display
'<5'
>>> publish_count(1234, source="misdrijven", classification="open", level="buurt").display
'1234'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

EXACT_SOURCES = frozenset({"misdrijven", "overlast", "benchmark"})  # CBS police open data
PUBLIC_CLASSIFICATIONS = frozenset({"open", "intern"})  # "intern": only as rounded counts
SENSITIVE_LEVELS = frozenset({"land", "gemeente", "stadsdeel", "wijk"})
SMALL = "<5"
HIDDEN = "x"
MISSING = "."

REASON_ROUNDED = "afgerond op een veelvoud van 5"
REASON_SMALL = "minder dan 5"
REASON_SENSITIVE = "gevoelig thema: alleen per wijk gepubliceerd"
REASON_CLOSED = "niet openbaar ({classification})"
REASON_COMPLEMENT = "afgeschermd om terugrekenen te voorkomen"
REASON_MISSING = "geen gegevens"


@dataclass(frozen=True)
class PublicValue:
    """What may be shown: ``value`` is None when hidden; ``reason`` None when exact."""

    value: int | None
    display: str
    reason: str | None

    @property
    def hidden(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class PublicCounts:
    """Vectorised :class:`PublicValue`: ``value`` is NaN where hidden."""

    value: NDArray[np.float64]
    display: tuple[str, ...]
    reason: tuple[str | None, ...]
    index: tuple[object, ...] | None = None

    def to_frame(self) -> pd.DataFrame:
        """Columns value (nullable Int64), display and reason, on the input's index."""
        frame = pd.DataFrame(
            {
                "value": pd.array(
                    [None if math.isnan(v) else int(v) for v in self.value], dtype="Int64"
                ),
                "display": list(self.display),
                "reason": list(self.reason),
            }
        )
        if self.index is not None:
            frame.index = pd.Index(list(self.index))
        return frame


@dataclass(frozen=True)
class PublicBreakdown:
    """Parts and their total after independent rounding and complementary suppression."""

    parts: tuple[PublicValue, ...]
    total: PublicValue
    complementary: tuple[int, ...]  # positions hidden only to protect others; -1 = total


def publish_count(
    value: float | None,
    *,
    source: str,
    classification: str,
    level: str,
    sensitive: bool = False,
) -> PublicValue:
    """One count, ready for any public output.

    Parameters
    ----------
    value : float or None
        The count (None or NaN: no data).
    source : str
        Source kind as in ``catalogue.registry.Source`` (``misdrijven``, ``meldingen``, ...).
    classification : str
        Dataset classification: ``open``, ``intern``, ``vertrouwelijk`` or ``wpg``.
    level : str
        Area level: ``buurt``, ``wijk``, ``stadsdeel``, ``gemeente``, ``land``, ...
    sensitive : bool
        The theme is sensitive (published per wijk only).

    Returns
    -------
    PublicValue

    Examples
    --------
    >>> publish_count(7, source="eigen", classification="open", level="wijk")
    PublicValue(value=5, display='5', reason='afgerond op een veelvoud van 5')
    >>> publish_count(40, source="meldingen", classification="intern", level="buurt",
    ...               sensitive=True).display
    'x'
    >>> publish_count(40, source="eigen", classification="wpg", level="gemeente").reason
    'niet openbaar (wpg)'
    """
    closed = _closed_reason(classification, level, sensitive)
    if closed is not None:
        return PublicValue(None, HIDDEN, closed)
    if value is None or not math.isfinite(value):
        return PublicValue(None, MISSING, REASON_MISSING)
    if value < 0:
        raise ValueError(f"negative count {value}")
    if _is_exact(source, classification):
        exact = int(round(value))
        return PublicValue(exact, str(exact), None)
    count = int(round(value))
    if count < 5:
        return PublicValue(None, SMALL, REASON_SMALL)
    rounded = 5 * ((count + 2) // 5)
    return PublicValue(rounded, str(rounded), REASON_ROUNDED)


def publish_counts(
    values: ArrayLike | pd.Series,
    *,
    source: str,
    classification: str,
    level: str,
    sensitive: bool = False,
) -> PublicCounts:
    """Vectorised :func:`publish_count` for an array or Series (its index is kept).

    Examples
    --------
    >>> r = publish_counts([0, 4, 5, 7, 8, 12, 13, float("nan")], source="meldingen",
    ...                    classification="intern", level="wijk")
    >>> r.display
    ('<5', '<5', '5', '5', '10', '10', '15', '.')
    """
    if isinstance(values, pd.Series):
        index: tuple[object, ...] | None = tuple(values.index)
        v = values.to_numpy(dtype=float, na_value=np.nan)
    else:
        index, v = None, np.asarray(values, dtype=float).ravel()
    n = v.size
    closed = _closed_reason(classification, level, sensitive)
    if closed is not None:
        return PublicCounts(np.full(n, np.nan), (HIDDEN,) * n, (closed,) * n, index)
    finite = np.isfinite(v)
    if np.any(v[finite] < 0):
        raise ValueError("negative count")
    count = np.where(finite, np.round(v), np.nan)
    if _is_exact(source, classification):
        shown = count
        reason: list[str | None] = [None if ok else REASON_MISSING for ok in finite]
    else:
        shown = np.where(count >= 5, 5 * np.floor((count + 2) / 5), np.nan)
        reason = [
            REASON_MISSING if not ok else (REASON_SMALL if c < 5 else REASON_ROUNDED)
            for ok, c in zip(finite, count, strict=True)
        ]
    display = tuple(
        str(int(s)) if not math.isnan(s) else (SMALL if ok else MISSING)
        for s, ok in zip(shown, finite, strict=True)
    )
    return PublicCounts(shown.astype(float), display, tuple(reason), index)


def publish_breakdown(
    parts: Sequence[float],
    total: float | None = None,
    *,
    source: str,
    classification: str,
    level: str,
    sensitive: bool = False,
) -> PublicBreakdown:
    """Parts of a total published together, safe against subtraction.

    ``total`` defaults to the sum of the parts; a total that also holds unplaced records is
    treated as if it were the exact sum (the attacker then knows more, so this is safe).

    Examples
    --------
    Total 23 with parts 7, 12 and 4 would show 25 = 5 + 10 + "<5" and prove the hidden 4:

    >>> b = publish_breakdown([7, 12, 4], source="meldingen", classification="intern",
    ...                       level="wijk")
    >>> [p.display for p in b.parts], b.total.display, b.complementary
    (['x', '10', 'x'], '25', (0,))
    """
    kw = {"source": source, "classification": classification, "level": level}
    cells = [publish_count(p, sensitive=sensitive, **kw) for p in parts]
    true_total = float(np.nansum(np.asarray(parts, dtype=float))) if total is None else total
    total_cell = publish_count(true_total, sensitive=sensitive, **kw)
    if _is_exact(source, classification) or total_cell.display in (HIDDEN, MISSING):
        return PublicBreakdown(tuple(cells), total_cell, ())
    small = {i for i, c in enumerate(cells) if c.display == SMALL}
    complementary: list[int] = []
    while unsafe := _unsafe_cells(cells, total_cell, small):
        for i in unsafe:
            cells[i] = PublicValue(None, HIDDEN, REASON_COMPLEMENT)
        shown = [i for i, c in enumerate(cells) if not c.hidden]
        if shown:
            j = min(shown, key=lambda i: (float(parts[i]), i))
            cells[j] = PublicValue(None, HIDDEN, REASON_COMPLEMENT)
            complementary.append(j)
        else:
            total_cell = PublicValue(None, HIDDEN, REASON_COMPLEMENT)
            complementary.append(-1)
    return PublicBreakdown(tuple(cells), total_cell, tuple(complementary))


def cell_bounds(cell: PublicValue) -> tuple[float, float]:
    """What a reader can infer about a rounded count from its display (integer counts).

    Examples
    --------
    >>> kw = {"source": "meldingen", "classification": "intern", "level": "wijk"}
    >>> [cell_bounds(publish_count(v, **kw)) for v in (3, 6, 11)]
    [(0.0, 4.0), (5.0, 7.0), (8.0, 12.0)]
    """
    if cell.display == SMALL:
        return 0.0, 4.0
    if cell.value is None:
        return 0.0, math.inf
    if cell.reason is None:
        return float(cell.value), float(cell.value)
    low = 5.0 if cell.value == 5 else cell.value - 2.0
    return low, cell.value + 2.0


def _unsafe_cells(cells: list[PublicValue], total: PublicValue, small: set[int]) -> list[int]:
    """Small parts whose bounds, given the total and the other parts, exclude 0 or all of 1+."""
    lo, hi = zip(*(cell_bounds(c) for c in cells), strict=True) if cells else ((), ())
    t_lo, t_hi = cell_bounds(total)
    unsafe = []
    for i in sorted(small):
        others_hi = math.fsum(h for j, h in enumerate(hi) if j != i)
        others_lo = math.fsum(x for j, x in enumerate(lo) if j != i)
        if t_lo - others_hi > 0 or t_hi - others_lo < 1:
            unsafe.append(i)
    return unsafe


def _closed_reason(classification: str, level: str, sensitive: bool) -> str | None:
    if classification not in PUBLIC_CLASSIFICATIONS:
        return REASON_CLOSED.format(classification=classification)
    if sensitive and level not in SENSITIVE_LEVELS:
        return REASON_SENSITIVE
    return None


def _is_exact(source: str, classification: str) -> bool:
    return source in EXACT_SOURCES and classification == "open"
