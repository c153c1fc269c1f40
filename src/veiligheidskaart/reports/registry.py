"""Report kinds, the status workflow and the interpretation roles, as data.

>>> KIND_BY_CODE["tussenstand"].period_flag
'--periode'
>>> allowed("concept", "vastgesteld"), allowed("gepubliceerd", "concept")
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportKind:
    code: str
    name: str
    period_flag: str  # the CLI flag that names the period: --periode (half year) or --jaar
    needs_stadsdeel: bool
    description: str


KINDS: tuple[ReportKind, ...] = (
    ReportKind("tussenstand", "Tussenstand", "--periode", False,
               "Halfjaarlijkse voortgang per vastgestelde prioriteit, voor de raad."),
    ReportKind("actieplan", "Actieplan", "--jaar", False,
               "Resultaten van vorig jaar en de acties van het jaar."),
    ReportKind("jaarmonitor", "Jaarmonitor", "--jaar", False,
               "Cijfers van het jaar per veiligheidsveld en thema, met de BBV-indicatoren."),
    ReportKind("stadsdeel", "Stadsdeelrapportage", "--jaar", True,
               "Agenda, cijfers en aandachtspunten van één stadsdeel."),
)  # fmt: skip
KIND_BY_CODE = {k.code: k for k in KINDS}


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: str  # the button text
    permission: str  # "analist": analist or beheerder may do it


STATUSES = [
    ("concept", "concept"),
    ("vastgesteld", "vastgesteld"),
    ("gepubliceerd", "gepubliceerd"),
]
TRANSITIONS: tuple[Transition, ...] = (
    Transition("concept", "vastgesteld", "Vaststellen", "analist"),
    Transition("vastgesteld", "concept", "Terug naar concept", "analist"),
    Transition("vastgesteld", "gepubliceerd", "Publiceren", "analist"),
)
JOB_STATES = [("wachtrij", "in de wachtrij"), ("bezig", "bezig"), ("klaar", "klaar"),
              ("mislukt", "mislukt")]  # fmt: skip


@dataclass(frozen=True)
class AuthorRole:
    code: str
    label: str


AUTHOR_ROLES: tuple[AuthorRole, ...] = (
    AuthorRole("analist", "Duiding analist"),
    AuthorRole("politie", "Duiding politie"),
    AuthorRole("stadsdeel", "Duiding stadsdeel"),
)
AUTHOR_ROLE_CODES = frozenset(r.code for r in AUTHOR_ROLES)


def allowed(source: str, target: str) -> bool:
    return any(t.source == source and t.target == target for t in TRANSITIONS)
