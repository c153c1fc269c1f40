"""Environment settings, read once; the README lists every one."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PLACEHOLDER_KEYS = frozenset({"", "changeme", "change-me", "changethis", "secret", "placeholder"})
TRUE_VALUES = frozenset({"1", "true", "yes", "on", "ja"})


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in TRUE_VALUES


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def data_dir() -> Path:
    """VK_DATA_DIR, default ~/.local/share/veiligheidskaart (XDG_DATA_HOME honoured)."""
    explicit = os.environ.get("VK_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser().resolve()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "veiligheidskaart"


def secret_key(directory: Path, debug: bool) -> str:
    """VK_SECRET_KEY, or the key kept in VK_DATA_DIR (generated once, mode 600)."""
    explicit = os.environ.get("VK_SECRET_KEY")
    if explicit is not None:
        if not debug and (explicit.strip().lower() in PLACEHOLDER_KEYS or len(explicit) < 32):
            raise RuntimeError(
                "VK_SECRET_KEY is een placeholder of korter dan 32 tekens; "
                "zet een echte sleutel of laat hem leeg zodat er een wordt gegenereerd."
            )
        return explicit
    key_file = directory / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    directory.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
