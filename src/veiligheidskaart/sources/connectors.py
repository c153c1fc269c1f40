"""Online connectors: CBS OData v3 (StatLine and the police catalogue) and PDOK OGC API Features.

A fetch writes the file in the layout a download from the publisher has, then imports it
through ``import_dataset``: fetched data takes the same path as a downloaded file, so it
gets the same provenance, versioning and idempotence. Standard library only (urllib).
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin, urlsplit

from veiligheidskaart import __version__

if TYPE_CHECKING:
    from veiligheidskaart.sources.services import ImportResult, Progress

POLITIE_URL = "https://dataderden.cbs.nl/ODataApi/OData/{table}/"
OPENDATA_URL = "https://opendata.cbs.nl/ODataApi/odata/{table}/"
PDOK_URL = "https://api.pdok.nl/cbs/wijken-en-buurten-{jaar}/ogc/v1"
POLICE_TABLES = frozenset({"47018NED", "47022NED", "47024NED", "47013NED"})
CRIME_TABLES = frozenset({"47018NED", "47022NED", "83648NED"})
DIMENSION_TYPES = frozenset({"Dimension", "GeoDimension", "GeoDetail", "TimeDimension"})
REGION_TYPES = frozenset({"GeoDimension", "GeoDetail"})  # the GeoDetail trap: not "Dimension"
REGION_KEY_WIDTH = 10  # CBS region keys are padded: "GM0153    "
PDOK_LIMIT = 1000
TRIES = 4
BACKOFF_SECONDS = 1.0  # first wait; doubles per try
TIMEOUT_SECONDS = 60.0
USER_AGENT = f"veiligheidskaart/{__version__} (urllib)"
ODATA_SAFE = "'(),"  # OData wants these literal; spaces go as %20, never '+'

PageProgress = Callable[[str], None]


class FetchError(Exception):
    """The server or the network failed; the message is one Dutch line (exit code 1)."""


class FetchInputError(ValueError):
    """Bad arguments for this source or table (exit code 2)."""


class _Transient(Exception):
    """A failure worth another try: HTTP 5xx/429, time-out, broken connection."""


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}"


# ---------------------------------------------------------------- HTTP


@dataclass
class HttpClient:
    """GET JSON with retries and exponential backoff; ``sleep`` is injectable for tests."""

    tries: int = TRIES
    timeout: float = TIMEOUT_SECONDS
    backoff: float | None = None  # None: BACKOFF_SECONDS, read at call time
    sleep: Callable[[float], None] = time.sleep

    def get_json(self, url: str) -> Any:
        body = self._get(url)
        try:
            return json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise FetchError(f"ongeldig antwoord (geen JSON) van {_where(url)}") from exc

    def _get(self, url: str) -> bytes:
        base = BACKOFF_SECONDS if self.backoff is None else self.backoff
        for attempt in range(1, self.tries + 1):
            try:
                return self._once(url)
            except _Transient as exc:
                if attempt == self.tries:
                    raise FetchError(
                        f"{exc} bij {_where(url)}, ook na {self.tries} pogingen"
                    ) from exc
                self.sleep(base * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    def _once(self, url: str) -> bytes:
        request = urllib.request.Request(
            url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as exc:  # before URLError: it is a subclass
            if exc.code >= 500 or exc.code == 429:
                raise _Transient(f"serverfout (HTTP {exc.code})") from exc
            raise FetchError(f"HTTP {exc.code} ({exc.reason}) bij {_where(url)}") from exc
        except TimeoutError as exc:
            raise _Transient("time-out") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise _Transient("time-out") from exc
            raise _Transient(f"geen verbinding ({exc.reason})") from exc
        except (ConnectionError, http.client.HTTPException) as exc:
            raise _Transient(f"verbinding verbroken ({type(exc).__name__})") from exc


def _pages(
    client: HttpClient, url: str, items: str, next_link: Callable[[dict[str, Any]], str | None]
) -> Iterator[list[Any]]:
    """The ``items`` list of each page, following the next link until it is absent."""
    seen: set[str] = set()
    next_url: str | None = url
    while next_url:
        if next_url in seen:  # a server bug must not become an endless loop
            raise FetchError(f"paginering keert terug naar een eerdere pagina: {_where(url)}")
        seen.add(next_url)
        data = client.get_json(next_url)
        if not isinstance(data, dict) or not isinstance(data.get(items), list):
            raise FetchError(f"onverwacht antwoord zonder '{items}' van {_where(next_url)}")
        yield data[items]
        link = next_link(data)
        next_url = urljoin(next_url, link) if link else None


def _collect(pages: Iterator[list[Any]], unit: str, progress: PageProgress) -> list[Any]:
    found: list[Any] = []
    for number, page in enumerate(pages, 1):
        found += page
        progress(f"pagina {number}: {len(page)} {unit} (totaal {len(found)})")
    return found


def _write_atomic(path: Path, text: str) -> None:
    """Write beside, then rename: a failed run never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    os.replace(tmp, path)


# ---------------------------------------------------------------- CBS OData v3


@dataclass(frozen=True)
class TableMeta:
    table: str
    title: str
    modified: date | None
    dimensions: list[str]
    region_key: str | None
    region_type: str | None
    topics: list[str]  # numeric topics only; string topics are labels


@dataclass(frozen=True)
class CbsDownload:
    path: Path
    rows: int
    meta: TableMeta


def check_table(table: str) -> str:
    if not re.fullmatch(r"\d{5}[A-Z]{3}", table):
        raise FetchInputError(f"ongeldige tabel-id '{table}' (verwacht bijvoorbeeld 47018NED)")
    return table


def check_gemeente(code: str | None) -> str:
    if not code or not re.fullmatch(r"GM\d{4}", code):
        raise FetchInputError(f"ongeldige gemeentecode '{code}' (verwacht bijvoorbeeld GM0153)")
    return code


def catalogus_for(table: str, catalogus: str | None = None) -> str:
    if catalogus not in (None, "politie", "cbs"):
        raise FetchInputError(f"onbekende catalogus '{catalogus}' (kies politie of cbs)")
    return catalogus or ("politie" if table in POLICE_TABLES else "cbs")


def cbs_base_url(table: str, catalogus: str) -> str:
    """The table's OData root; the environment overrides the host (tests, mirrors)."""
    env = "VK_CBS_ODATA_URL" if catalogus == "politie" else "VK_CBS_OPENDATA_URL"
    default = POLITIE_URL if catalogus == "politie" else OPENDATA_URL
    template = os.environ.get(env) or default
    if "{table}" in template:
        return template.format(table=table).rstrip("/") + "/"
    return f"{template.rstrip('/')}/{table}/"


def odata_url(base: str, entity: str, params: dict[str, str]) -> str:
    query = "&".join(f"{k}={quote(v, safe=ODATA_SAFE)}" for k, v in params.items())
    return f"{base}{entity}?{query}"


def region_filter(meta: TableMeta, gemeente: str) -> str:
    """Police GeoDetail columns select a whole gemeente by substring; others by padded key."""
    if meta.region_key is None:
        raise FetchInputError(f"tabel {meta.table} heeft geen regiokolom; gebruik --alle-gemeenten")
    if meta.region_type == "GeoDetail":
        return f"substring({meta.region_key},2,4) eq '{gemeente[2:]}'"
    return f"{meta.region_key} eq '{gemeente.ljust(REGION_KEY_WIDTH)}'"


def read_table_meta(client: HttpClient, table: str, base: str) -> TableMeta:
    infos = client.get_json(odata_url(base, "TableInfos", {"$format": "json"}))
    props = client.get_json(odata_url(base, "DataProperties", {"$format": "json"}))
    info = (infos.get("value") or [{}])[0] if isinstance(infos, dict) else {}
    items = props.get("value") if isinstance(props, dict) else None
    if not isinstance(items, list) or not items:
        raise FetchError(f"tabel {table}: DataProperties ontbreekt of is leeg")
    dims = [p for p in items if p.get("Type") in DIMENSION_TYPES]
    region = next((p for p in dims if p.get("Type") in REGION_TYPES), None)
    topics = [p["Key"] for p in items if p.get("Type") == "Topic" and p.get("Datatype") != "String"]
    return TableMeta(
        table=table,
        title=str(info.get("Title") or ""),
        modified=_iso_date(info.get("Modified")),
        dimensions=[p["Key"] for p in dims],
        region_key=region["Key"] if region else None,
        region_type=region["Type"] if region else None,
        topics=topics,
    )


def _iso_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def cbs_csv(meta: TableMeta, rows: list[dict[str, Any]]) -> str:
    """The CBS CSV download layout: ';', quoted keys kept padded, '.' for empty cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    writer.writerow(["ID", *meta.dimensions, *meta.topics])
    for i, row in enumerate(rows):
        keys = [row.get(d) or "" for d in meta.dimensions]
        values = ["." if row.get(t) is None else row[t] for t in meta.topics]
        writer.writerow([row.get("ID", i), *keys, *values])
    return buffer.getvalue()


def fetch_cbs_table(
    table: str,
    gemeente: str | None,
    out_dir: Path,
    catalogus: str | None = None,
    client: HttpClient | None = None,
    progress: PageProgress | None = None,
) -> CbsDownload:
    """Fetch one table (one gemeente, or all rows when ``gemeente`` is None) to a CSV file."""
    check_table(table)
    if gemeente is not None:
        check_gemeente(gemeente)
    client = client or HttpClient()
    base = cbs_base_url(table, catalogus_for(table, catalogus))
    meta = read_table_meta(client, table, base)
    params = {"$filter": region_filter(meta, gemeente)} if gemeente else {}
    url = odata_url(base, "TypedDataSet", {**params, "$format": "json"})
    pages = _pages(client, url, "value", lambda data: data.get("odata.nextLink"))
    rows = _collect(pages, "rijen", progress or (lambda message: None))
    if not rows:  # a wrong or unpadded key returns nothing, silently
        where = f" voor {gemeente}" if gemeente else ""
        raise FetchInputError(f"tabel {table} gaf geen rijen{where} (bestaat de gemeentecode?)")
    path = out_dir / f"{table}_{gemeente or 'alle'}.csv"
    _write_atomic(path, cbs_csv(meta, rows))
    return CbsDownload(path, len(rows), meta)


def import_plan(meta: TableMeta, gemeente: str | None) -> tuple[str, dict[str, Any]] | None:
    """Which import kind and options a fetched table gets; None: no importer for it."""
    from veiligheidskaart.sources.parsers.codelists import KWB_TABLES

    table = meta.table
    scope = {"gemeente": gemeente} if gemeente else {}
    published = {"gepubliceerd": meta.modified.isoformat()} if meta.modified else {}
    if table in CRIME_TABLES:
        return "crime", {"tabel": table, **published, **scope}
    if table == "47024NED":
        return "overlast", {"tabel": table, **published, **scope}
    if table == "85146NED":
        return "survey", {"tabel": table, **scope}
    if table in KWB_TABLES or meta.title.startswith("Kerncijfers wijken en buurten"):
        # an unknown (newer) Kerncijfers table: its boundary year is in the title
        year = re.search(r"(20\d{2})\s*$", meta.title)
        jaar = {"jaar": int(year.group(1))} if year and table not in KWB_TABLES else {}
        return "population", {"tabel": table, **jaar, **scope}
    return None


# ---------------------------------------------------------------- PDOK OGC API Features


@dataclass(frozen=True)
class PdokDownload:
    path: Path
    rows: int


def pdok_items_url(jaar: int, gemeente: str) -> str:
    base = (os.environ.get("VK_PDOK_URL") or PDOK_URL).replace("{jaar}", str(jaar)).rstrip("/")
    return f"{base}/collections/buurten/items?f=json&limit={PDOK_LIMIT}&gemeentecode={gemeente}"


def _next_link(links: Any) -> str | None:
    """The ``rel=next`` link, preferring a JSON one when several formats are offered."""
    nexts = [x for x in links or [] if isinstance(x, dict) and x.get("rel") == "next"]
    nexts.sort(key=lambda x: "json" not in str(x.get("type", "json")))
    return str(nexts[0]["href"]) if nexts else None


def fetch_pdok_buurten(
    jaar: int,
    gemeente: str,
    out_dir: Path,
    client: HttpClient | None = None,
    progress: PageProgress | None = None,
) -> PdokDownload:
    """All buurten of one gemeente as one GeoJSON FeatureCollection (WGS84, RFC 7946)."""
    check_gemeente(gemeente)
    if not 2000 <= jaar <= 2100:
        raise FetchInputError(f"ongeldig jaar {jaar}")
    url = pdok_items_url(jaar, gemeente)
    pages = _pages(client or HttpClient(), url, "features", lambda d: _next_link(d.get("links")))
    features = _collect(pages, "buurten", progress or (lambda message: None))
    if not features:
        raise FetchInputError(f"geen buurten voor {gemeente} in wijken en buurten {jaar}")
    path = out_dir / f"wijkenbuurten_{jaar}_{gemeente}.geojson"
    collection = {"type": "FeatureCollection", "features": features}
    _write_atomic(path, json.dumps(collection, ensure_ascii=False, separators=(",", ":")))
    return PdokDownload(path, len(features))


# ---------------------------------------------------------------- services: fetch, then import


@dataclass(frozen=True)
class FetchResult:
    path: Path
    rows: int
    kind: str | None
    imported: ImportResult | None


def fetch_and_import_cbs(
    table: str,
    gemeente: str | None,
    out_dir: Path,
    catalogus: str | None = None,
    importeren: bool = True,
    client: HttpClient | None = None,
    progress: PageProgress | None = None,
    import_progress: Progress | None = None,
) -> FetchResult:
    download = fetch_cbs_table(table, gemeente, out_dir, catalogus, client, progress)
    plan = import_plan(download.meta, gemeente)
    if plan is None or not importeren:
        return FetchResult(download.path, download.rows, plan[0] if plan else None, None)
    from veiligheidskaart.sources.services import import_dataset

    result = import_dataset(plan[0], download.path, plan[1], progress=import_progress)
    return FetchResult(download.path, download.rows, plan[0], result)


def fetch_and_import_pdok(
    jaar: int,
    gemeente: str,
    out_dir: Path,
    importeren: bool = True,
    client: HttpClient | None = None,
    progress: PageProgress | None = None,
    import_progress: Progress | None = None,
) -> FetchResult:
    download = fetch_pdok_buurten(jaar, gemeente, out_dir, client, progress)
    if not importeren:
        return FetchResult(download.path, download.rows, "areas", None)
    from veiligheidskaart.sources.services import import_dataset

    options = {"jaar": jaar, "gemeente": gemeente}
    result = import_dataset("areas", download.path, options, progress=import_progress)
    return FetchResult(download.path, download.rows, "areas", result)
