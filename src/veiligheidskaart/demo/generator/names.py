"""Fictitious, Dutch-sounding names for Demostad's areas and its peer gemeenten."""

from __future__ import annotations

# Fixed names of the buurten that carry planted structure.
NAAM_KERN = "Oude Markt"
NAAM_STATION = "Stationskwartier"
NAAM_BEDRIJVEN = "Bedrijventerrein De Vaart"
NAMEN_KLEIN: tuple[str, ...] = ("Polder Oudeland", "Buurtschap Ter Heide", "Landgoed Ravenhorst")

WIJKNAMEN: dict[str, tuple[str, ...]] = {
    "Centrum": ("Binnenstad", "Havenkwartier"),
    "Noord": (
        "Noorderhout",
        "Kievitsveld",
        "De Akkers",
        "Meerzicht",
        "Noordereiland",
        "Hogeland",
        "Ruigenhoek",
    ),
    "Oost": (
        "Oosterpark",
        "Molenwijk",
        "Esdonk",
        "Zonnehoeve",
        "Oosterbroek",
        "Heidezoom",
        "Oostwende",
    ),
    "Zuid": (
        "Zuiderhof",
        "Rietlanden",
        "Vlinderbos",
        "Beekdal",
        "Zuidwende",
        "Zandhove",
        "Lagewaard",
    ),
    "West": (
        "Westerveld",
        "De Vaart",
        "Lindenhove",
        "Waterrijk",
        "Westerkade",
        "Dijkzicht",
        "Slotermeent",
    ),
}

CENTRUM_BUURTNAMEN: tuple[str, ...] = (
    "Grote Kerkbuurt",
    "Lange Gracht",
    "Nieuwe Markt",
    "Vismarkt",
    "Begijnhof",
    "Poortwijk",
    "Hoogstraat",
    "Stadswallen",
    "Kaaikwartier",
    "Raadhuisbuurt",
    "Korenbeurs",
    "Waagplein",
    "Molenpoort",
    "Munttoren",
    "Pelsersbuurt",
    "Lakenhal",
    "Tolhuis",
    "Kloosterhof",
    "Bakenesserpoort",
    "Turfmarkt",
)

_THEMA_BUURTEN: tuple[str, ...] = (
    "Schildersbuurt",
    "Componistenbuurt",
    "Vogelbuurt",
    "Bloemenbuurt",
    "Zeeheldenbuurt",
    "Rivierenbuurt",
    "Molenbuurt",
    "Sterrenbuurt",
    "Dichtersbuurt",
    "Vruchtenbuurt",
    "Edelstenenbuurt",
    "Planetenbuurt",
    "Kruidenbuurt",
    "Spoorbuurt",
    "De Weverij",
    "Het Spoor",
    "De Brink",
    "Kerkebuurt",
    "De Lanen",
    "Oude Dorp",
)
_BOMEN: tuple[str, ...] = ("Eiken", "Beuken", "Linden", "Wilgen", "Berken", "Essen", "Elzen")
_UITGANGEN: tuple[str, ...] = ("hof", "veld", "kamp", "weide", "dreef", "hoek", "rode")


def woonbuurtnamen() -> tuple[str, ...]:
    """A pool of residential buurt names: themed names and tree compounds."""
    compounds = tuple(f"{boom}{uitgang}" for boom in _BOMEN for uitgang in _UITGANGEN)
    return _THEMA_BUURTEN + compounds


# Fifteen fictitious peer gemeenten GM9901..GM9915 for the benchmark table.
PEER_NAMEN: tuple[str, ...] = (
    "Peerdam",
    "Vergelijkhoven",
    "Spiegelwaard",
    "Maatveen",
    "IJkstede",
    "Gelijkenbroek",
    "Naastrecht",
    "Evenhuizen",
    "Tegenburg",
    "Zusterveen",
    "Broederwolde",
    "Schaalkerk",
    "Meetwoude",
    "Normdijk",
    "Ankerhaven",
)


def peer_codes() -> tuple[str, ...]:
    return tuple(f"GM99{n:02d}" for n in range(1, len(PEER_NAMEN) + 1))


def slugify(name: str) -> str:
    """Signalen-style slug: lower case, words joined by hyphens."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in name.lower())
    return "-".join(cleaned.split())
