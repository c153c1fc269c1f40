"""Demostad: a synthetic municipality in the published Dutch open-data formats.

`generate_demostad(out_dir, seed)` writes a complete, fictitious gemeente (GM9999 "Demostad",
boundary vintage 2024) into `out_dir`: areas, two focusgebieden (internal), population, police
crime and nuisance, the Veiligheidsmonitor, a wijk panel, Signalen meldingen and the
municipality's own records, plus
`manifest.json` (import order) and `geplante_signalen.json` (the planted signals as data).
The output depends only on the seed and the fixed reference date 2025-03-15, never on "today";
the same seed gives byte-identical files. Pure Python: no Django, no network.

City: a ~140 km² outline around RD (155000, 463000), 66 buurten (Voronoi cells, denser in the
centre), 14 wijken and 5 stadsdelen (Centrum, Noord, Oost, Zuid, West); about 165,000
inhabitants in 2024. Special buurten: "Oude Markt" (Centrum, ~900 inhabitants, 1,250 businesses
and 60,000 daily visitors, so very high street crime), three rural buurten with 40, 95 and 160
inhabitants (suppressed household cells, secret rare crime types) and "Bedrijventerrein De Vaart"
(5 inhabitants, 2,400 businesses).

Base model (the null: no change over time beyond the items below). Expected monthly count =
national 2023 rate x denominator x days/365 x buurt effect x seasonality x COVID x planted x
late registration; observed = Poisson(expected x Gamma(8, mean 1)), so counts are overdispersed
(variance = mean + mean²/8). Details:
- denominators in inhabitant equivalents: dwellings for 1.1.1/1.1.2, businesses for 2.5.1, 2.5.2
  and 1.4.7 (scaled by the national ratios, so the national rate is kept), inhabitants plus
  visitors for street crime (1.2.3, 1.2.4, 1.4.6) and nightlife nuisance (M061, M062, F010, E38);
  street crime and nightlife nuisance x1.5 in all Centrum buurten;
- buurt effect: Gamma(4, mean 1) per buurt and type group (crime: the first two code levels;
  nuisance: per type), fixed at 1 in Oude Markt and Stationskwartier (designed levels);
- seasonality: woninginbraak 1.1.1 x1.3 in October-February relative to the other months;
  fietsdiefstal 1.2.3 a summer peak (cosine, ±30%); vuurwerk 2.6.9 45% in December and 35% in
  January; jeugdoverlast E35 ±20% and evenementen M062 ±40% with a summer peak;
- COVID-like dip (a series break, soort "breuk"): 2020-03 to 2021-12 zakkenrollerij 1.2.4 x0.5
  and woninginbraak 1.1.1 x0.8, in every buurt;
- late registration: 2025-01 x0.6 and 2025-02 x0.3 (the files are published 2025-03-15);
- 47022NED: the gemeente rows add ~3% unplaced crime per type on top of the sum of the wijken;
  sex offences (1.4.1, 3.2.1, 3.2.2, 3.7.3) are published only as yearly gemeente rows but
  count in every 0.0.0 total; 1.4.2, 1.4.7 and 1.6.3 are secret (".") in the three rural buurten.

Planted signals (also in `geplante_signalen.json`):
1. Woninginbraak hotspot (soort "niveau"): 1.1.1 x3.0 in all months of 2024 in five adjacent
   residential buurten (one buurt and the four neighbours that share the longest edges with it).
2. Rising jeugdoverlast (soort "trend"): 47024NED E35 x1.15 per year from 2019 (2019 x1.00,
   2024 x2.01, 2025 x2.31) in every buurt of the most populous wholly residential wijk outside
   Centrum.
3. Station quarter (soort "stabiel"): fietsdiefstal 1.2.3 and zakkenrollerij 1.2.4 x4.0 in all
   periods in the Centrum buurt "Stationskwartier".
4. The COVID-like dip above (soort "breuk", effect 0.5 for 1.2.4 and 0.8 for 1.1.1).
"""

from __future__ import annotations

from pathlib import Path

from .crime import build_crime, build_overlast
from .focus import write_focusgebieden
from .layout import build_city
from .manifest import SIGNALS_FILE, Manifest, ManifestEntry
from .meldingen import write_meldingen
from .model import BOUNDARY_VINTAGE, GEMEENTE_CODE, GEMEENTE_NAAM, GEPUBLICEERD, City
from .peers import build_regions, write_peer_population, write_peers
from .population import Population, build_population
from .records import write_records
from .reference import KWB_TABLES, write_buurten, write_codelijst, write_kwb, write_stadsdelen
from .signals import PlantedSignal, plant_signals
from .survey import write_monitor, write_panel
from .tables import publish, write_police_table, year_totals
from .writer import write_json

__all__ = ["DEFAULT_SEED", "Manifest", "ManifestEntry", "generate_demostad"]

DEFAULT_SEED = 20250315

CODELIJST = "gebieden/codelijst_demostad.csv"
BUURTEN = "gebieden/demostad_buurten_2024.geojson"
STADSDELEN_CSV = "gebieden/demostad_stadsdelen.csv"
FOCUSGEBIEDEN = "gebieden/demostad_focusgebieden.geojson"
CRIME = "misdrijven/47022NED_demostad.csv"
PEERS = "misdrijven/83648NED_demostad_peers.csv"
PEERS_BEVOLKING = "misdrijven/83648NED_peers_bevolking.csv"
OVERLAST_CSV = "overlast/47024NED_demostad.csv"
MONITOR = "veiligheidsmonitor/85146NED_demostad.csv"
PANEL = "veiligheidsmonitor/wijkpanel_demostad.csv"
MELDINGEN = "meldingen/signalen_demostad.geojson"
RECORDS = "eigen/woonoverlast_demostad.csv"
RECORDS_MAPPING = "eigen/woonoverlast_mapping.toml"


def generate_demostad(out_dir: Path, seed: int = DEFAULT_SEED) -> Manifest:
    """Write Demostad into out_dir and return its manifest (also written as manifest.json)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    city = build_city(seed)
    population = build_population(city, seed)
    signals = plant_signals(city, population)
    entries = _write_areas(out_dir, city, population)
    entries += _write_police(out_dir, city, population, signals, seed)
    entries += _write_other(out_dir, city, population, seed)
    write_json(out_dir / SIGNALS_FILE, [s.as_record() for s in signals])
    manifest = Manifest(GEMEENTE_CODE, GEMEENTE_NAAM, GEPUBLICEERD, seed, tuple(entries))
    manifest.write(out_dir)
    return manifest


def _write_areas(out_dir: Path, city: City, population: Population) -> list[ManifestEntry]:
    write_codelijst(out_dir / CODELIJST, city)
    write_buurten(out_dir / BUURTEN, city)
    write_stadsdelen(out_dir / STADSDELEN_CSV, city)
    write_focusgebieden(out_dir / FOCUSGEBIEDEN, city)
    entries = [
        ManifestEntry("codelist", CODELIJST, {"jaar": BOUNDARY_VINTAGE}),
        ManifestEntry("areas", BUURTEN, {"jaar": BOUNDARY_VINTAGE}),
        ManifestEntry("stadsdelen", STADSDELEN_CSV),
        ManifestEntry(
            "areas", FOCUSGEBIEDEN, {"jaar": BOUNDARY_VINTAGE, "classificatie": "intern"}
        ),
    ]
    for year, path in write_kwb(out_dir, city, population):
        entries.append(ManifestEntry("population", path, {"jaar": year, "tabel": KWB_TABLES[year]}))
    return entries


def _write_police(
    out_dir: Path, city: City, population: Population, signals: tuple[PlantedSignal, ...], seed: int
) -> list[ManifestEntry]:
    crime = build_crime(city, population, signals, seed)
    published = publish(crime, city)
    write_police_table(
        out_dir / CRIME, crime, published, "SoortMisdrijf", "GeregistreerdeMisdrijven_1"
    )
    gemeente_totals = {year: int(values[0]) for year, values in year_totals(published).items()}
    inwoners = {
        year: int(population.inwoners[:, population.year(year)].sum()) for year in gemeente_totals
    }
    regions = build_regions(inwoners, gemeente_totals, seed)
    write_peers(out_dir / PEERS, regions)
    write_peer_population(out_dir / PEERS_BEVOLKING, regions)
    overlast = build_overlast(city, population, signals, seed)
    write_police_table(
        out_dir / OVERLAST_CSV,
        overlast,
        publish(overlast, city),
        "Overlast",
        "GeregistreerdeOverlast_1",
    )
    return [
        ManifestEntry("crime", CRIME, {"gepubliceerd": GEPUBLICEERD}),
        ManifestEntry("crime", PEERS),
        ManifestEntry("overlast", OVERLAST_CSV, {"gepubliceerd": GEPUBLICEERD}),
    ]


def _write_other(
    out_dir: Path, city: City, population: Population, seed: int
) -> list[ManifestEntry]:
    write_monitor(out_dir / MONITOR)
    write_panel(out_dir / PANEL, city, population, seed)
    write_meldingen(out_dir / MELDINGEN, city, population, seed)
    write_records(out_dir / RECORDS, out_dir / RECORDS_MAPPING, city, population, seed)
    return [
        ManifestEntry("survey", MONITOR),
        ManifestEntry("panel", PANEL),
        ManifestEntry("meldingen", MELDINGEN),
        ManifestEntry("records", RECORDS, {"mapping": RECORDS_MAPPING}),
    ]
