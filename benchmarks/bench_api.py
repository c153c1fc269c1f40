"""Benchmark: API latency under load (gunicorn, 2 workers, PostgreSQL) and /kaart in Chromium.

Municipal: Demostad (``veiligheidskaart demo --no-serve``) in a throwaway PostgreSQL cluster
(``scripts/pg-test.sh``), served by ``veiligheidskaart serve --workers 2``. A thread-pool load
generator on 127.0.0.1 measures p50/p95 and throughput of the map layer (fixed list of
indicators × levels; the ETag/304 path separately), the area profile ``/gebied/<buurt>`` and
the area series; the baseline is the same load on ``/api/v1/`` of the same server, same run.
Then the median of 5 cold loads of ``/kaart`` in headless Chromium until the map is drawn,
against 5 loads of ``/beheer/login/``.
National (``--scale``, default 0.1 of 14,574 buurten): one synthetic gemeente of square
buurten, 24 months × 8 crime codes, imported with ``veiligheidskaart import`` into a second
throwaway cluster (VK_GEMEENTE set to it); the same load is measured. An import step over
5 minutes is stopped and the next smaller scale (÷4) is tried; the summary names the scale
that was measured. Each scenario stops after its request count or 60 s, whichever is first.

    .venv/bin/python benchmarks/bench_api.py [--scale 0.1] [--requests 400] [--concurrency 8]

Checks free disk space before writing. Exits 0 whatever the outcome: a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from common import check_disk, nl, say

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "veiligheidskaart"]
NATIONAL_BUURTEN = 14_574
STEP_BUDGET_S = 300.0
SCENARIO_LIMIT_S = 60.0
BASELINE = "/api/v1/"
MUNICIPAL_INDICATORS = ["misdrijven_totaal", "woninginbraak", "fietsdiefstal", "geweld",
                        "vernieling", "voertuigcriminaliteit", "winkeldiefstal",
                        "drugsoverlast_registratie"]  # fmt: skip
NATIONAL_INDICATORS = MUNICIPAL_INDICATORS[:5]
NATIONAL_CODES = ["0.0.0", "1.1.1", "1.2.3", "1.4.2", "1.4.3", "1.4.4", "1.4.5", "2.2.1"]
MONTHS = [f"{y}MM{m:02d}" for y in (2023, 2024) for m in range(1, 13)]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), response.getheader("ETag") or ""
    finally:
        conn.close()


SERVER_PIDS: dict[int, int] = {}


def server_cpu(port: int) -> float:
    """CPU seconds used so far by the server's master and workers (from /proc)."""
    pids, total = [str(SERVER_PIDS[port])], 0.0
    while pids:
        pid = pids.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            pids += Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


@contextmanager
def server(env: dict[str, str]) -> Iterator[int]:
    """`veiligheidskaart serve --workers 2` on a free loopback port, stopped afterwards."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    # stderr goes to a temporary file: an unread pipe fills up and stalls the server
    log = tempfile.TemporaryFile()  # noqa: SIM115
    process = subprocess.Popen([*CLI, "serve", "--workers", "2", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=log)  # fmt: skip
    SERVER_PIDS[port] = process.pid
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"server gestopt: {log.read().decode(errors='replace')[-2000:]}")
            try:
                if get(port, BASELINE)[0] == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def load(port: int, name: str, paths: list[str], requests: int, concurrency: int,
         etags: dict[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
    """`requests` GETs cycling over `paths`, `concurrency` at a time; stops after the limit."""
    deadline = time.monotonic() + SCENARIO_LIMIT_S

    def one(i: int) -> tuple[float, int] | None:
        if time.monotonic() > deadline:
            return None
        path = paths[i % len(paths)]
        started = time.perf_counter()
        try:
            status = get(port, path, {"If-None-Match": etags[path]} if etags else None)[0]
        except OSError:
            status = 0
        return time.perf_counter() - started, status

    with ThreadPoolExecutor(concurrency) as pool:
        # warm-up: every URL twice, concurrently so that both workers are warm; check answers
        for path, status in set(pool.map(lambda p: (p, get(port, p)[0]), paths * 2)):
            if status != 200:
                say(f"  let op: {path} gaf {status}")
        started, cpu = time.perf_counter(), server_cpu(port)
        done = [r for r in pool.map(one, range(requests)) if r is not None]
    wall, cpu = time.perf_counter() - started, server_cpu(port) - cpu
    times = np.array([t for t, _ in done]) * 1000
    expected = 304 if etags else 200
    row = {"naam": name, "n": len(done), "fouten": sum(s != expected for _, s in done),
           "p50": float(np.percentile(times, 50)), "p95": float(np.percentile(times, 95)),
           "max": float(times.max()), "per_s": len(done) / wall, "cpu": cpu / wall,
           "afgebroken": len(done) < requests}  # fmt: skip
    say(f"  {name:<34} n={row['n']:>4}  p50 {row['p50']:7.1f}  p95 {row['p95']:7.1f}  "
        f"max {row['max']:7.1f} ms  {row['per_s']:6.1f}/s  server-CPU {row['cpu']:.2f} kernen  "
        f"fouten {row['fouten']}"
        + ("  (tijdslimiet bereikt)" if row["afgebroken"] else ""))  # fmt: skip
    return row


def with_ratios(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    base = rows[0]
    say(f"  verhouding t.o.v. de baseline {BASELINE} (p50 {base['p50']:.1f} ms):")
    for row in rows[1:]:
        row["ratio_p50"], row["ratio_p95"] = row["p50"] / base["p50"], row["p95"] / base["p95"]
        say(f"    {row['naam']:<32} p50 {row['ratio_p50']:6.1f}x  p95 {row['ratio_p95']:6.1f}x  "
            f"doorvoer {row['per_s'] / base['per_s']:.3g}x")  # fmt: skip
    return rows


def layer_paths(indicators: list[str], levels: list[str]) -> list[str]:
    return [f"/api/v1/map-layer/?indicator={i}&period=2024&level={lv}"
            for lv in levels for i in indicators]  # fmt: skip


def measure(port: int, indicators: list[str], levels: list[str], args: argparse.Namespace
            ) -> tuple[list[dict[str, Any]], int]:  # fmt: skip
    """Baseline, map layer (1 at a time, then under load, then 304), profile and series."""
    layer = json.loads(get(port, layer_paths(["misdrijven_totaal"], ["buurt"])[0])[1])
    codes = [f["code"] for f in layer["features"]]
    buurten = codes[:: max(1, len(codes) // 12)][:12]
    layers = layer_paths(indicators, levels)
    series = [f"/api/v1/areas/{b}/series/?indicator=misdrijven_totaal" for b in buurten]
    etags = {path: get(port, path)[2] for path in layers}
    n, c = args.requests, args.concurrency
    say(f"Belasting ({n} verzoeken per scenario, {c} tegelijk, 2 gunicorn-workers, "
        f"{nl(len(codes))} buurten; load vooraf {os.getloadavg()[0]:.1f}):")  # fmt: skip
    rows = with_ratios([
        load(port, f"{BASELINE} (baseline)", [BASELINE], n, c),
        load(port, f"kaartlaag, 1 tegelijk ({len(layers)} var.)", layers, max(20, n // 8), 1),
        load(port, f"kaartlaag ({len(layers)} varianten)", layers, n, c),
        load(port, "kaartlaag 304 (If-None-Match)", layers, n, c, etags),
        load(port, f"/gebied/<buurt> ({len(buurten)} buurten)",
             [f"/gebied/{b}" for b in buurten], n, c),
        load(port, "/api/v1/areas/<buurt>/series/", series, n, c),
    ])  # fmt: skip
    return rows, len(codes)


def browser(port: int, loads: int = 5) -> dict[str, float]:
    """Median wall time from navigation start: /kaart until drawn, /beheer/login/ until load."""
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    drawn = "() => { const k = document.querySelector('#kaart[data-feature-count]');" \
            " return k !== null && k.dataset.featureCount !== '0'; }"  # fmt: skip
    out: dict[str, float] = {}
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=CHROMIUM_ARGS)  # fmt: skip
        for name, path, ready in (("kaart", "/kaart", drawn),
                                  ("login", "/beheer/login/", None)):  # fmt: skip
            times = []
            for i in range(loads + 1):  # the first load warms the server; not counted
                context = chromium.new_context()  # fresh: no cache, like a first visit
                page = context.new_page()
                started = time.perf_counter()
                page.goto(base + path, wait_until="load", timeout=60_000)
                if ready:
                    page.wait_for_function(ready, timeout=60_000, polling="raf")
                if i:
                    times.append(time.perf_counter() - started)
                context.close()
            out[name] = float(np.median(times))
            say(f"  {path:<16} mediaan van {loads}: {out[name] * 1000:7.0f} ms  "
                f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")  # fmt: skip
        chromium.close()
    out["ratio"] = out["kaart"] / out["login"]
    say(f"  verhouding /kaart / /beheer/login/: {out['ratio']:.1f}x")
    return out


def run_cli(args: list[str], env: dict[str, str], budget: float) -> float:
    started = time.perf_counter()
    subprocess.run([*CLI, *args], env=env, check=True, timeout=budget,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    return time.perf_counter() - started


def phase_municipal(work: Path, args: argparse.Namespace) -> dict[str, Any]:
    env = dict(os.environ, VK_DATA_DIR=str(work / "demo"))
    env.pop("VK_GEMEENTE", None)
    took = run_cli(["demo", "--no-serve"], env, STEP_BUDGET_S * 2)
    say(f"Demostad gebouwd in PostgreSQL in {took:.0f} s")
    with server(env) as port:
        rows, buurten = measure(port, MUNICIPAL_INDICATORS, ["buurt", "wijk", "stadsdeel"], args)
        say("Kaart tekenen in headless Chromium (koude context per keer):")
        try:
            drawn: dict[str, float] | str = browser(port)
        except Exception as exc:  # noqa: BLE001 - report and go on: a benchmark, not a test
            drawn = f"mislukt: {exc}"[:300]
            say(f"  {drawn}")
    return {"buurten": buurten, "rows": rows, "browser": drawn}


def write_national(folder: Path, n: int, gemeente: str) -> list[tuple[str, Path, list[str]]]:
    """Square buurten (20 per wijk) in RD, Kerncijfers 2023 and 2024, and 47022NED rows."""
    check_disk(folder, n * len(MONTHS) * len(NATIONAL_CODES) * 60 * 2 + n * 2000 + 200_000_000)
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    side, size = int(np.ceil(np.sqrt(n))), 300.0
    codes, features = [], []
    for i in range(n):
        w = i // 20
        wijk = f"{gemeente[2:]}{digits[w // 36]}{digits[w % 36]}"
        code = f"BU{wijk}{i % 20:02d}"
        x, y = 120_000.0 + size * (i % side), 420_000.0 + size * (i // side)
        ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
        codes.append(code)
        features.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                         "properties": {"buurtcode": code, "buurtnaam": f"Buurt {i}",
                                        "wijkcode": f"WK{wijk}", "wijknaam": f"Wijk {w}",
                                        "gemeentecode": gemeente, "gemeentenaam": "Synthetica",
                                        "water": "NEE", "jaar": 2024}})  # fmt: skip
    areas = folder / "buurten.geojson"
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    areas.write_text(json.dumps({"type": "FeatureCollection", "crs": crs, "features": features}))
    rng = np.random.default_rng(20250315)
    people = rng.integers(50, 4000, n)
    files: list[tuple[str, Path, list[str]]] = [("areas", areas, ["--jaar", "2024"])]
    for year in (2023, 2024):
        path = folder / f"kwb_{year}.csv"
        with open(path, "w", encoding="utf-8") as out:
            out.write('"ID";"WijkenEnBuurten";"AantalInwoners_5";"Woningvoorraad_35"\n')
            out.writelines(f'{i};"{c.ljust(10)}";{people[i]};{people[i] // 2}\n'
                           for i, c in enumerate(codes))  # fmt: skip
        files.append(("population", path, ["--jaar", str(year)]))
    crime = folder / "47022NED_synthetisch.csv"
    level = rng.gamma(2.0, 0.5, n) * people / 1000
    with open(crime, "w", encoding="utf-8") as out:
        out.write('"ID";"SoortMisdrijf";"WijkenEnBuurten";"Perioden";'
                  '"GeregistreerdeMisdrijven_1"\n')  # fmt: skip
        ident = 0
        for k, soort in enumerate(NATIONAL_CODES):
            counts = rng.poisson(level[:, None] * (6.0 if k == 0 else 0.5), (n, len(MONTHS)))
            for i, code in enumerate(codes):
                rows = zip(MONTHS, counts[i], strict=True)
                out.writelines(f'{ident + j};"{soort.ljust(6)}";"{code.ljust(10)}";"{m}";{v}\n'
                               for j, (m, v) in enumerate(rows))  # fmt: skip
                ident += len(MONTHS)
    files.append(("crime", crime, ["--gepubliceerd", "2025-03-15"]))
    return files


def phase_national(work: Path, args: argparse.Namespace) -> dict[str, Any]:
    scale, attempt, tried = args.scale, 0, []
    while True:
        n = max(100, round(NATIONAL_BUURTEN * scale))
        gemeente = f"GM90{attempt:02d}"
        folder = work / f"landelijk-{attempt}"
        folder.mkdir(parents=True)
        env = dict(os.environ, VK_DATA_DIR=str(folder), VK_GEMEENTE=gemeente)
        started = time.perf_counter()
        files = write_national(folder, n, gemeente)
        say(f"Synthetische gemeente {gemeente}: {nl(n)} buurten (scale {scale:g}), "
            f"bestanden in {time.perf_counter() - started:.1f} s")  # fmt: skip
        try:
            run_cli(["migrate"], env, STEP_BUDGET_S)
            for kind, path, options in files:
                took = run_cli(["import", kind, str(path), *options], env, STEP_BUDGET_S)
                say(f"  import {kind} {path.name}: {took:.1f} s")
            break
        except subprocess.TimeoutExpired:
            tried.append(scale)
            say(f"  stap duurde langer dan {STEP_BUDGET_S:.0f} s: afgebroken bij scale {scale:g}")
            scale, attempt = scale / 4, attempt + 1
            if n <= 100:
                return {"scale": None, "tried": tried}
    with server(env) as port:
        rows, _ = measure(port, NATIONAL_INDICATORS, ["buurt", "wijk"], args)
    return {"scale": scale, "buurten": n, "tried": tried, "rows": rows}


def summary(municipal: dict[str, Any] | None, national: dict[str, Any] | None) -> None:
    municipal, national = municipal or {}, national or {}
    scale = national.get("scale")
    where = f"landelijk {nl(national['buurten'])} bu." if scale else "landelijk (mislukt)"
    drawn = municipal.get("browser")
    kaart = drawn["kaart"] * 1000 if isinstance(drawn, dict) else None

    def ms(value: float | None) -> str:
        return "niet gemeten" if value is None else f"{nl(value)} ms"

    def line(name: str, target: float | None, p50: float | None, p95: float | None) -> None:
        judged = p95 if p95 is not None else p50
        met = "-" if target is None or judged is None else "ja" if judged < target else "NEE"
        norm = "(geen)" if target is None else "< " + ms(target)
        say(f"{name:<42} {norm:>10} {ms(p50):>13} {ms(p95) if p95 else '-':>13}  {met}")

    say("\nSAMENVATTING (gunicorn 2 workers, PostgreSQL, belasting via 127.0.0.1)")
    say(f"{'onderdeel':<42} {'norm':>10} {'p50/mediaan':>13} {'p95':>13}  gehaald")
    for label, result, prefix, target in (
        ("kaartlaag, Demostad", municipal, "kaartlaag (", 100),
        (f"kaartlaag, {where}", national, "kaartlaag (", 1000),
        ("kaartlaag 1 tegelijk, Demostad", municipal, "kaartlaag, 1", None),
        (f"kaartlaag 1 tegelijk, {where}", national, "kaartlaag, 1", None),
        ("/gebied, Demostad", municipal, "/gebied", None),
        (f"/gebied, {where}", national, "/gebied", None),
    ):
        row = next((r for r in result.get("rows", []) if r["naam"].startswith(prefix)), None)
        line(label, target, row and row["p50"], row and row["p95"])
    line("/kaart getekend, Demostad", 2000, kaart, None)
    if scale:
        say(f"landelijk = scale {scale:g} van {nl(NATIONAL_BUURTEN)} buurten, één gemeente; "
            "kaartlaag 1 tegelijk = zonder wachtrij, ter duiding (geen norm)")  # fmt: skip
    if national.get("tried"):
        say(f"let op: landelijk afgebroken bij scale {national['tried']}; gemeten is de "
            "grootste schaal die wel klaar kwam, niet doorgetrokken")  # fmt: skip


def inner(args: argparse.Namespace) -> None:
    """Runs inside scripts/pg-test.sh (VK_DATABASE_URL set); writes its results as JSON."""
    work = Path(args.werk)
    result = phase_municipal(work, args) if args.fase == "gemeente" else phase_national(work, args)
    Path(args.uit).write_text(json.dumps(result), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)  # fmt: skip
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--fase", choices=["gemeente", "landelijk"], help=argparse.SUPPRESS)
    parser.add_argument("--werk", help=argparse.SUPPRESS)
    parser.add_argument("--uit", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fase:
        return inner(args)
    work = Path(tempfile.mkdtemp(prefix="vk-bench-api-"))
    results: dict[str, dict[str, Any] | None] = {}
    try:
        check_disk(work, 1_000_000_000)
        for fase in ("gemeente", "landelijk"):
            say(f"\n== {fase} ==")
            out = work / f"{fase}.json"
            command = [sys.executable, str(Path(__file__).resolve()), *sys.argv[1:],
                       f"--fase={fase}", f"--werk={work}", f"--uit={out}"]  # fmt: skip
            code = subprocess.run(["bash", str(ROOT / "scripts/pg-test.sh"), *command]).returncode
            results[fase] = json.loads(out.read_text()) if out.exists() else None
            if code:
                say(f"fase {fase} eindigde met code {code}")
        summary(results.get("gemeente"), results.get("landelijk"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
