"""Build Demostad through the user's own path: generate files, then import them.

Idempotent: the generator writes the same bytes for the same seed, so a second run
finds every file already current and changes no row.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command

from veiligheidskaart.accounts.services import create_user
from veiligheidskaart.areas.models import Area

DEMO_ADMIN = "demo-beheerder"
Progress = Callable[[str, int, int], None]

# After the import and the analysis, each app seeds its own demo content, in this order:
# every module has ``seed(gemeente_code: str, progress: Progress) -> None``, idempotent.
DEMO_SEEDS: tuple[str, ...] = (
    "veiligheidskaart.meldingen.demo",
    "veiligheidskaart.policy.demo",
    "veiligheidskaart.reports.demo",
    "veiligheidskaart.accounts.demo",
)


@dataclass(frozen=True)
class DemoSummary:
    data_dir: Path
    buurten: int
    datasets_new: int
    datasets_unchanged: int
    admin_username: str
    admin_password: str


def demo_dir() -> Path:
    return Path(settings.VK_DATA_DIR) / "demostad"


def build_demo(progress: Progress | None = None, seed: int | None = None) -> DemoSummary:
    from veiligheidskaart.demo.generator import generate_demostad
    from veiligheidskaart.sources.services import import_dataset

    report = progress or (lambda stage, done, total: None)
    call_command("migrate", interactive=False, verbosity=0)
    out = demo_dir()
    report("bestanden genereren", 0, 1)
    generate_demostad(out, **({"seed": seed} if seed is not None else {}))
    report("bestanden genereren", 1, 1)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["bestanden"]
    new = unchanged = 0
    for i, entry in enumerate(files):
        options = dict(entry.get("opties", {}))
        if "mapping" in options:
            options["mapping"] = str(out / options["mapping"])
        report(f"importeren {entry['pad']}", i, len(files))
        result = import_dataset(entry["soort"], out / entry["pad"], options, progress=report)
        new, unchanged = new + result.changed, unchanged + (not result.changed)
    report("importeren", len(files), len(files))
    _analyse(manifest["gemeente"], report)
    password = _demo_admin()
    for module in DEMO_SEEDS:
        import_module(module).seed(manifest["gemeente"], report)
    buurten = Area.objects.filter(level="buurt", gemeente_code=manifest["gemeente"]).count()
    return DemoSummary(out, buurten, new, unchanged, DEMO_ADMIN, password)


def _analyse(gemeente_code: str, report: Progress) -> None:
    """The analysis of the demo, recomputed only when an input changed."""
    from veiligheidskaart.observations.judge import run_analysis
    from veiligheidskaart.sources.writers import preferred_area

    gemeente = preferred_area(gemeente_code)
    if gemeente is not None:
        run_analysis(gemeente, progress=report)


def _demo_admin() -> str:
    """Create the demo admin once; its password is kept in VK_DATA_DIR (mode 600) to show again."""
    password_file = Path(settings.VK_DATA_DIR) / "demo_admin_password"
    if User.objects.filter(username=DEMO_ADMIN).exists() and password_file.exists():
        return password_file.read_text().strip()
    password = secrets.token_urlsafe(12)
    User.objects.filter(username=DEMO_ADMIN).delete()
    create_user(DEMO_ADMIN, "beheerder", password)
    fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password)
    return password
