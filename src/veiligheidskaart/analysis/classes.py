"""Class breaks for choropleths (mapclassify), on the meaningful values only.

>>> b = class_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], k=5)
>>> b.upper_bounds
(2.8, 4.6, 6.4, 8.2, 10.0)
>>> b.classify([1, 5, 10, float("nan")]).tolist()
[0, 2, 4, -1]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray


@dataclass(frozen=True)
class ClassBreaks:
    method: str
    lower_bound: float
    upper_bounds: tuple[float, ...]

    def classify(self, values: ArrayLike) -> NDArray[np.int64]:
        """Class index per value; -1 for NaN."""
        v = np.asarray(values, dtype=float)
        idx = np.searchsorted(np.asarray(self.upper_bounds), v, side="left")
        idx = np.minimum(idx, len(self.upper_bounds) - 1)
        return np.where(np.isnan(v), -1, idx).astype(np.int64)


def class_breaks(values: ArrayLike, k: int = 5, method: str = "quantiles") -> ClassBreaks:
    import mapclassify

    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return ClassBreaks(method, 0.0, (0.0,))
    k = max(1, min(k, np.unique(v).size))
    classifier = (
        mapclassify.NaturalBreaks(v, k=k)
        if method == "natural_breaks"
        else mapclassify.Quantiles(v, k=k)
    )
    bounds = tuple(round(float(b), 10) for b in classifier.bins)
    return ClassBreaks(method, float(v.min()), bounds)
