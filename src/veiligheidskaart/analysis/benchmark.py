"""The home gemeente's rank among a fixed peer list, with an interval by Poisson resampling.

Rank 1 is the lowest rate: the "safest" gemeente on *registered* crime, which also reflects
reporting and police activity. The interval comes from a parametric bootstrap: every
gemeente's count is redrawn as Poisson(observed count), the rates and the home rank are
recomputed, and the 2.5% and 97.5% quantiles of the ranks form the 95% interval. Ties
count in the home gemeente's favour (rank = 1 + the number of peers strictly lower), so a
rank never depends on the order of the list. A fixed seed makes the result repeatable.

>>> r = peer_rank("A", {"A": 50, "B": 100, "C": 150}, {"A": 1000, "B": 1000, "C": 1000})
>>> r.rank, r.of, r.rate
(1, 3, 50.0)
>>> r.lower, r.upper
(1, 1)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

RESAMPLES = 2000
SEED = 20031


@dataclass(frozen=True)
class PeerRank:
    code: str
    rank: int  # 1 = lowest rate
    of: int  # number of gemeenten ranked, the home gemeente included
    rate: float  # per ``per`` inhabitants
    lower: int  # 95% interval of the rank
    upper: int
    top_probability: dict[int, float]  # P(rank <= k) for k = 1, 3, 5


def _rank(rates: np.ndarray, home: int) -> np.ndarray:
    """Rank of column ``home`` in each row (1 + number strictly lower)."""
    return np.asarray(1 + (rates < rates[..., home : home + 1]).sum(axis=-1))


def peer_rank(
    home: str,
    counts: Mapping[str, float],
    population: Mapping[str, float],
    per: float = 1000.0,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> PeerRank:
    """Rank of ``home`` among the gemeenten in ``counts`` (home included).

    ``counts`` are registered crimes in one year, ``population`` the inhabitants. Gemeenten
    without a positive population are left out.
    """
    codes = [c for c in counts if population.get(c, 0) > 0 and np.isfinite(counts[c])]
    if home not in codes:
        raise ValueError(f"{home} heeft geen telling of inwonertal")
    idx = codes.index(home)
    c = np.array([float(counts[k]) for k in codes])
    p = np.array([float(population[k]) for k in codes])
    rates = per * c / p
    rank = int(_rank(rates, idx))
    rng = np.random.default_rng(seed)
    drawn = per * rng.poisson(c, size=(resamples, len(codes))) / p
    ranks = _rank(drawn, idx)
    lower, upper = (int(x) for x in np.quantile(ranks, [0.025, 0.975], method="inverted_cdf"))
    tops = {k: float((ranks <= k).mean()) for k in (1, 3, 5)}
    return PeerRank(home, rank, len(codes), float(rates[idx]), lower, upper, tops)
