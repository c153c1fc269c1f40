"""Melding categories as data: a small tree of groups and categories.

The national default ships here. A municipality overrides it with a settings hook, not a
database sync: ``VK_MELDING_CATEGORIES`` names a TOML file whose ``[[categorie]]`` tables add
a category or replace one with the same ``code`` (``actief = false`` removes it)::

    [[categorie]]
    code = "omgeving_hondenpoep"
    naam = "Hondenpoep"
    groep = "omgeving"
    thema = ""          # empty: not a safety category, stays out of the analysis
    sla_dagen = 10
    openbaar = true

Meldingen store the category code, so a renamed category keeps its meldingen.
Pure Python (no Django), so forms, the API, the demo and the tests read the same tree.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SETTING = "VK_MELDING_CATEGORIES"


@dataclass(frozen=True)
class GroupDef:
    code: str
    name: str
    safety: bool  # False: waste, green and roads (municipal service requests)


@dataclass(frozen=True)
class CategoryDef:
    """One category a resident can choose.

    ``theme`` is a catalogue theme code, or None for a non-safety category that stays out of
    the safety analysis. ``public`` says whether the category may appear in the public
    listing (Open311 GET): sensitive themes (jeugd, verwarde personen, woonoverlast about
    neighbours) do not.
    """

    code: str
    name: str
    group: str
    theme: str | None
    sla_days: int
    public: bool = True

    @property
    def safety(self) -> bool:
        return self.theme is not None


GROUPS: tuple[GroupDef, ...] = (
    GroupDef("persoon", "Personen", True),
    GroupDef("groep", "Groepen", True),
    GroupDef("voertuig", "Voertuigen", True),
    GroupDef("omgeving", "Omgeving", True),
    GroupDef("overlast", "Overlast", True),
    GroupDef("afval", "Afval", False),
    GroupDef("groen", "Openbaar groen en water", False),
    GroupDef("wegen", "Wegen, verkeer en straatmeubilair", False),
)

DEFAULT_CATEGORIES: tuple[CategoryDef, ...] = (
    CategoryDef(
        "persoon_verdacht", "Verdacht gedrag van een persoon", "persoon", "woninginbraak", 5
    ),
    CategoryDef("persoon_verward", "Verward persoon", "persoon", "verwarde_personen", 2, False),
    CategoryDef("groep_jongeren", "Hinderlijke groep jongeren", "groep", "jeugdoverlast", 5, False),
    CategoryDef("groep_intimidatie", "Intimidatie door een groep", "groep", "openbare_orde", 5),
    CategoryDef("voertuig_verdacht", "Verdacht voertuig", "voertuig", "voertuig", 5),
    CategoryDef("voertuig_rijgedrag", "Gevaarlijk rijgedrag", "voertuig", "verkeer", 10),
    CategoryDef(
        "omgeving_inbraak", "Inbraaksporen, open deur of raam", "omgeving", "woninginbraak", 3
    ),
    CategoryDef("omgeving_vernieling", "Vernieling of graffiti", "omgeving", "vernieling", 10),
    CategoryDef(
        "omgeving_onveilig", "Onveilige plek (donker, verlaten)", "omgeving", "beleving", 20
    ),
    CategoryDef("overlast_drugs", "Drugs- of drankoverlast", "overlast", "drugsoverlast", 5),
    CategoryDef(
        "overlast_horeca", "Overlast van horeca of evenement", "overlast", "horeca_overlast", 5
    ),
    CategoryDef(
        "overlast_woon", "Overlast door buren of bewoners", "overlast", "woonoverlast", 10, False
    ),
    CategoryDef("overlast_vuurwerk", "Vuurwerkoverlast", "overlast", "vuurwerk", 5),
    CategoryDef("afval_grofvuil", "Grofvuil of zwerfafval", "afval", None, 5),
    CategoryDef("afval_container", "Container vol of kapot", "afval", None, 3),
    CategoryDef("groen_boom", "Boom of struik", "groen", None, 20),
    CategoryDef("groen_onderhoud", "Onderhoud van groen of water", "groen", None, 20),
    CategoryDef("wegen_verlichting", "Straatverlichting kapot", "wegen", None, 10),
    CategoryDef("wegen_bestrating", "Losse stoeptegel of gat in de weg", "wegen", None, 15),
)

GROUP_BY_CODE = {g.code: g for g in GROUPS}
# Events of safety meldingen get this main category, so the analysis that selects nuisance
# meldingen by prefix (observations.priorities.SAFETY_PREFIX, observations.indices) counts them.
EVENT_MAIN_CATEGORY = "Overlast en veiligheid (Veiligheidskaart)"


class RegistryError(ValueError):
    """The override file is unreadable or names an unknown group or a bad SLA."""


def categories() -> tuple[CategoryDef, ...]:
    """The category tree in force: the default plus the municipality's override file."""
    path = os.environ.get(SETTING, "")
    mtime = Path(path).stat().st_mtime if path and Path(path).exists() else 0.0
    return _categories(path, mtime)


@lru_cache(maxsize=4)
def _categories(path: str, mtime: float) -> tuple[CategoryDef, ...]:
    if not path:
        return DEFAULT_CATEGORIES
    return apply_override(DEFAULT_CATEGORIES, _read(Path(path)))


def _read(path: Path) -> list[dict[str, object]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RegistryError(f"{path.name}: categorieën onleesbaar: {exc}") from exc
    rows = data.get("categorie", [])
    if not isinstance(rows, list):
        raise RegistryError(f"{path.name}: [[categorie]] moet een lijst van tabellen zijn")
    return rows


def apply_override(
    base: tuple[CategoryDef, ...], rows: list[dict[str, object]]
) -> tuple[CategoryDef, ...]:
    """Add or replace categories by code; ``actief = false`` removes one.

    >>> rows = [{"code": "afval_container", "actief": False},
    ...         {"code": "x", "naam": "X", "groep": "afval", "sla_dagen": 1}]
    >>> [c.code for c in apply_override(DEFAULT_CATEGORIES, rows)][-3:]
    ['wegen_verlichting', 'wegen_bestrating', 'x']
    """
    by_code = {c.code: c for c in base}
    for row in rows:
        code = str(row.get("code", "")).strip()
        if not code:
            raise RegistryError("categorie zonder code")
        if row.get("actief", True) is False:
            by_code.pop(code, None)
            continue
        group = str(row.get("groep", ""))
        if group not in GROUP_BY_CODE:
            raise RegistryError(f"categorie '{code}': onbekende groep '{group}'")
        sla = row.get("sla_dagen")
        if not isinstance(sla, int) or sla < 1:
            raise RegistryError(f"categorie '{code}': sla_dagen moet een geheel getal ≥ 1 zijn")
        by_code[code] = CategoryDef(
            code,
            str(row.get("naam") or code),
            group,
            str(row.get("thema") or "") or None,
            sla,
            bool(row.get("openbaar", True)),
        )
    return tuple(by_code.values())


def category(code: str) -> CategoryDef | None:
    return next((c for c in categories() if c.code == code), None)


def grouped() -> list[tuple[GroupDef, list[CategoryDef]]]:
    """Groups in order with their categories (empty groups left out), for the form."""
    cats = categories()
    return [
        (g, [c for c in cats if c.group == g.code])
        for g in GROUPS
        if any(c.group == g.code for c in cats)
    ]


def event_category(cat: CategoryDef) -> str:
    """The observations.Event category of a safety melding: '<main> / <name>'."""
    return f"{EVENT_MAIN_CATEGORY} / {cat.name}"
