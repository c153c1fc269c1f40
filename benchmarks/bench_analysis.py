"""Benchmark: the full analysis for Demostad, and for a synthetic gemeente table of national size.

Municipal: ``veiligheidskaart analyse`` on a freshly built Demostad (SQLite).
National (``--scale``, default 0.1): rates, EB smoothing, the change family with FDR and the
Gi* hotspots for one indicator over ``scale × 14,574`` buurten × 72 months, on synthetic
gamma-Poisson counts with lattice neighbours. The baseline of both ratios, measured in the
same run, is a naive pandas group-by of the same counts (sum per buurt and year).

    .venv/bin/python benchmarks/bench_analysis.py [--scale 0.1] [--skip-demo]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from datetime import date

import numpy as np
import pandas as pd

NATIONAL_BUURTEN = 14_574
MONTHS = 72


def naive_groupby(counts: np.ndarray) -> float:
    frame = pd.DataFrame({
        "buurt": np.repeat(np.arange(counts.shape[0]), counts.shape[1]),
        "year": np.tile(np.arange(counts.shape[1]) // 12, counts.shape[0]),
        "count": counts.ravel(),
    })  # fmt: skip
    started = time.perf_counter()
    frame.groupby(["buurt", "year"])["count"].sum()
    return time.perf_counter() - started


def national(scale: float) -> None:
    from veiligheidskaart.analysis.change import TimeUnits, change_family, year_on_year
    from veiligheidskaart.analysis.hotspots import gi_star_rates
    from veiligheidskaart.analysis.rates import rates
    from veiligheidskaart.analysis.smoothing import eb_smooth

    n = max(100, round(NATIONAL_BUURTEN * scale))
    side = int(np.ceil(np.sqrt(n)))
    rng = np.random.default_rng(20250315)
    population = rng.integers(100, 5000, n).astype(float)
    level = rng.gamma(4, 1 / 4, n) * population * 0.05 / 12
    counts = rng.poisson(level[:, None] * rng.gamma(8, 1 / 8, (n, MONTHS))).astype(float)
    neighbours = [[j for j in (i - 1, i + 1, i - side, i + side)
                   if 0 <= j < n and (abs(j - i) != 1 or j // side == i // side)]
                  for i in range(n)]  # fmt: skip
    baseline = naive_groupby(counts)
    units = TimeUnits.regular(date(2019, 1, 1), MONTHS)
    started = time.perf_counter()
    year = counts[:, -12:].sum(axis=1)
    rates(year, population)
    eb_smooth(counts[:, -36:].sum(axis=1), population * 3)
    family = change_family(counts, np.repeat(population[:, None], MONTHS, axis=1), units,
                           year_on_year(2024))  # fmt: skip
    gi_star_rates(year, population, neighbours)
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"landelijk (scale {scale}: {n:,} buurten × {MONTHS} maanden, één indicator): "
        f"{took:.1f} s; baseline group-by {baseline:.2f} s; verhouding {took / baseline:.0f}x; "
        f"familie {family.family_size} toetsen ({family.method}); piekgeheugen {peak:,.0f} MB"
    )


def municipal() -> None:
    work = tempfile.mkdtemp(prefix="vk-bench-analyse-")
    os.environ["VK_DATA_DIR"] = work
    os.environ.pop("VK_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veiligheidskaart.settings")
    import django

    django.setup()
    from veiligheidskaart.demo.services import build_demo
    from veiligheidskaart.observations.judge import run_analysis
    from veiligheidskaart.observations.models import Observation
    from veiligheidskaart.sources.writers import preferred_area

    build_demo()
    gemeente = preferred_area("GM9999")
    assert gemeente is not None
    counts = np.array(Observation.objects.filter(granularity="month", dataset__table_id="47022NED")
                      .values_list("value", flat=True), dtype=float)  # fmt: skip
    baseline = naive_groupby(np.nan_to_num(counts).reshape(1, -1)[:, : (counts.size // 12) * 12])
    started = time.perf_counter()
    run = run_analysis(gemeente, force=True)
    took = time.perf_counter() - started
    tests = sum(f["grootte"] for f in run.families)
    print(
        f"Demostad (66 buurten, {len(run.families)} indicatoren, {tests} toetsen): {took:.1f} s; "
        f"baseline group-by {baseline:.2f} s; verhouding {took / baseline:.0f}x"
    )
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--skip-demo", action="store_true")
    args = parser.parse_args()
    if not args.skip_demo:
        municipal()
    national(args.scale)


if __name__ == "__main__":
    main()
