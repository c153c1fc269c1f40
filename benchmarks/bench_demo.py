"""Benchmark: build Demostad (generate + import into a fresh SQLite database).

Prints wall times and the ratio against a baseline measured in the same run: a plain
pandas ``read_csv`` of the same crime file. Run: ``.venv/bin/python benchmarks/bench_demo.py``.
Checks free disk space before writing. Never used as a test assertion.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

MIN_FREE_BYTES = 500 * 1024 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", action="store_true", help="laat de tijdelijke map staan")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vk-bench-"))
    if shutil.disk_usage(work).free < MIN_FREE_BYTES:
        raise SystemExit(f"te weinig vrije schijfruimte in {work} (minimaal 500 MB)")
    os.environ["VK_DATA_DIR"] = str(work)
    os.environ.pop("VK_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veiligheidskaart.settings")
    import django

    django.setup()
    import pandas as pd

    from veiligheidskaart.demo.generator import generate_demostad
    from veiligheidskaart.demo.services import build_demo
    from veiligheidskaart.observations.models import Observation

    started = time.perf_counter()
    generate_demostad(work / "alleen-genereren")
    generate_s = time.perf_counter() - started
    crime_file = work / "alleen-genereren" / "misdrijven" / "47022NED_demostad.csv"
    started = time.perf_counter()
    rows = len(pd.read_csv(crime_file, sep=";", dtype=str))
    baseline_s = time.perf_counter() - started
    started = time.perf_counter()
    build_demo()
    build_s = time.perf_counter() - started
    stored = Observation.objects.count()
    print(f"genereren Demostad:            {generate_s:7.2f} s")
    print(f"baseline pandas read_csv:      {baseline_s:7.2f} s  ({rows:,} rijen 47022NED)")
    print(f"demo bouwen (migrate+import):  {build_s:7.2f} s  ({stored:,} waarnemingen)")
    print(f"verhouding bouwen / baseline:  {build_s / baseline_s:7.1f}x")
    print(f"waarnemingen per seconde:      {stored / build_s:9,.0f}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
