"""Online connectors against recorded responses, served by a real local HTTP server.

Nothing is mocked: the client talks HTTP to 127.0.0.1. The first path segment picks the
server's behaviour: ``ok``, ``flaky`` (503 twice per path, then the fixture), ``slow``
(the first answer per path comes too late) and ``down`` (always 500).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from veiligheidskaart.areas.models import Area
from veiligheidskaart.cli import main
from veiligheidskaart.observations.models import Kerncijfer, Observation
from veiligheidskaart.sources import connectors
from veiligheidskaart.sources.connectors import FetchError, HttpClient
from veiligheidskaart.sources.models import Dataset

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "fetch"
PAGE_PARAMS = ("$skip", "cursor")
SLOW_SECONDS = 1.0
CRIME_HEADER = '"ID";"SoortMisdrijf";"WijkenEnBuurten";"Perioden";"GeregistreerdeMisdrijven_1"'


class FixtureServer:
    """A ThreadingHTTPServer in a thread that answers from tests/fixtures/fetch."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def requested(self, fragment: str) -> list[str]:
        """Decoded request targets that contain ``fragment``."""
        return [unquote(p) for p in self.paths if fragment in unquote(p)]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _fixture_file(rel: str, query: str) -> Path:
    params = parse_qs(query, keep_blank_values=True)
    suffix = "".join(f".{k.lstrip('$')}-{params[k][0]}" for k in PAGE_PARAMS if k in params)
    return FIXTURES / f"{rel}{suffix}.json"


def _handler(server: FixtureServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            split = urlsplit(self.path)
            mode, _, rel = split.path.lstrip("/").partition("/")
            with server.lock:
                server.paths.append(self.path)
                server.hits[split.path] += 1
                hit = server.hits[split.path]
            if mode == "down":
                return self._send(500, b'{"odata.error":{"message":{"value":"stuk"}}}')
            if mode == "flaky" and hit <= 2:
                return self._send(503, b"Service Unavailable")
            if mode == "slow" and hit == 1:
                time.sleep(SLOW_SECONDS)
            path = _fixture_file(rel, split.query)
            if not path.is_file():
                return self._send(404, b'{"message":"niet gevonden"}')
            body = path.read_text(encoding="utf-8").replace("{base}", f"{server.url}/{mode}")
            self._send(200, body.encode("utf-8"))

        def _send(self, status: int, body: bytes) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (time-out test)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    srv = FixtureServer()
    yield srv
    srv.close()


def point(monkeypatch: pytest.MonkeyPatch, server: FixtureServer, mode: str = "ok") -> None:
    monkeypatch.setenv("VK_CBS_ODATA_URL", f"{server.url}/{mode}/politie")
    monkeypatch.setenv("VK_CBS_OPENDATA_URL", f"{server.url}/{mode}/cbs")
    monkeypatch.setenv("VK_PDOK_URL", f"{server.url}/{mode}/pdok/wijken-en-buurten-{{jaar}}/ogc/v1")


@pytest.fixture
def ok(server: FixtureServer, monkeypatch: pytest.MonkeyPatch) -> FixtureServer:
    point(monkeypatch, server)
    return server


def quick() -> HttpClient:
    return HttpClient(sleep=lambda seconds: None)


# ---------------------------------------------------------------- CBS: paging, filter, layout


def test_police_table_follows_next_links_and_writes_the_cbs_csv_layout(ok, tmp_path):
    pages: list[str] = []
    download = connectors.fetch_cbs_table("47018NED", "GM9999", tmp_path, progress=pages.append)
    assert download.rows == 7 and download.path == tmp_path / "47018NED_GM9999.csv"
    assert len(ok.requested("/TypedDataSet")) == 2 and ok.requested("$skip=4")
    assert pages == ["pagina 1: 4 rijen (totaal 4)", "pagina 2: 3 rijen (totaal 7)"]
    lines = download.path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == CRIME_HEADER
    assert lines[1] == '0;"0.0.0 ";"GM9999    ";"2023JJ00";9120'
    assert lines[6] == '5;"1.1.1 ";"BU99990101";"2024JJ00";"."'  # null: secret, not zero
    assert len(lines) == 8
    assert download.meta.modified == date(2025, 1, 31)
    assert download.meta.region_key == "WijkenEnBuurten"  # found although its type is GeoDetail


def test_gemeente_filter_is_sent_with_the_exact_keys(ok, tmp_path):
    connectors.fetch_cbs_table("47018NED", "GM9999", tmp_path)
    connectors.fetch_cbs_table("83648NED", "GM9999", tmp_path)
    police = ok.requested("/politie/47018NED/TypedDataSet")[0]
    assert "$filter=substring(WijkenEnBuurten,2,4) eq '9999'&$format=json" in police
    assert ok.requested("/cbs/83648NED/TypedDataSet?$filter=RegioS eq 'GM9999    '&")
    assert all("+" not in p for p in ok.paths)  # spaces travel as %20


def test_all_gemeenten_sends_no_filter(ok, tmp_path):
    download = connectors.fetch_cbs_table("83648NED", None, tmp_path)
    assert download.path.name == "83648NED_alle.csv"
    assert ok.requested("/TypedDataSet") == ["/ok/cbs/83648NED/TypedDataSet?$format=json"]


def test_83648ned_is_written_with_the_typed_dataset_columns(ok, tmp_path):
    download = connectors.fetch_cbs_table("83648NED", "GM9999", tmp_path)
    assert download.path.read_text(encoding="utf-8").splitlines() == [
        '"ID";"SoortMisdrijf";"RegioS";"Perioden";"TotaalGeregistreerdeMisdrijven_1";'
        '"GeregistreerdeMisdrijvenRelatief_2";"GeregistreerdeMisdrijvenPer1000Inw_3"',
        '511;"T001161";"GM9999    ";"2023JJ00";9120;100.0;55.7',
        '512;"CRI1000";"GM9999    ";"2023JJ00";4311;47.3;"."',
    ]


def test_83648ned_typed_layout_imports_as_its_own_series(ok, tmp_path):
    result = connectors.fetch_and_import_cbs("83648NED", "GM9999", tmp_path)
    assert result.imported is not None and result.imported.changed
    dataset = Dataset.objects.get(pk=result.imported.dataset_id)
    assert dataset.table_id == "83648NED"
    rows = dataset.observations.filter(area__code="GM9999")
    assert rows.get(source_code="T001161").value == 9120
    assert rows.get(source_code="T001161.per1000").value == pytest.approx(55.7)
    assert rows.get(source_code="CRI1000.per1000").status == "secret"


def _meta(table: str, title: str = "") -> connectors.TableMeta:
    return connectors.TableMeta(table, title, date(2025, 1, 31), [], None, None, [])


@pytest.mark.parametrize(
    ("meta", "plan"),
    [
        (_meta("47022NED"), ("crime", {"tabel": "47022NED", "gepubliceerd": "2025-01-31"})),
        (_meta("47024NED"), ("overlast", {"tabel": "47024NED", "gepubliceerd": "2025-01-31"})),
        (_meta("85984NED"), ("population", {"tabel": "85984NED"})),
        (_meta("86999NED", "Kerncijfers wijken en buurten 2027"),
         ("population", {"tabel": "86999NED", "jaar": 2027})),
        (_meta("85146NED"), ("survey", {"tabel": "85146NED"})),
        (_meta("47013NED"), None),
    ],
)  # fmt: skip
def test_import_kind_and_options_follow_the_table(meta, plan):
    assert connectors.import_plan(meta, None) == plan


# ---------------------------------------------------------------- retries and failures


def test_503_twice_is_retried_with_exponential_backoff(server, monkeypatch, tmp_path):
    point(monkeypatch, server, "flaky")
    sleeps: list[float] = []
    client = HttpClient(sleep=sleeps.append)
    download = connectors.fetch_cbs_table("47018NED", "GM9999", tmp_path, client=client)
    assert download.rows == 7
    assert server.hits["/flaky/politie/47018NED/TableInfos"] == 3
    assert sleeps == [1.0, 2.0] * 3  # TableInfos, DataProperties, TypedDataSet


def test_a_time_out_is_retried(server, monkeypatch, tmp_path):
    point(monkeypatch, server, "slow")
    client = HttpClient(timeout=0.3, sleep=lambda seconds: None)
    download = connectors.fetch_cbs_table("47018NED", "GM9999", tmp_path, client=client)
    assert download.rows == 7
    assert server.hits["/slow/politie/47018NED/TableInfos"] == 2


def test_persistent_500_fails_cleanly_after_all_tries(server, monkeypatch, tmp_path):
    point(monkeypatch, server, "down")
    sleeps: list[float] = []
    with pytest.raises(FetchError) as caught:
        connectors.fetch_cbs_table(
            "47018NED", "GM9999", tmp_path, client=HttpClient(sleep=sleeps.append)
        )
    host = server.url.removeprefix("http://")
    assert str(caught.value) == (
        f"serverfout (HTTP 500) bij {host}/down/politie/47018NED/TableInfos, ook na 4 pogingen"
    )
    assert sleeps == [1.0, 2.0, 4.0]
    assert server.hits["/down/politie/47018NED/TableInfos"] == 4
    assert list(tmp_path.iterdir()) == []


def test_unknown_table_is_a_clean_http_error(ok, tmp_path):
    with pytest.raises(FetchError, match=r"^HTTP 404 \(Not Found\) bij .*/12345NED/TableInfos$"):
        connectors.fetch_cbs_table("12345NED", "GM9999", tmp_path, catalogus="cbs", client=quick())


# ---------------------------------------------------------------- fetch, then import


def test_fetched_police_table_imports_and_a_second_fetch_changes_nothing(ok, tmp_path):
    before = Observation.objects.count()
    first = connectors.fetch_and_import_cbs("47018NED", "GM9999", tmp_path)
    assert first.kind == "crime" and first.imported is not None and first.imported.changed
    assert Observation.objects.count() == before + 7
    dataset = Dataset.objects.get(pk=first.imported.dataset_id)
    assert (dataset.table_id, dataset.published_on) == ("47018NED", date(2025, 1, 31))
    secret = Observation.objects.get(dataset=dataset, area__code="BU99990101", value=None)
    assert secret.status == "secret"
    datasets = Dataset.objects.count()
    second = connectors.fetch_and_import_cbs("47018NED", "GM9999", tmp_path)
    assert second.imported is not None and not second.imported.changed
    assert second.imported.dataset_id == dataset.pk
    assert (Dataset.objects.count(), Observation.objects.count()) == (datasets, before + 7)


def test_kerncijfers_table_imports_as_population(ok, tmp_path):
    before = Kerncijfer.objects.count()
    result = connectors.fetch_and_import_cbs("85984NED", "GM9999", tmp_path)
    assert result.kind == "population" and result.imported is not None
    assert Kerncijfer.objects.count() == before + 4
    dataset = Dataset.objects.get(pk=result.imported.dataset_id)
    assert (dataset.table_id, dataset.vintage) == ("85984NED", 2024)
    suppressed = Kerncijfer.objects.get(dataset=dataset, area__code="BU99990102")
    assert suppressed.inhabitants is None  # -99997 is suppressed, never a count


def test_pdok_buurten_follow_next_links_and_import_as_areas(ok, tmp_path):
    pages: list[str] = []
    before = Area.objects.filter(vintage=2025).count()
    result = connectors.fetch_and_import_pdok(2025, "GM9999", tmp_path, progress=pages.append)
    assert pages == ["pagina 1: 2 buurten (totaal 2)", "pagina 2: 1 buurten (totaal 3)"]
    assert ok.requested("/items?f=json&limit=1000&gemeentecode=GM9999&cursor=Ab3")
    assert not ok.requested("f=html")  # the JSON next link, not the HTML one
    written = json.loads(result.path.read_text(encoding="utf-8"))
    assert set(written) == {"type", "features"} and len(written["features"]) == 3
    assert result.imported is not None and result.imported.changed
    # three buurten, plus wijk WK999901 and gemeente GM9999 derived from them
    assert Area.objects.filter(vintage=2025).count() == before + 5
    again = connectors.fetch_and_import_pdok(2025, "GM9999", tmp_path)
    assert again.imported is not None and not again.imported.changed


# ---------------------------------------------------------------- CLI exit codes


def test_cli_fetch_cbs_exits_0_with_progress_per_page(ok, tmp_path, capsys):
    argv = ["fetch", "cbs", "47018NED", "--gemeente", "GM9999", "--out", str(tmp_path)]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert "[ophalen 47018NED] pagina 2: 3 rijen (totaal 7)" in err
    assert "47018NED_GM9999.csv: crime, versie 1, 7 rijen" in out
    assert main(argv) == 0
    assert "47018NED_GM9999.csv: crime, ongewijzigd" in capsys.readouterr().out


def test_cli_fetch_pdok_only_fetch_exits_0(ok, tmp_path, capsys):
    argv = ["fetch", "pdok", "wijkenbuurten", "--jaar", "2025", "--gemeente", "GM9999",
            "--out", str(tmp_path), "--alleen-ophalen"]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "wijkenbuurten_2025_GM9999.geojson (3 rijen)" in out
    assert "niet geïmporteerd (--alleen-ophalen)" in out


def test_cli_server_failure_exits_1_with_one_dutch_line(server, monkeypatch, tmp_path, capsys):
    point(monkeypatch, server, "down")
    monkeypatch.setattr(connectors, "BACKOFF_SECONDS", 0.0)
    assert main(["fetch", "cbs", "47018NED", "--gemeente", "GM9999", "--out", str(tmp_path)]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("fout")]
    assert len(errors) == 1 and errors[0].startswith("fout: serverfout (HTTP 500) bij ")


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (["fetch", "cbs", "47018NED"], "geef --gemeente GMxxxx of --alle-gemeenten op"),
        (["fetch", "cbs", "4718", "--gemeente", "GM9999"], "ongeldige tabel-id '4718'"),
        (["fetch", "cbs", "47018NED", "--gemeente", "0153"], "ongeldige gemeentecode '0153'"),
        (["fetch", "pdok", "wijkenbuurten", "--jaar", "1850", "--gemeente", "GM9999"],
         "ongeldig jaar 1850"),
    ],
)  # fmt: skip
def test_cli_bad_arguments_exit_2(ok, tmp_path, capsys, argv, reason):
    assert main([*argv, "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith(f"fout: {reason}")
    assert ok.paths == []  # rejected before any request


def test_cli_missing_required_option_exits_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["fetch", "pdok", "wijkenbuurten", "--gemeente", "GM9999"])
    assert caught.value.code == 2
