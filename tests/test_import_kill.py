"""A kill -9 in the middle of a large import leaves the database as it was; a re-run succeeds.

Runs against a database of its own (a SQLite file, or a fresh database in the same
PostgreSQL cluster), because the import runs in a separate process that gets killed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.helpers import write_buurten

pytestmark = pytest.mark.django_db
COUNTS = (
    "import json; from django.apps import apps; "
    "print(json.dumps({m._meta.label: m.objects.count() for a in "
    "('areas', 'sources', 'observations') for m in apps.get_app_config(a).get_models()}))"
)


def _big_crime_file(path: Path) -> Path:
    """2 buurten × 58 codes × 200 years of months: ~280,000 rows."""
    from veiligheidskaart.catalogue.codes import SOORT_MISDRIJF

    lines = ['"ID";"SoortMisdrijf";"WijkenEnBuurten";"Perioden";"GeregistreerdeMisdrijven_1"\n']
    n = 0
    for code in SOORT_MISDRIJF[1:]:
        for buurt in ("BU99900000", "BU99900001"):
            for year in range(1901, 2101):
                for month in range(1, 13):
                    lines.append(f'{n};"{code.padded}";"{buurt}";"{year}MM{month:02d}";{n % 7}\n')
                    n += 1
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def own_database(tmp_path):
    """Environment for subprocesses that use a database of their own."""
    env = {k: v for k, v in os.environ.items() if k != "VK_DATABASE_URL"}
    env["VK_DATA_DIR"] = str(tmp_path / "data")
    if connection.vendor != "postgresql":
        yield env
        return
    import psycopg

    settings = connection.settings_dict
    server = f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT']}"
    name = f"vk_kill_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    env["VK_DATABASE_URL"] = f"{server}/{name}"
    yield env
    _wait_for_backends_gone(server, name)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")


def _wait_for_backends_gone(server: str, name: str, seconds: float = 30) -> None:
    """After a kill -9 the server notices the lost client only after a moment."""
    import psycopg

    deadline = time.monotonic() + seconds
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        while time.monotonic() < deadline:
            row = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                                [name]).fetchone()  # fmt: skip
            if row is not None and row[0] == 0:
                return
            time.sleep(0.2)
    raise AssertionError(f"de gedode backend op {name} is na {seconds} s nog niet weg")


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "veiligheidskaart", *args], env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip


def _counts(env: dict[str, str]) -> dict[str, int]:
    code = "import django; django.setup(); " + COUNTS
    env = dict(env, DJANGO_SETTINGS_MODULE="veiligheidskaart.settings")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True)  # fmt: skip
    return json.loads(out.stdout)


def test_kill_9_after_progress_leaves_database_unchanged(own_database, tmp_path):
    env = own_database
    assert _cli(env, "migrate").returncode == 0
    areas = write_buurten(tmp_path / "buurten.geojson")
    assert _cli(env, "import", "areas", str(areas)).returncode == 0
    before = _counts(env)
    crime = _big_crime_file(tmp_path / "groot.csv")
    process = subprocess.Popen(
        [sys.executable, "-m", "veiligheidskaart", "import", "crime", str(crime)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stderr is not None
    for line in process.stderr:
        if "opslaan:" in line and "(100%)" not in line:  # the N-th progress line, mid-way
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "het importproces is niet halverwege gedood"
    if connection.vendor == "postgresql":
        server, name = env["VK_DATABASE_URL"].rsplit("/", 1)
        _wait_for_backends_gone(server, name)
    assert _counts(env) == before
    rerun = _cli(env, "import", "crime", str(crime))
    assert rerun.returncode == 0, rerun.stderr
    after = _counts(env)
    assert after["observations.Observation"] == before["observations.Observation"] + 58 * 2 * 2400
