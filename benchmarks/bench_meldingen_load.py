"""Benchmark: 10,000 meldingen through Open311 POST from 50 concurrent clients, nothing lost.

Demostad (``veiligheidskaart demo --no-serve``) in a throwaway PostgreSQL cluster
(``scripts/pg-test.sh``), served by ``veiligheidskaart serve --workers 2`` with the rate
limits raised (``VK_RATE_LIMIT_FACTOR``). The load generator (threads, one connection per
request, on 127.0.0.1) sends form-encoded ``POST /open311/v2/requests.json`` with the demo's
API key, a category from ``services.json`` and a point inside a random buurt. Then it counts:
accepted (201 with a tracking code) against the rows stored with those codes, lost (accepted
but not stored), server errors (5xx, connection failures, tracebacks in the server log).
Printed: throughput and p50/p95/max latency of the submissions, and of a baseline measured in
the same run against the same server (``GET /open311/v2/services.json``), with the ratios.

    .venv/bin/python benchmarks/bench_meldingen_load.py [--n 10000 | --scale 1.0]
                                                        [--concurrency 50]

Checks free disk space first. The server's stderr goes to a file, never to an unread pipe.
Exits 0 whatever the outcome: a benchmark, not a test (the outcome is printed).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import numpy as np
from common import check_disk, nl, say

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "veiligheidskaart"]
BASE_N = 10_000
BASELINE = "/open311/v2/services.json"
SUBMIT = "/open311/v2/requests.json"


def request(port: int, method: str, path: str, body: str = "") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        conn.request(method, path, body=body.encode() if body else None, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@contextmanager
def server(env: dict[str, str], log_path: Path) -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    log = open(log_path, "wb")  # noqa: SIM115 - stderr to a file: an unread pipe stalls it
    process = subprocess.Popen([*CLI, "serve", "--workers", "2", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=log)  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"server gestopt: {log_path.read_text(errors='replace')[-2000:]}"
                )
            try:
                if request(port, "GET", BASELINE)[0] == 200:
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


def points(port: int, count: int, rng: random.Random) -> list[tuple[float, float]]:
    """Random points inside Demostad's buurten (land only), from the public areas API."""
    import shapely
    from shapely.geometry import shape

    status, body = request(port, "GET", "/api/v1/areas/?level=buurt")
    assert status == 200, body[:300]
    shapes = [shape(f["geometry"]) for f in json.loads(body)["features"]]
    out = []
    while len(out) < count:
        polygon = rng.choice(shapes)
        minx, miny, maxx, maxy = polygon.bounds
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if polygon.contains(shapely.Point(lon, lat)):
            out.append((lat, lon))
    return out


def run_load(port: int, bodies: list[str], method: str, path: str, concurrency: int
             ) -> tuple[list[tuple[float, int, bytes]], float]:  # fmt: skip
    def one(body: str) -> tuple[float, int, bytes]:
        started = time.perf_counter()
        try:
            status, content = request(port, method, path, body)
        except OSError as exc:
            status, content = 0, str(exc).encode()
        return time.perf_counter() - started, status, content

    with ThreadPoolExecutor(concurrency) as pool:
        started = time.perf_counter()
        results = list(pool.map(one, bodies))
    return results, time.perf_counter() - started


def stats(name: str, results: list[tuple[float, int, bytes]], wall: float) -> dict[str, Any]:
    times = np.array([t for t, _, _ in results]) * 1000
    statuses = dict(Counter(s for _, s, _ in results))
    row = {"naam": name, "n": len(results), "p50": float(np.percentile(times, 50)),
           "p95": float(np.percentile(times, 95)), "max": float(times.max()),
           "per_s": len(results) / wall, "statussen": statuses}  # fmt: skip
    say(f"  {name:<30} n={row['n']:>6}  p50 {row['p50']:7.1f}  p95 {row['p95']:7.1f}  "
        f"max {row['max']:8.1f} ms  {row['per_s']:7.1f}/s  statussen {statuses}")  # fmt: skip
    return row


def stored(codes: list[str]) -> int:
    """Rows in the database with these tracking codes (Django on the same database)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veiligheidskaart.settings")
    import django

    django.setup()
    from veiligheidskaart.meldingen.models import Melding

    found = 0
    for i in range(0, len(codes), 1000):
        found += Melding.objects.filter(tracking_code__in=codes[i : i + 1000]).count()
    return found


def inner(args: argparse.Namespace) -> None:
    """Runs inside scripts/pg-test.sh (VK_DATABASE_URL set)."""
    work = Path(args.werk)
    n = args.n or round(BASE_N * args.scale)
    env = dict(os.environ, VK_DATA_DIR=str(work), VK_RATE_LIMIT_FACTOR="1000000")
    os.environ.update(VK_DATA_DIR=str(work), VK_RATE_LIMIT_FACTOR="1000000")
    started = time.perf_counter()
    subprocess.run([*CLI, "demo", "--no-serve"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    say(f"Demostad op PostgreSQL gebouwd in {time.perf_counter() - started:.0f} s")
    created = subprocess.run([*CLI, "apikey", "create", "belastingstest"], env=env, check=True,
                             capture_output=True, text=True)  # fmt: skip
    key = created.stdout.strip().splitlines()[-1]
    rng = random.Random(20261204)
    log_path = work / "server-stderr.log"
    with server(env, log_path) as port:
        services = json.loads(request(port, "GET", BASELINE)[1])
        codes = [s["service_code"] for s in services]
        bodies = [
            urlencode({"api_key": key, "service_code": rng.choice(codes), "lat": f"{lat:.6f}",
                       "long": f"{lon:.6f}", "description": f"Belastingstest {i}"})
            for i, (lat, lon) in enumerate(points(port, n, rng))
        ]  # fmt: skip
        # warm-up: both workers answer (and build the routing tree) before the clock starts
        run_load(port, ["" for _ in range(20)], "GET", BASELINE, 10)
        say(f"Belasting: {nl(n)} meldingen via Open311, {args.concurrency} clients tegelijk, "
            f"2 gunicorn-workers, PostgreSQL; load vooraf {os.getloadavg()[0]:.1f}")  # fmt: skip
        baseline_results, baseline_wall = run_load(
            port, ["" for _ in range(max(500, n // 5))], "GET", BASELINE, args.concurrency
        )
        results, wall = run_load(port, bodies, "POST", SUBMIT, args.concurrency)
    base = stats(f"GET {BASELINE} (baseline)", baseline_results, baseline_wall)
    submit = stats(f"POST {SUBMIT}", results, wall)
    accepted = []
    for _, status, content in results:
        if status == 201:
            accepted.append(json.loads(content)[0]["service_request_id"])
    in_db = stored(accepted)
    log = log_path.read_text(errors="replace")
    server_errors = sum(1 for _, s, _ in results + baseline_results if s >= 500 or s == 0)
    tracebacks = log.count("Traceback")
    ratios = (submit["p50"] / base["p50"], submit["p95"] / base["p95"],
              submit["per_s"] / base["per_s"])  # fmt: skip
    say(
        "  verhouding t.o.v. de baseline: p50 {:.1f}x, p95 {:.1f}x, doorvoer {:.2f}x".format(
            *ratios
        )
    )
    lost = len(accepted) - in_db
    say(f"\nSAMENVATTING: verstuurd {nl(n)}, geaccepteerd {nl(len(accepted))}, "
        f"opgeslagen {nl(in_db)}, verloren {lost}, serverfouten {server_errors} "
        f"(5xx of geen antwoord), tracebacks in serverlog {tracebacks}")  # fmt: skip
    ok = len(accepted) == n and lost == 0 and server_errors == 0 and tracebacks == 0
    say("  resultaat: " + ("geaccepteerd = opgeslagen = verstuurd, 0 verloren, 0 serverfouten"
                           if ok else "NIET GEHAALD"))  # fmt: skip
    if tracebacks:
        say(log[log.index("Traceback") :][:3000])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)  # fmt: skip
    parser.add_argument("--n", type=int, default=0, help=f"aantal meldingen (standaard {BASE_N})")
    parser.add_argument("--scale", type=float, default=1.0, help=f"n = scale × {BASE_N}")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--werk", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.werk:
        return inner(args)
    work = Path(tempfile.mkdtemp(prefix="vk-bench-meldingen-"))
    try:
        check_disk(work, 2_000_000_000)
        command = [sys.executable, str(Path(__file__).resolve()), *sys.argv[1:], f"--werk={work}"]
        code = subprocess.run(["bash", str(ROOT / "scripts/pg-test.sh"), *command]).returncode
        if code:
            say(f"benchmark eindigde met code {code}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
