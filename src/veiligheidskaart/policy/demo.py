"""Demostad's policy: the three goals of issue #6, adopted priorities, actions and a budget.

Everything goes through ``policy.services``. The areas are taken from the data (the planted
woninginbraak hotspot, the wijk with rising jeugdoverlast, the station quarter), and the
peer list is fixed from 83648NED at the baseline year. Idempotent: a second run finds the
priorities present and changes nothing (the seed is one transaction, all or nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db import transaction

from veiligheidskaart.analysis.goals import Frequency
from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Indicator
from veiligheidskaart.policy import measures
from veiligheidskaart.policy import services as s
from veiligheidskaart.policy.models import GoalKind, PeerGroup, Priority

Progress = Callable[[str, int, int], None]
PEER_BASELINE_YEAR = 2022
PEER_MIN_INHABITANTS = 150_000
HOTSPOT_BUURTEN = ("BU99991301", "BU99991304", "BU99991306")  # West: the planted hotspot
JEUGD_WIJK = "WK999906"  # rising jeugdoverlast (planted signal 2)
STATION = "BU99990202"  # Stationskwartier


def seed(gemeente_code: str, progress: Progress) -> None:
    areas = Area.objects.filter(code=gemeente_code, level="gemeente")
    gemeente = areas.order_by("-vintage").first()
    if gemeente is None or Priority.objects.filter(gemeente_code=gemeente_code).exists():
        return
    progress("beleid: prioriteiten, doelen en acties", 0, 1)
    with transaction.atomic():
        _seed(gemeente)
    progress("beleid: prioriteiten, doelen en acties", 1, 1)


def _seed(gemeente: Area) -> None:
    code = gemeente.code
    p_inbraak, p_jeugd, p_beleving, p_fiets = _priorities(code)
    group = _peer_group(code)
    g_beleving = s.create_goal(
        [p_beleving], gemeente_code=code, order=1, kind=GoalKind.SURVEY,
        title="Aandeel inwoners dat zich wel eens onveilig voelt in de buurt ≤ 15% "
              "(Veiligheidsmonitor 2023)",
        indicator=Indicator.objects.get(code="onveilig_in_buurt"), area=gemeente,
        adopted_baseline_value=18.5, adopted_baseline_label="18,5% (Veiligheidsmonitor 2019)",
        baseline_start_year=2019, baseline_end_year=2019, target_value=15.0, deadline_year=2023,
        frequency=Frequency.BIENNIAL_ODD.value,
    )  # fmt: skip
    g_rang = s.create_goal(
        [p_inbraak], gemeente_code=code, order=2, kind=GoalKind.RANK, peer_group=group,
        title="In de top 3 van veiligste gemeenten met meer dan 150.000 inwoners",
        area=gemeente, adopted_baseline_value=5.0,
        adopted_baseline_label=f"5e van {len(group.peer_codes) + 1} ({PEER_BASELINE_YEAR})",
        baseline_start_year=PEER_BASELINE_YEAR, baseline_end_year=PEER_BASELINE_YEAR,
        target_value=3.0, deadline_year=2026,
    )  # fmt: skip
    g_inbraak = s.create_goal(
        [p_inbraak], gemeente_code=code, order=3, kind=GoalKind.COUNT,
        title="Woninginbraken −20% t.o.v. het gemiddelde van 2019–2021",
        indicator=Indicator.objects.get(code="woninginbraak"), area=gemeente,
        adopted_baseline_value=187.0,
        adopted_baseline_label="gemiddeld 187 per jaar (2019–2021, politiecijfers maart 2022)",
        baseline_start_year=2019, baseline_end_year=2021, target_change=-0.20, deadline_year=2026,
    )  # fmt: skip
    _actions(code, (p_inbraak, p_jeugd, p_beleving, p_fiets), (g_beleving, g_rang, g_inbraak))


def _priorities(code: str) -> tuple[Priority, Priority, Priority, Priority]:
    jeugd_wijk = Area.objects.filter(code=JEUGD_WIJK).order_by("-vintage").first()
    jeugd_sd = jeugd_wijk.stadsdeel.code if jeugd_wijk and jeugd_wijk.stadsdeel else ""
    inbraak = s.propose_priority(
        code, "Woninginbraak terugdringen", 2023, 2026, theme_code="woninginbraak",
        seriousness=4, seriousness_reason="Grote inbreuk op de persoonlijke levenssfeer; "
        "slachtoffers voelen zich lang daarna onveilig in hun eigen huis.",
        influence=4, influence_reason="Preventie (hang- en sluitwerk, buurtpreventie) en een "
        "persoonsgerichte aanpak van veelplegers werken aantoonbaar.",
    )  # fmt: skip
    jeugd = s.propose_priority(
        code, "Jeugdoverlast in de wijk met de sterkste stijging", 2023, 2026,
        theme_code="jeugdoverlast", area_code=jeugd_sd,
        seriousness=3, seriousness_reason="Overlast van groepen raakt veel bewoners dagelijks, "
        "maar is zelden ernstig geweld.",
        influence=4, influence_reason="Jongerenwerk, Halt en gerichte handhaving zijn binnen "
        "de invloed van gemeente en partners.",
    )  # fmt: skip
    beleving = s.propose_priority(
        code, "Veiligheidsgevoel in de buurt", 2023, 2026, theme_code="beleving",
        seriousness=3, seriousness_reason="Onveiligheidsgevoel beperkt bewoners in hun doen "
        "en laten, ook waar weinig criminaliteit is.",
        influence=2, influence_reason="Beleving volgt de criminaliteit traag en hangt ook af "
        "van landelijk nieuws; de gemeente beïnvloedt haar maar deels.",
    )  # fmt: skip
    fiets = s.propose_priority(
        code, "Fietsdiefstal bij het station", 2025, 2028, theme_code="fietsdiefstal",
        area_code="SD999901",
        seriousness=2, seriousness_reason="Veel voorkomend, lage schade per geval.",
        influence=3, influence_reason="Bewaakte stallingen en registratie helpen; "
        "opsporing is beperkt.",
    )  # fmt: skip
    for priority in (inbraak, jeugd, beleving):
        s.change_priority_status(priority, "vastgesteld", None, "RB 2022/114", date(2022, 12, 15))
    return inbraak, jeugd, beleving, fiets


def _peer_group(code: str) -> PeerGroup:
    """Gemeenten above 150,000 inhabitants in the baseline year, fixed from then on."""
    candidates = list(
        Area.objects.filter(level="gemeente").exclude(code=code).values_list("code", flat=True)
    )
    sizes = measures.total_inhabitants([code, *candidates], PEER_BASELINE_YEAR)
    peers = sorted(c for c in candidates if sizes.get(c, 0) > PEER_MIN_INHABITANTS)
    return PeerGroup.objects.create(
        gemeente_code=code, name="Gemeenten met meer dan 150.000 inwoners",
        baseline_year=PEER_BASELINE_YEAR, min_inhabitants=PEER_MIN_INHABITANTS, peer_codes=peers,
        adopted_index="Geregistreerde misdrijven per 1.000 inwoners, totaal (CBS 83648NED)",
    )  # fmt: skip


def _actions(code: str, priorities: tuple[Priority, ...], goals: tuple) -> None:  # type: ignore[type-arg]
    p_inbraak, p_jeugd, p_beleving, p_fiets = priorities
    g_beleving, _g_rang, g_inbraak = goals
    inbraak = s.create_action(s.ActionInput(
        "Inbraakpreventie Westerveld", "Hang- en sluitwerkacties, buurtpreventie-app en "
        "extra surveillance in de buurten met de hoogste inbraakcijfers.", "Team Veiligheid",
        date(2024, 7, 1), date(2025, 12, 31), ("woninginbraak",), HOTSPOT_BUURTEN,
        ("politie", "woningcorporatie", "bewoners"), (p_inbraak.pk,), (g_inbraak.pk,),
    ), None)  # fmt: skip
    s.change_action_status(inbraak, "in_uitvoering", None, "Start na het raadsbesluit.")
    s.add_action_note(inbraak, "Eerste hang- en sluitwerkactie: 240 woningen bezocht.", None)
    s.add_action_note(inbraak, "Buurtpreventie-app actief in twee buurten.", None)
    jeugd = s.create_action(s.ActionInput(
        "Jongerenwerk en gerichte handhaving", "Ambulant jongerenwerk op vier avonden per week, "
        "met boa-inzet op de bekende hangplekken.", "Stadsdeel, wijkregisseur",
        date(2023, 3, 1), date(2024, 12, 31), ("jeugdoverlast",), (JEUGD_WIJK,),
        ("jongerenwerk", "politie", "halt"), (p_jeugd.pk,), (),
    ), None)  # fmt: skip
    s.change_action_status(jeugd, "in_uitvoering", None)
    s.add_action_note(jeugd, "Vaste hangplek aan het winkelplein: afspraken met de groep.", None)
    s.change_action_status(jeugd, "afgerond", None, "Opgevolgd door de aanpak 2025.")
    stalling = s.create_action(s.ActionInput(
        "Bewaakte fietsenstalling Stationskwartier", "Een bewaakte stalling met 1.200 plekken "
        "en fietsregistratie bij het station.", "Stadsdeel Centrum",
        date(2025, 4, 1), date(2026, 3, 31), ("fietsdiefstal",), (STATION,),
        ("politie", "ondernemers"), (p_fiets.pk,), (),
    ), None)  # fmt: skip
    s.add_action_note(stalling, "Locatie gekozen; aanbesteding loopt.", None)
    campagne = s.create_action(s.ActionInput(
        "Campagne 'Samen veilig in de buurt'", "Wijkgesprekken en een campagne over wat "
        "bewoners zelf kunnen doen.", "Communicatie en Team Veiligheid",
        date(2025, 1, 1), date(2025, 12, 31), ("beleving",), (code,),
        ("bewoners", "politie"), (p_beleving.pk,), (g_beleving.pk,),
    ), None)  # fmt: skip
    vervallen = s.create_action(s.ActionInput(
        "Cameratoezicht Vismarkt", "Tijdelijke camera's bij de Vismarkt.", "Stadsdeel Centrum",
        date(2024, 1, 1), date(2024, 12, 31), ("straatroof",), ("BU99990101",), ("politie",),
    ), None)  # fmt: skip
    s.change_action_status(vervallen, "vervallen", None, "Geen wettelijke grondslag gevonden.")
    for year, lines in BUDGET.items():
        for name, kind, amount, funded in lines:
            chosen = [a for a in (inbraak, jeugd, stalling, campagne) if a.title in funded]
            s.save_budget_line(code, year, "Openbare orde en veiligheid", name, kind,
                               Decimal(amount), chosen)  # fmt: skip


BUDGET: dict[int, list[tuple[str, str, str, tuple[str, ...]]]] = {
    2024: [
        ("Inbraakpreventie", "lasten", "185000", ("Inbraakpreventie Westerveld",)),
        ("Jongerenwerk", "lasten", "420000", ("Jongerenwerk en gerichte handhaving",)),
        ("Boa's en handhaving", "lasten", "1350000", ()),
        ("Rijksbijdrage preventie", "baten", "120000", ("Inbraakpreventie Westerveld",)),
    ],
    2025: [
        ("Inbraakpreventie", "lasten", "210000", ("Inbraakpreventie Westerveld",)),
        ("Fietsenstalling Stationskwartier", "lasten", "650000",
         ("Bewaakte fietsenstalling Stationskwartier",)),
        ("Campagne veiligheidsgevoel", "lasten", "60000",
         ("Campagne 'Samen veilig in de buurt'",)),
        ("Boa's en handhaving", "lasten", "1390000", ()),
        ("Bijdrage NS en ondernemers stalling", "baten", "250000",
         ("Bewaakte fietsenstalling Stationskwartier",)),
    ],
}  # fmt: skip
