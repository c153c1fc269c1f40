"""Benchmark: import a synthetic police crime table of national size (47022NED layout).

The table has the buurten of the CBS 85984NED code list (from ../shared when present, else
synthetic codes) × 72 months × every SoortMisdrijf code. ``--scale`` takes that share of the
buurten (default 0.1, a tenth of national size). The same file is read with a plain pandas
``read_csv`` as the baseline of the ratio, measured in the same run.

    .venv/bin/python benchmarks/bench_import.py [--scale 0.1] [--backend sqlite|postgresql|both]

``both`` (the default) runs SQLite here and PostgreSQL in a throwaway cluster through
``scripts/pg-test.sh``. Free disk space is checked before writing.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
NATIONAL_BUURTEN = 14_574
MONTHS = [f"{y}MM{m:02d}" for y in range(2019, 2025) for m in range(1, 13)]
BYTES_PER_ROW = 48


def buurt_codes(count: int) -> list[str]:
    shared = Path(os.environ.get("VK_SHARED_DIR", ROOT.parent / "shared"))
    codelist = shared / "data/population/kwb_2024/85984NED_bevolking_buurten_2024.csv"
    if codelist.exists():
        import pandas as pd

        codes = pd.read_csv(codelist, dtype=str)["nhood_id"].str.strip().tolist()
        return codes[:count]
    return [f"BU{g:04d}{b:04d}" for g in range(1, 400) for b in range(100)][:count]


def write_files(work: Path, scale: float) -> tuple[Path, Path, int]:
    from veiligheidskaart.catalogue.codes import SOORT_MISDRIJF, YEARLY_GEMEENTE_ONLY

    codes = [c for c in SOORT_MISDRIJF if c.code not in YEARLY_GEMEENTE_ONLY]
    buurten = buurt_codes(max(1, round(NATIONAL_BUURTEN * scale)))
    rows = len(buurten) * len(MONTHS) * len(codes)
    need = rows * BYTES_PER_ROW * 2
    free = shutil.disk_usage(work).free
    if free < need:
        raise SystemExit(
            f"te weinig schijfruimte: {need / 1e9:.1f} GB nodig, {free / 1e9:.1f} GB vrij"
        )
    codelist = work / "codelijst.csv"
    with open(codelist, "w", encoding="utf-8") as out:
        out.write('"Key","Title","Description","Municipality","DetailRegionCode"\n')
        gemeenten = sorted({"GM" + b[2:6] for b in buurten})
        wijken = sorted({"WK" + b[2:8] for b in buurten})
        for code in ["NL00", *gemeenten, *wijken, *buurten]:
            out.write(
                f'"{code.ljust(10)}","{code}",,"{"GM" + code[2:6] if code != "NL00" else ""}",""\n'
            )
    crime = work / "47022NED_nationaal.csv"
    rng = np.random.default_rng(20250315)
    with open(crime, "w", encoding="utf-8") as out:
        out.write(
            '"ID";"SoortMisdrijf";"WijkenEnBuurten";"Perioden";"GeregistreerdeMisdrijven_1"\n'
        )
        ident = 0
        for code in codes:
            lam = max(code.national_rate_per_1000 * 1.0 / 12, 0.01)
            for buurt in buurten:
                counts = rng.poisson(lam, len(MONTHS))
                lines = [
                    f'{ident + i};"{code.padded}";"{buurt.ljust(10)}";"{m}";{c}\n'
                    for i, (m, c) in enumerate(zip(MONTHS, counts, strict=True))
                ]
                out.writelines(lines)
                ident += len(lines)
    return codelist, crime, rows


def run_backend(codelist: Path, crime: Path, rows: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veiligheidskaart.settings")
    import django

    django.setup()
    import pandas as pd
    from django.core.management import call_command
    from django.db import connection

    from veiligheidskaart.sources.services import import_dataset

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    pd.read_csv(crime, sep=";", dtype=str)
    baseline = time.perf_counter() - started
    import_dataset("codelist", codelist, {"jaar": 2024})
    started = time.perf_counter()
    result = import_dataset("crime", crime, {"gepubliceerd": "2025-03-15"})
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    national_rows = rows * NATIONAL_BUURTEN / max(1, round(rows / len(MONTHS) / 55))
    print(
        f"[{connection.vendor}] {result.rows:,} rijen in {took:.1f} s "
        f"= {result.rows / took:,.0f} rijen/s; baseline pandas read_csv {baseline:.1f} s; "
        f"verhouding import/baseline {took / baseline:.1f}x; piekgeheugen {peak:,.0f} MB; "
        f"lineair doorgetrokken naar heel NL ({national_rows:,.0f} rijen): "
        f"{took * national_rows / result.rows / 60:.1f} min (niet gemeten)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vk-bench-import-"))
    try:
        started = time.perf_counter()
        codelist, crime, rows = write_files(work, args.scale)
        print(
            f"bestand geschreven: {rows:,} rijen, {crime.stat().st_size / 1e6:,.0f} MB "
            f"in {time.perf_counter() - started:.1f} s (scale {args.scale})",
            flush=True,
        )
        run = [sys.executable, "-c", _RUN, str(codelist), str(crime), str(rows)]
        if args.backend in ("sqlite", "both"):
            env = dict(os.environ, VK_DATA_DIR=str(work / "sqlite"))
            env.pop("VK_DATABASE_URL", None)
            subprocess.run(run, env=env, check=True)
        if args.backend in ("postgresql", "both"):
            env = dict(os.environ, VK_DATA_DIR=str(work / "pg"))
            subprocess.run(["bash", str(ROOT / "scripts/pg-test.sh"), *run], env=env, check=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


_RUN = (
    f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
    "from pathlib import Path; from bench_import import run_backend; "
    "run_backend(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))"
)

if __name__ == "__main__":
    main()
