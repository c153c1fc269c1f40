"""Demo seed: one API key for Open311, created once and kept in VK_DATA_DIR (mode 600)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from veiligheidskaart.accounts.apikeys import check_key, create_key
from veiligheidskaart.accounts.models import ApiKey

DEMO_KEY_NAME = "demo"
KEY_FILE = "demo_api_key"


def key_file() -> Path:
    return Path(settings.VK_DATA_DIR) / KEY_FILE


def seed(gemeente_code: str, progress: Callable[[str, int, int], None]) -> None:
    """Idempotent: a kept key that still works is left alone; otherwise a new one replaces it."""
    path = key_file()
    if path.exists() and check_key(path.read_text().strip()) is not None:
        return
    ApiKey.objects.filter(name=DEMO_KEY_NAME).delete()  # a demo key without its file is useless
    new = create_key(DEMO_KEY_NAME)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(new.key)
    progress("demo-API-sleutel", 1, 1)
