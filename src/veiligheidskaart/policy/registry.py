"""Policy registries as data: workflows, partners, the BBV indicators and the data calendar.

Pure Python (no Django), so the services, the pages, the API and the tests read the same
declarations.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Transition:
    source: str
    target: str


# --- priorities: voorgesteld -> vastgesteld (by the council) ---------------------------------
PRIORITY_STATUSES: tuple[tuple[str, str], ...] = (
    ("voorgesteld", "voorgesteld"),
    ("vastgesteld", "vastgesteld"),
    ("ingetrokken", "ingetrokken"),
)
PRIORITY_TRANSITIONS: tuple[Transition, ...] = (
    Transition("voorgesteld", "vastgesteld"),  # needs a council decision reference and date
    Transition("voorgesteld", "ingetrokken"),
)

# --- actions: gepland -> in uitvoering -> afgerond / vervallen -------------------------------
ACTION_STATUSES: tuple[tuple[str, str], ...] = (
    ("gepland", "gepland"),
    ("in_uitvoering", "in uitvoering"),
    ("afgerond", "afgerond"),
    ("vervallen", "vervallen"),
)
ACTION_TRANSITIONS: tuple[Transition, ...] = (
    Transition("gepland", "in_uitvoering"),
    Transition("gepland", "vervallen"),
    Transition("in_uitvoering", "afgerond"),
    Transition("in_uitvoering", "vervallen"),
)


def allowed(transitions: tuple[Transition, ...], source: str) -> list[str]:
    """The statuses reachable from ``source`` in one step.

    >>> allowed(ACTION_TRANSITIONS, "gepland")
    ['in_uitvoering', 'vervallen']
    >>> allowed(ACTION_TRANSITIONS, "afgerond")
    []
    """
    return [t.target for t in transitions if t.source == source]


# --- partners ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PartnerDef:
    code: str
    name: str


PARTNERS: tuple[PartnerDef, ...] = (
    PartnerDef("politie", "Politie"),
    PartnerDef("om", "Openbaar Ministerie"),
    PartnerDef("zorg", "Zorgpartners (GGD, wijkteams)"),
    PartnerDef("woningcorporatie", "Woningcorporatie"),
    PartnerDef("halt", "Halt"),
    PartnerDef("veiligheidshuis", "Zorg- en Veiligheidshuis"),
    PartnerDef("jongerenwerk", "Jongerenwerk"),
    PartnerDef("brandweer", "Brandweer / veiligheidsregio"),
    PartnerDef("ondernemers", "Ondernemersvereniging"),
    PartnerDef("bewoners", "Bewonersorganisatie"),
)
PARTNER_BY_CODE = {p.code: p for p in PARTNERS}


# --- the compulsory BBV safety indicators (DESIGN §5), with their official definitions ----------
@dataclass(frozen=True)
class BbvDef:
    code: str
    name: str
    source: str  # "misdrijven" (47018NED/47022NED year rows) or "eigen"
    source_codes: tuple[str, ...]
    per: int
    denominator: str  # "inwoners" or "jongeren_12_17"
    definition: str


BBV_INDICATORS: tuple[BbvDef, ...] = (
    BbvDef("halt", "Verwijzingen Halt", "eigen", ("halt",), 10_000, "jongeren_12_17",
           "Aantal verwijzingen naar Halt per 10.000 jongeren van 12 tot en met 17 jaar."),
    BbvDef("winkeldiefstal", "Winkeldiefstal", "misdrijven", ("2.5.2",), 1000, "inwoners",
           "Aantal winkeldiefstallen per 1.000 inwoners."),
    BbvDef("geweld", "Geweldsmisdrijven", "misdrijven", ("1.4.2", "1.4.3", "1.4.4", "1.4.5"),
           1000, "inwoners", "Aantal geweldsmisdrijven per 1.000 inwoners."),
    BbvDef("diefstal_uit_woning", "Diefstal uit woning", "misdrijven", ("1.1.1",), 1000,
           "inwoners", "Aantal diefstallen uit woning per 1.000 inwoners."),
    BbvDef("vernieling", "Vernielingen", "misdrijven", ("2.2.1",), 1000, "inwoners",
           "Aantal vernielingen en beschadigingen (in de openbare ruimte) per 1.000 inwoners."),
)  # fmt: skip


# --- the data calendar: when each source publishes ------------------------------------------
@dataclass(frozen=True)
class CalendarEntry:
    source: str
    table: str
    publisher: str
    frequency: str
    publishes: str  # Dutch: when a new period appears
    lag_months: int  # typical months between the end of a period and its publication
    kind: str  # the import kind (``veiligheidskaart import <kind>``) that loads it
    table_id: str = ""  # the Dataset.table_id to match; empty: any table of that kind


DATA_CALENDAR: tuple[CalendarEntry, ...] = (
    CalendarEntry("Geregistreerde misdrijven per maand", "47022NED", "Politie / CBS",
                  "maandelijks", "rond de 15e van de maand, over de vorige maand", 1, "crime",
                  "47022NED"),
    CalendarEntry("Geregistreerde misdrijven per jaar", "47018NED", "Politie / CBS", "jaarlijks",
                  "in het voorjaar, over het vorige jaar; oude jaren worden herzien", 3, "crime",
                  "47018NED"),
    CalendarEntry("Geregistreerde overlast", "47024NED", "Politie / CBS", "maandelijks",
                  "rond de 15e van de maand, over de vorige maand", 1, "overlast"),
    CalendarEntry("Geregistreerde criminaliteit per gemeente", "83648NED", "CBS", "jaarlijks",
                  "in het voorjaar, over het vorige jaar (benchmark tussen gemeenten)", 4, "crime",
                  "83648NED"),
    CalendarEntry("Kerncijfers wijken en buurten", "85984NED e.v.", "CBS", "jaarlijks",
                  "eerste versie in de zomer, aangevuld tot twee jaar later", 8, "population"),
    CalendarEntry("Veiligheidsmonitor", "85146NED e.v.", "CBS", "tweejaarlijks (oneven jaren)",
                  "in het voorjaar na het onderzoeksjaar", 4, "survey"),
    CalendarEntry("Wijkpanel", "eigen", "gemeente", "halfjaarlijks",
                  "enkele weken na elke peiling", 1, "panel"),
    CalendarEntry("Meldingen openbare ruimte", "Signalen", "gemeente", "doorlopend",
                  "dagelijks bijgewerkt", 0, "meldingen"),
    CalendarEntry("Verwijzingen Halt", "eigen", "Halt", "jaarlijks",
                  "op aanvraag bij Halt", 3, "records", "halt"),
)  # fmt: skip
