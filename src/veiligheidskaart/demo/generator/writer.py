"""Low-level writers: deterministic bytes and `\\n` line endings in every file."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable
from pathlib import Path


def quote(value: str) -> str:
    """CBS/StatLine quoting: always double quotes, inner quotes doubled."""
    return '"' + value.replace('"', '""') + '"'


def write_lines(
    path: Path, lines: Iterable[str], encoding: str = "utf-8", bom: bool = False
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(f"{line}\n" for line in lines).encode(encoding)
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + data)


def write_json(path: Path, payload: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    path.write_bytes((text + "\n").encode("utf-8"))


def write_feature_collection(
    path: Path, features: list[dict[str, object]], crs: str | None = None
) -> None:
    """GeoJSON with one feature per line: compact, but still readable in a diff."""
    path.parent.mkdir(parents=True, exist_ok=True)
    head: dict[str, object] = {"type": "FeatureCollection"}
    if crs is not None:
        head["crs"] = {"type": "name", "properties": {"name": crs}}
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n'
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    path.write_bytes((opening + body + "\n]}\n").encode("utf-8"))


def decimal_comma(value: float, decimals: int = 1) -> str:
    """StatLine export style: `30,8`, and `34` rather than `34,0`."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
