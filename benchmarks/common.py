"""Small helpers the benchmark scripts share (run as scripts: this folder is on sys.path)."""

from __future__ import annotations

import shutil
from pathlib import Path


def say(text: str) -> None:
    print(text, flush=True)


def nl(number: float) -> str:
    """A whole number with the Dutch thousands separator: ``nl(10000) == '10.000'``."""
    return f"{number:,.0f}".replace(",", ".")


def check_disk(folder: Path, need: int) -> None:
    """Stop before writing when the disk has less than ``need`` bytes free."""
    free = shutil.disk_usage(folder).free
    if free < need:
        raise SystemExit(f"te weinig schijfruimte in {folder}: {need / 1e9:.1f} GB nodig, "
                         f"{free / 1e9:.1f} GB vrij")  # fmt: skip
