"""Source code lists of the police tables, as data.

Pure Python: the demo generator, the importers and the catalogue registry read these.
The national counts are the 2023 totals of 47018NED (Politie via CBS, CC BY 4.0);
they set the synthetic levels of Demostad and serve as a plausibility reference.
"""

from __future__ import annotations

from dataclasses import dataclass

NL_POPULATION_2023 = 17_870_298


@dataclass(frozen=True)
class SourceCode:
    code: str
    title: str
    national_2023: int
    yearly_gemeente_only: bool = False  # sex offences: published as yearly gemeente totals only

    @property
    def padded(self) -> str:
        return self.code.ljust(6)

    @property
    def national_rate_per_1000(self) -> float:
        return 1000.0 * self.national_2023 / NL_POPULATION_2023


_M = SourceCode
SOORT_MISDRIJF: tuple[SourceCode, ...] = (
    _M("0.0.0", "Totaal misdrijven", 802_043),
    _M("1.1.1", "Diefstal/inbraak woning", 22_706),
    _M("1.1.2", "Diefstal/inbraak box/garage/schuur", 11_000),
    _M("1.2.1", "Diefstal uit/vanaf motorvoertuigen", 43_515),
    _M("1.2.2", "Diefstal van motorvoertuigen", 9_303),
    _M("1.2.3", "Diefstal van brom-, snor-, fietsen", 96_927),
    _M("1.2.4", "Zakkenrollerij", 12_393),
    _M("1.2.5", "Diefstal af/uit/van ov. voertuigen", 28_402),
    _M("1.3.1", "Ongevallen (weg)", 76_458),
    _M("1.4.1", "Zedenmisdrijf", 8_214, yearly_gemeente_only=True),
    _M("1.4.2", "Moord, doodslag", 2_541),
    _M("1.4.3", "Openlijk geweld (persoon)", 4_037),
    _M("1.4.4", "Bedreiging", 23_298),
    _M("1.4.5", "Mishandeling", 39_268),
    _M("1.4.6", "Straatroof", 2_435),
    _M("1.4.7", "Overval", 541),
    _M("1.5.2", "Diefstallen (water)", 941),
    _M("1.6.1", "Brand/ontploffing", 4_103),
    _M("1.6.2", "Overige vermogensdelicten", 83_379),
    _M("1.6.3", "Mensenhandel", 628),
    _M("2.1.1", "Drugs/drankoverlast", 176),
    _M("2.2.1", "Vernieling cq. zaakbeschadiging", 69_976),
    _M("2.4.1", "Burengerucht (relatieproblemen)", 229),
    _M("2.4.2", "Huisvredebreuk", 3_234),
    _M("2.5.1", "Diefstal/inbraak bedrijven enz.", 12_941),
    _M("2.5.2", "Winkeldiefstal", 44_844),
    _M("2.6.1", "Inrichting Wet Milieubeheer", 32),
    _M("2.6.2", "Bodem", 105),
    _M("2.6.3", "Water", 18),
    _M("2.6.4", "Afval", 90),
    _M("2.6.5", "Bouwstoffen", 5),
    _M("2.6.7", "Mest", 10),
    _M("2.6.8", "Transport gevaarlijke stoffen", 338),
    _M("2.6.9", "Vuurwerk", 373),
    _M("2.6.10", "Bestrijdingsmiddelen", 1),
    _M("2.6.11", "Natuur en landschap", 0),
    _M("2.6.12", "Ruimtelijke ordening", 8),
    _M("2.6.13", "Dieren", 536),
    _M("2.6.14", "Voedselveiligheid", 0),
    _M("2.7.2", "Bijzondere wetten", 2_393),
    _M("2.7.3", "Leefbaarheid (overig)", 1_062),
    _M("3.1.1", "Drugshandel", 13_468),
    _M("3.1.2", "Mensensmokkel", 58),
    _M("3.1.3", "Wapenhandel", 6_662),
    _M("3.2.1", "Kinderporno", 475, yearly_gemeente_only=True),
    _M("3.2.2", "Kinderprostitutie", 0, yearly_gemeente_only=True),
    _M("3.3.2", "Onder invloed (lucht)", 7),
    _M("3.3.5", "Lucht (overig)", 0),
    _M("3.4.2", "Onder invloed (water)", 129),
    _M("3.5.2", "Onder invloed (weg)", 42_799),
    _M("3.5.5", "Weg (overig)", 12_123),
    _M("3.6.4", "Aantasting openbare orde", 7_937),
    _M("3.7.1", "Discriminatie", 503),
    _M("3.7.2", "Vreemdelingenzorg", 157),
    _M("3.7.3", "Maatsch. integriteit (overig)", 10_264, yearly_gemeente_only=True),
    _M("3.7.4", "Cybercrime", 12_029),
    _M("3.9.1", "Horizontale fraude", 88_132),
    _M("3.9.2", "Verticale fraude", 346),
    _M("3.9.3", "Fraude (overig)", 494),
)

OVERLAST: tuple[SourceCode, ...] = (
    _M("0.0.0", "Totaal registraties overlast", 444_177),
    _M("E33", "Overlast door verward persoon", 141_724),
    _M("E35", "Melding overlast jeugd", 83_694),
    _M("E38", "Overlast ivm alcohol/drugs", 59_430),
    _M("E41", "Overlast zwervers", 40_525),
    _M("F010", "Openbare dronkenschap", 6_045),
    _M("M061", "Geluidshinder horeca", 3_231),
    _M("M062", "Geluidshinder evenement", 1_326),
    _M("M22", "Geluidshinder overig", 108_202),
)

TOTAL_CODE = "0.0.0"
MISDRIJF_BY_CODE = {c.code: c for c in SOORT_MISDRIJF}
OVERLAST_BY_CODE = {c.code: c for c in OVERLAST}
YEARLY_GEMEENTE_ONLY = frozenset(c.code for c in SOORT_MISDRIJF if c.yearly_gemeente_only)
