"""The national default catalogue, declared as data.

Veiligheidsvelden of the Kernbeleid Veiligheid → themes → indicators, plus the
series breaks. Synced into the database on ``post_migrate``; a municipality may
override rows afterwards (the sync only adds and updates what ships here).
Pure Python, so the analysis, the generator and the tests can read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Validity(StrEnum):
    DIRECT = "direct"  # victim-reported crime (brengdelict)
    PROXY = "proxy"
    ACTIVITEIT = "activiteit"  # found by police activity (haaldelict): a rise may mean success


class Denominator(StrEnum):
    INWONERS = "inwoners"
    WONINGEN = "woningen"
    VESTIGINGEN = "vestigingen"
    LAND_KM2 = "land_km2"
    JONGEREN = "jongeren_12_17"
    GEEN = "geen"


class Direction(StrEnum):
    LOWER_IS_BETTER = "lager_is_beter"
    HIGHER_IS_BETTER = "hoger_is_beter"
    NEUTRAL = "neutraal"


class Basis(StrEnum):
    PLEEGLOCATIE = "pleeglocatie"
    WOONADRES = "woonadres"  # cybercrime and fraud: recorded at the victim's address


class Source(StrEnum):
    MISDRIJVEN = "misdrijven"  # 47018NED (year) and 47022NED (month)
    OVERLAST = "overlast"  # 47024NED
    BENCHMARK = "benchmark"  # 83648NED, a series of its own
    MONITOR = "veiligheidsmonitor"
    PANEL = "wijkpanel"
    MELDINGEN = "meldingen"
    EIGEN = "eigen"


@dataclass(frozen=True)
class VeldDef:
    code: str
    name: str


@dataclass(frozen=True)
class ThemeDef:
    code: str
    name: str
    veld: str
    seriousness: float = 1.0
    sensitive: bool = False  # published per wijk only
    qualitative: bool = False  # no figure at all: carries a qualitative status


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    name: str
    theme: str
    source: Source
    source_codes: tuple[str, ...]
    validity: Validity = Validity.DIRECT
    denominator: Denominator = Denominator.INWONERS
    per: int = 1000
    unit: str = "misdrijven"
    direction: Direction = Direction.LOWER_IS_BETTER
    basis: Basis = Basis.PLEEGLOCATIE
    bbv: bool = False
    description: str = ""


@dataclass(frozen=True)
class BreakDef:
    code: str
    name: str
    source: Source
    start: date
    end: date | None
    source_codes: tuple[str, ...] = field(default_factory=tuple)  # empty: all codes
    description: str = ""


VELDEN: tuple[VeldDef, ...] = (
    VeldDef("woon", "Veilige woon- en leefomgeving"),
    VeldDef("bedrijf", "Bedrijvigheid en veiligheid"),
    VeldDef("jeugd", "Jeugd en veiligheid"),
    VeldDef("fysiek", "Fysieke veiligheid"),
    VeldDef("integriteit", "Integriteit en veiligheid"),
)

THEMES: tuple[ThemeDef, ...] = (
    ThemeDef("totaal", "Totaal geregistreerde misdrijven", "woon", 1.0),
    ThemeDef("woninginbraak", "Woninginbraak", "woon", 1.5),
    ThemeDef("inbraak_schuur", "Inbraak schuur/garage", "woon", 0.8),
    ThemeDef("voertuig", "Voertuigcriminaliteit", "woon", 0.8),
    ThemeDef("fietsdiefstal", "Fietsdiefstal", "woon", 0.6),
    ThemeDef("straatroof", "Straatroof en zakkenrollerij", "woon", 1.4),
    ThemeDef("geweld", "Geweld", "woon", 2.0),
    ThemeDef("vernieling", "Vernieling", "woon", 0.8),
    ThemeDef("drugsoverlast", "Drugs- en drankoverlast", "woon", 1.0),
    ThemeDef("verwarde_personen", "Verwarde personen", "woon", 1.2, sensitive=True),
    ThemeDef("woonoverlast", "Woonoverlast", "woon", 1.0),
    ThemeDef("huiselijk_geweld", "Huiselijk geweld", "woon", 2.0, sensitive=True),
    ThemeDef("beleving", "Veiligheidsbeleving", "woon", 1.2),
    ThemeDef("winkeldiefstal", "Winkeldiefstal", "bedrijf", 0.8),
    ThemeDef("inbraak_bedrijven", "Inbraak bedrijven", "bedrijf", 1.0),
    ThemeDef("overvallen", "Overvallen", "bedrijf", 2.0),
    ThemeDef("horeca_overlast", "Horeca- en evenementenoverlast", "bedrijf", 0.7),
    ThemeDef("jeugdoverlast", "Jeugdoverlast", "jeugd", 1.0, sensitive=True),
    ThemeDef("jeugdcriminaliteit", "Jeugdcriminaliteit", "jeugd", 1.5, sensitive=True),
    ThemeDef("verkeer", "Verkeersongevallen", "fysiek", 1.0),
    ThemeDef("rijden_onder_invloed", "Rijden onder invloed", "fysiek", 1.2),
    ThemeDef("brand", "Brand en ontploffing", "fysiek", 1.5),
    ThemeDef("vuurwerk", "Vuurwerk", "fysiek", 0.8),
    ThemeDef("ondermijning", "Ondermijning", "integriteit", 2.0),
    ThemeDef("cybercrime", "Cybercrime", "integriteit", 1.0),
    ThemeDef("fraude", "Fraude", "integriteit", 1.0),
    ThemeDef("openbare_orde", "Openbare orde", "integriteit", 1.0),
    ThemeDef(
        "maatschappelijke_onrust", "Maatschappelijke onrust", "integriteit", 1.0, qualitative=True
    ),
    ThemeDef("radicalisering", "Radicalisering", "integriteit", 1.5, qualitative=True),
)

_C, _O = Source.MISDRIJVEN, Source.OVERLAST
_ACT, _PROXY = Validity.ACTIVITEIT, Validity.PROXY
INDICATORS: tuple[IndicatorDef, ...] = (
    IndicatorDef(
        "misdrijven_totaal",
        "Geregistreerde misdrijven, totaal",
        "totaal",
        _C,
        ("0.0.0",),
        validity=_PROXY,
    ),
    IndicatorDef(
        "woninginbraak",
        "Woninginbraak",
        "woninginbraak",
        _C,
        ("1.1.1",),
        denominator=Denominator.WONINGEN,
    ),
    IndicatorDef(
        "inbraak_schuur",
        "Inbraak box/garage/schuur",
        "inbraak_schuur",
        _C,
        ("1.1.2",),
        denominator=Denominator.WONINGEN,
    ),
    IndicatorDef(
        "voertuigcriminaliteit",
        "Voertuigcriminaliteit",
        "voertuig",
        _C,
        ("1.2.1", "1.2.2", "1.2.5"),
    ),
    IndicatorDef("fietsdiefstal", "Fietsdiefstal", "fietsdiefstal", _C, ("1.2.3",)),
    IndicatorDef(
        "straatroof_zakkenrollerij",
        "Straatroof en zakkenrollerij",
        "straatroof",
        _C,
        ("1.4.6", "1.2.4"),
        denominator=Denominator.LAND_KM2,
        per=1,
        description="In centra ook als aantal en per km² land getoond.",
    ),
    IndicatorDef(
        "geweld",
        "Geweldsmisdrijven",
        "geweld",
        _C,
        ("1.4.2", "1.4.3", "1.4.4", "1.4.5"),
        bbv=True,
        description="BBV: geweldsmisdrijven per 1.000 inwoners.",
    ),
    IndicatorDef(
        "vernieling",
        "Vernieling en zaakbeschadiging",
        "vernieling",
        _C,
        ("2.2.1",),
        bbv=True,
        description="BBV: vernielingen per 1.000 inwoners.",
    ),
    IndicatorDef(
        "drugsoverlast_misdrijf",
        "Drugs-/drankoverlast (misdrijf)",
        "drugsoverlast",
        _C,
        ("2.1.1",),
        validity=_ACT,
    ),
    IndicatorDef(
        "drugsoverlast_registratie",
        "Overlast alcohol/drugs",
        "drugsoverlast",
        _O,
        ("E38",),
        unit="registraties",
        validity=_PROXY,
    ),
    IndicatorDef(
        "verwarde_personen",
        "Overlast door verward persoon",
        "verwarde_personen",
        _O,
        ("E33",),
        unit="registraties",
        validity=_PROXY,
    ),
    IndicatorDef(
        "burengerucht",
        "Burengerucht (relatieproblemen)",
        "huiselijk_geweld",
        _C,
        ("2.4.1",),
        validity=_PROXY,
        description="Alleen een proxy: overtreding huisverbod.",
    ),
    IndicatorDef(
        "woonoverlast",
        "Woonoverlast (eigen registratie)",
        "woonoverlast",
        Source.EIGEN,
        ("woonoverlast",),
        unit="zaken",
        validity=_PROXY,
    ),
    IndicatorDef(
        "onveilig_in_buurt",
        "Voelt zich wel eens onveilig in de buurt",
        "beleving",
        Source.MONITOR,
        ("VoeltZichWeleensOnveiligInBuurt",),
        unit="%",
        denominator=Denominator.GEEN,
        per=1,
    ),
    IndicatorDef(
        "rapportcijfer_veiligheid",
        "Rapportcijfer veiligheid in de buurt",
        "beleving",
        Source.MONITOR,
        ("RapportcijferVeiligheidInBuurt",),
        unit="rapportcijfer",
        denominator=Denominator.GEEN,
        per=1,
        direction=Direction.HIGHER_IS_BETTER,
    ),
    IndicatorDef(
        "winkeldiefstal",
        "Winkeldiefstal",
        "winkeldiefstal",
        _C,
        ("2.5.2",),
        denominator=Denominator.VESTIGINGEN,
        per=100,
        bbv=True,
        description="BBV: winkeldiefstallen per 1.000 inwoners; hier per 100 vestigingen.",
    ),
    IndicatorDef(
        "inbraak_bedrijven",
        "Inbraak bedrijven",
        "inbraak_bedrijven",
        _C,
        ("2.5.1",),
        denominator=Denominator.VESTIGINGEN,
        per=100,
    ),
    IndicatorDef(
        "overvallen",
        "Overvallen",
        "overvallen",
        _C,
        ("1.4.7",),
        denominator=Denominator.VESTIGINGEN,
        per=100,
    ),
    IndicatorDef(
        "horeca_overlast",
        "Geluidshinder horeca en evenementen",
        "horeca_overlast",
        _O,
        ("M061", "M062"),
        unit="registraties",
        validity=_PROXY,
    ),
    IndicatorDef(
        "jeugdoverlast",
        "Overlast jeugd",
        "jeugdoverlast",
        _O,
        ("E35",),
        unit="registraties",
        validity=_PROXY,
    ),
    IndicatorDef(
        "halt_verwijzingen",
        "Verwijzingen Halt",
        "jeugdcriminaliteit",
        Source.EIGEN,
        ("halt",),
        unit="verwijzingen",
        denominator=Denominator.JONGEREN,
        per=10_000,
        bbv=True,
        description="BBV: verwijzingen Halt per 10.000 jongeren van 12-17 jaar.",
    ),
    IndicatorDef(
        "verkeersongevallen", "Verkeersongevallen (weg)", "verkeer", _C, ("1.3.1",), validity=_PROXY
    ),
    IndicatorDef(
        "rijden_onder_invloed",
        "Rijden onder invloed",
        "rijden_onder_invloed",
        _C,
        ("3.5.2",),
        validity=_ACT,
    ),
    IndicatorDef("brand_ontploffing", "Brand/ontploffing", "brand", _C, ("1.6.1",)),
    IndicatorDef("vuurwerk", "Vuurwerkdelicten", "vuurwerk", _C, ("2.6.9",), validity=_ACT),
    IndicatorDef(
        "ondermijning",
        "Ondermijning (drugshandel, mensenhandel, wapens, witwassen)",
        "ondermijning",
        _C,
        ("3.1.1", "3.1.2", "3.1.3", "1.6.3", "2.7.2"),
        validity=_ACT,
    ),
    IndicatorDef("cybercrime", "Cybercrime", "cybercrime", _C, ("3.7.4",), basis=Basis.WOONADRES),
    IndicatorDef(
        "fraude", "Fraude", "fraude", _C, ("3.9.1", "3.9.2", "3.9.3"), basis=Basis.WOONADRES
    ),
    IndicatorDef(
        "openbare_orde", "Aantasting openbare orde", "openbare_orde", _C, ("3.6.4",), validity=_ACT
    ),
    IndicatorDef(
        "diefstal_uit_woning",
        "Diefstal/inbraak woning (BBV)",
        "woninginbraak",
        _C,
        ("1.1.1",),
        bbv=True,
        description="BBV: diefstallen uit woning per 1.000 inwoners.",
    ),
)

BREAKS: tuple[BreakDef, ...] = (
    BreakDef(
        "samenloop_2018",
        "Samenloopregistratie",
        _C,
        date(2018, 7, 1),
        None,
        description="Sinds juli 2018 worden samenlopende delicten apart geregistreerd.",
    ),
    BreakDef(
        "covid",
        "COVID-19-maatregelen",
        _C,
        date(2020, 3, 1),
        date(2021, 12, 31),
        description="Lockdowns veranderden gelegenheid en registratie.",
    ),
    BreakDef("covid_overlast", "COVID-19-maatregelen", _O, date(2020, 3, 1), date(2021, 12, 31)),
    BreakDef(
        "vm_2021",
        "Nieuwe vragenlijst Veiligheidsmonitor",
        Source.MONITOR,
        date(2021, 1, 1),
        None,
        description="Vanaf 2021 is de vragenlijst vernieuwd; niet vergelijken.",
    ),
)

VELD_BY_CODE = {v.code: v for v in VELDEN}
THEME_BY_CODE = {t.code: t for t in THEMES}
INDICATOR_BY_CODE = {i.code: i for i in INDICATORS}
