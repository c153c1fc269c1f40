"""The manifest: which files to import, in which order, with which options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .writer import write_json

MANIFEST_FILE = "manifest.json"
SIGNALS_FILE = "geplante_signalen.json"


@dataclass(frozen=True)
class ManifestEntry:
    soort: str  # import kind: codelist, areas, stadsdelen, population, crime, ...
    pad: str  # relative to the manifest's directory, with forward slashes
    opties: Mapping[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {"soort": self.soort, "pad": self.pad, "opties": dict(self.opties)}


@dataclass(frozen=True)
class Manifest:
    gemeente: str
    naam: str
    peildatum: str
    seed: int
    bestanden: tuple[ManifestEntry, ...]
    geplante_signalen: str = SIGNALS_FILE

    def as_dict(self) -> dict[str, object]:
        return {
            "gemeente": self.gemeente,
            "naam": self.naam,
            "peildatum": self.peildatum,
            "seed": self.seed,
            "bestanden": [entry.as_dict() for entry in self.bestanden],
            "geplante_signalen": self.geplante_signalen,
        }

    def write(self, out_dir: Path) -> None:
        write_json(out_dir / MANIFEST_FILE, self.as_dict())
