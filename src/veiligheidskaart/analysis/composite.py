"""Sub-indices and the wijk-level composite index (relative: 100 = the gemeente in a base year).

Each input is a smoothed rate per wijk with its event count. A sub-index is the weighted
geometric mean of the wijk's rates against the gemeente's rates of the base year, times 100,
capped at 200 (a log scale: 200 means twice the base level). The band comes from the Poisson
variance of the log rates (1 / count, delta method). The composite combines the sub-indices
with weights that are data; the sub-indices are always reported beside it.

>>> import pandas as pd
>>> rates = pd.DataFrame({"a": [2.0, 1.0], "b": [4.0, 1.0]}, index=["W1", "W2"])
>>> counts = pd.DataFrame({"a": [100, 50], "b": [400, 100]}, index=["W1", "W2"])
>>> r = sub_index(rates, counts, base={"a": 1.0, "b": 1.0}, weights={"a": 1, "b": 1})
>>> [round(float(x), 1) for x in r.index_value]
[200.0, 100.0]
>>> round(float(r.uncapped[0]), 1)
282.8
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

CAP = 200.0
Z95 = 1.959963984540054


@dataclass(frozen=True)
class IndexResult:
    """Per wijk (``areas``): the capped index, its 95% band, the uncapped value, and which
    inputs were missing (re-weighted, never filled)."""

    areas: tuple[str, ...]
    index_value: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    uncapped: np.ndarray
    missing: tuple[tuple[str, ...], ...]
    label: str = "relatief: 100 = gemeentelijk niveau in het basisjaar"


def sub_index(rates: pd.DataFrame, counts: pd.DataFrame, base: Mapping[str, float],
              weights: Mapping[str, float]) -> IndexResult:  # fmt: skip
    """Weighted geometric mean of rate / base rate, × 100, capped at 200."""
    columns = [c for c in rates.columns if c in base and base[c] > 0 and weights.get(c, 0) > 0]
    r = rates[columns].to_numpy(dtype=float)
    n = counts.reindex(index=rates.index, columns=columns).to_numpy(dtype=float)
    w = np.array([weights[c] for c in columns], dtype=float)
    b = np.array([base[c] for c in columns], dtype=float)
    ok = np.isfinite(r) & (r > 0)
    logs = np.where(ok, np.log(np.where(ok, r, 1.0) / b), 0.0)
    total = ok.astype(float) @ w
    mean = np.where(total > 0, (logs @ w) / np.where(total > 0, total, 1.0), np.nan)
    var_terms = np.where(ok & (n > 0), 1.0 / np.where(n > 0, n, 1.0), 0.0)
    se = np.sqrt(var_terms @ (w**2)) / np.where(total > 0, total, 1.0)
    uncapped = 100 * np.exp(mean)
    missing = tuple(
        tuple(c for c, good in zip(columns, row, strict=True) if not good) for row in ok
    )
    return IndexResult(
        areas=tuple(rates.index.astype(str)),
        index_value=np.minimum(uncapped, CAP),
        lower=np.minimum(100 * np.exp(mean - Z95 * se), CAP),
        upper=np.minimum(100 * np.exp(mean + Z95 * se), CAP),
        uncapped=uncapped,
        missing=missing,
    )


def composite(subs: Mapping[str, IndexResult], weights: Mapping[str, float]) -> IndexResult:
    """The composite of sub-indices (same wijken, same order), by the same geometric rule.

    >>> import numpy as np
    >>> a = IndexResult(("W1",), np.array([150.0]), np.array([140.0]), np.array([160.0]),
    ...                 np.array([150.0]), ((),))
    >>> b = IndexResult(("W1",), np.array([100.0]), np.array([90.0]), np.array([110.0]),
    ...                 np.array([100.0]), ((),))
    >>> round(float(composite({"objectief": a, "subjectief": b},
    ...                       {"objectief": 1, "subjectief": 1}).index_value[0]), 1)
    122.5
    """
    names = [k for k in subs if weights.get(k, 0) > 0]
    first = subs[names[0]]
    values = np.column_stack([np.log(subs[k].uncapped / 100) for k in names])
    spread = np.column_stack([
        (np.log(np.maximum(subs[k].upper, 1e-9)) - np.log(np.maximum(subs[k].lower, 1e-9)))
        / (2 * Z95) for k in names
    ])  # fmt: skip
    w = np.array([weights[k] for k in names], dtype=float)
    ok = np.isfinite(values)
    total = ok.astype(float) @ w
    mean = np.where(
        total > 0, (np.where(ok, values, 0.0) @ w) / np.where(total > 0, total, 1), np.nan
    )
    se = np.sqrt(np.where(ok, spread, 0.0) ** 2 @ w**2) / np.where(total > 0, total, 1)
    uncapped = 100 * np.exp(mean)
    missing = tuple(tuple(k for k, good in zip(names, row, strict=True) if not good) for row in ok)
    lower = np.minimum(100 * np.exp(mean - Z95 * se), CAP)
    upper = np.minimum(100 * np.exp(mean + Z95 * se), CAP)
    return IndexResult(first.areas, np.minimum(uncapped, CAP), lower, upper, uncapped, missing)
