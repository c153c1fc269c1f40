"""The ``veiligheidskaart`` command: thin adapters that parse arguments and call services.

Exit codes: 0 success; 2 bad input or usage, with one line that names file, row and
column; 1 any other failure.
"""

from __future__ import annotations

import argparse
import importlib
import os
import secrets
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# Apps that bring their own subcommands: each module has ``register(add)``, where ``add``
# is the helper in build_parser. They must not import Django models at module level.
COMMAND_MODULES: tuple[str, ...] = (
    "veiligheidskaart.policy.cli",
    "veiligheidskaart.meldingen.cli",
    "veiligheidskaart.reports.cli",
    "veiligheidskaart.accounts.cli",
)


class UsageError(Exception):
    """Bad arguments: exit code 2."""


class ProgressPrinter:
    """Progress lines on stderr, at most a few per second, so long work is visible."""

    def __init__(self, label: str, stream: Any = None) -> None:
        self.label, self.stream, self.last = label, stream or sys.stderr, 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.5:
            return
        self.last = now
        pct = f" ({100 * done // total}%)" if total else ""
        print(
            f"[{self.label}] {stage}: {done:,}/{total:,}{pct}".replace(",", "."),
            file=self.stream,
            flush=True,
        )


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veiligheidskaart.settings")
    import django

    django.setup()


def cmd_migrate(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if args.verbose else 0)
    print("database bijgewerkt")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from veiligheidskaart.sources.services import import_dataset

    options = {
        k: v
        for k, v in {
            "jaar": args.jaar,
            "gemeente": args.gemeente,
            "mapping": args.mapping,
            "gepubliceerd": args.gepubliceerd,
            "tabel": args.tabel,
            "crs": args.crs,
        }.items()
        if v
    }
    for name in args.files:
        path = Path(name)
        result = import_dataset(
            args.kind,
            path,
            options,
            skip_invalid=args.skip_invalid,
            progress=ProgressPrinter(f"import {args.kind} {path.name}"),
        )
        state = f"versie {result.version}, {result.rows} rijen" if result.changed else "ongewijzigd"
        print(f"{path.name}: {state} (dataset {result.dataset_id})")
        for key, count in result.notes.items():
            print(f"  {key}: {count}")
        for warning in result.warnings[:20]:
            print(f"  waarschuwing: {warning}")
        for problem in result.rejected[:50]:
            print(f"  overgeslagen: {problem.line()}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from veiligheidskaart.demo.services import build_demo

    summary = build_demo(progress=ProgressPrinter("demo"))
    print(f"Demostad (fictieve gemeente) staat klaar in {summary.data_dir}")
    print(
        f"  {summary.buurten} buurten, {summary.datasets_new} nieuwe datasets, "
        f"{summary.datasets_unchanged} ongewijzigd"
    )
    print(
        f"  beheerder: gebruiker '{summary.admin_username}', wachtwoord '{summary.admin_password}'"
    )
    if args.no_serve:
        return 0
    return _serve(args.host, args.port, args.workers)


def cmd_serve(args: argparse.Namespace) -> int:
    return _serve(args.host, args.port, args.workers)


def _serve(host: str, port: int, workers: int) -> int:
    from gunicorn.app.base import BaseApplication

    from veiligheidskaart.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", None)

        def load(self) -> Any:
            return application

    print(f"Veiligheidskaart draait op http://{host}:{port}/kaart (stoppen: Ctrl+C)", flush=True)
    runner = _job_runner()
    try:
        Server().run()
    finally:
        runner.terminate()
        runner.wait(timeout=10)
    return 0


def _job_runner() -> Any:
    """A child process that runs the report jobs requested on /rapporten (DESIGN §7)."""
    import subprocess

    command = [sys.executable, "-m", "veiligheidskaart", "report", "jobs", "--run", "--blijf"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL)


def _gemeente(code: str | None) -> Any:
    from veiligheidskaart.areas.models import Area
    from veiligheidskaart.observations.queries import home_gemeente

    if code:
        area = (Area.objects.filter(code=code, level="gemeente", centroid_x__isnull=False)
                .order_by("-vintage").first())  # fmt: skip
        if area is None:
            raise UsageError(f"gemeente {code} heeft geen geladen buurten met geometrie")
        return area
    area = home_gemeente()
    if area is None:
        raise UsageError("geen eigen gemeente: geef --gemeente GMxxxx of zet VK_GEMEENTE")
    return area


def cmd_analyse(args: argparse.Namespace) -> int:
    from veiligheidskaart.observations.judge import run_analysis

    gemeente = _gemeente(args.gemeente)
    run = run_analysis(gemeente, year=args.year, progress=ProgressPrinter("analyse"), force=True)
    print(
        f"analyse {run.pk} voor {gemeente.name} ({gemeente.code}), jaar {run.year}, seed {run.seed}"
    )
    tests = sum(f["grootte"] for f in run.families)
    print(f"  FDR-families: {len(run.families)}, toetsen na filter: {tests}, "
          f"prioriteiten: {run.priorities.count()}")  # fmt: skip
    return 0


def cmd_priorities(args: argparse.Namespace) -> int:
    from veiligheidskaart.observations.ranking import priority_rows, write_rows

    gemeente = _gemeente(args.gemeente)
    rows = priority_rows(gemeente.code, args.year)
    if rows is None:
        raise UsageError(f"geen analyse voor {gemeente.code} in {args.year}: draai eerst 'analyse'")
    write_rows(rows[: args.top] if args.top else rows, args.format, sys.stdout)
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    from veiligheidskaart.accounts import services

    if args.action == "list":
        for username, role, scopes in services.user_rows():
            print(f"{username}\t{role}\t{scopes}")
        return 0
    password = args.password or secrets.token_urlsafe(12)
    try:
        services.create_user(
            args.username, args.role, password, args.email or "", args.stadsdeel or []
        )
    except services.AccountError as exc:
        raise UsageError(str(exc)) from exc
    print(f"gebruiker '{args.username}' aangemaakt met rol {args.role}")
    if not args.password:
        print(f"wachtwoord: {password}")
    return 0


SHOWN_PROBLEMS = 10


def _report_problems(problems: Sequence[Any]) -> None:
    """Show the first problems; every one goes to a validation report in VK_DATA_DIR."""
    for problem in problems[1:SHOWN_PROBLEMS]:
        print(f"  {problem.line()}", file=sys.stderr)
    if len(problems) <= SHOWN_PROBLEMS:
        return
    from django.conf import settings

    folder = Path(settings.VK_DATA_DIR) / "importrapporten"
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{Path(problems[0].file).name}.txt"
    report.write_text("".join(p.line() + "\n" for p in problems), encoding="utf-8")
    print(f"  … alle {len(problems)} problemen staan in {report}", file=sys.stderr)


def cmd_fetch(args: argparse.Namespace) -> int:
    """Fetch open data online (CBS OData v3, PDOK OGC API), write the file, then import it."""
    from django.conf import settings

    from veiligheidskaart.sources import connectors

    out = Path(args.out) if args.out else Path(settings.VK_DATA_DIR) / "downloads"
    label = f"ophalen {args.table}" if args.source == "cbs" else f"ophalen {args.layer}"

    def page(message: str) -> None:
        print(f"[{label}] {message}", file=sys.stderr, flush=True)

    try:
        if args.source == "cbs":
            if not args.gemeente and not args.alle_gemeenten:
                raise UsageError("geef --gemeente GMxxxx of --alle-gemeenten op")
            result = connectors.fetch_and_import_cbs(
                args.table, None if args.alle_gemeenten else args.gemeente, out,
                catalogus=args.catalogus, importeren=not args.alleen_ophalen, progress=page,
                import_progress=ProgressPrinter(f"import {args.table}"),
            )  # fmt: skip
        else:
            result = connectors.fetch_and_import_pdok(
                args.jaar, args.gemeente, out, importeren=not args.alleen_ophalen,
                progress=page, import_progress=ProgressPrinter(f"import {args.layer}"),
            )  # fmt: skip
    except connectors.FetchInputError as exc:
        raise UsageError(str(exc)) from exc
    except connectors.FetchError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 1
    _print_fetched(result)
    return 0


def _print_fetched(result: Any) -> None:
    print(f"opgeslagen: {result.path} ({result.rows} rijen)")
    imported = result.imported
    if imported is None:
        why = "--alleen-ophalen" if result.kind else "geen importsoort voor deze tabel"
        print(f"niet geïmporteerd ({why})")
        return
    state = "ongewijzigd"
    if imported.changed:
        state = f"versie {imported.version}, {imported.rows} rijen"
    print(f"{result.path.name}: {result.kind}, {state} (dataset {imported.dataset_id})")
    for warning in imported.warnings[:20]:
        print(f"  waarschuwing: {warning}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="veiligheidskaart", description="Veiligheidskaart")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(
        name: str, func: Callable[[argparse.Namespace], int], help_text: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.set_defaults(func=func)
        return p

    def serve_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        p.add_argument("--workers", type=int, default=2)

    demo = add("demo", cmd_demo, "bouw Demostad (fictieve gemeente) en start de kaart")
    demo.add_argument("--no-serve", action="store_true", help="alleen bouwen, niet serveren")
    serve_args(demo)
    serve_args(add("serve", cmd_serve, "start de webserver"))
    add("migrate", cmd_migrate, "maak of werk de database bij")
    imp = add("import", cmd_import, "importeer bestanden")
    imp.add_argument(
        "kind",
        help="areas, codelist, stadsdelen, population, crime, overlast, "
        "survey, panel, meldingen, records",
    )
    imp.add_argument("files", nargs="+")
    imp.add_argument("--jaar", type=int)
    imp.add_argument("--gemeente")
    imp.add_argument("--skip-invalid", action="store_true")
    imp.add_argument("--mapping")
    imp.add_argument("--gepubliceerd", help="publicatiedatum JJJJ-MM-DD")
    imp.add_argument("--tabel", help="tabel-id, bijvoorbeeld 85984NED")
    imp.add_argument(
        "--crs", help="coördinaatstelsel van een CSV met WKT (EPSG:4326 of EPSG:28992)"
    )
    analyse = add(
        "analyse", cmd_analyse, "bereken en bewaar de analyse (toetsen, hotspots, ranking)"
    )
    analyse.add_argument("--gemeente")
    analyse.add_argument("--year", "--jaar", type=int, dest="year")
    prio = add("priorities", cmd_priorities, "toon de prioriteitenranking")
    prio.add_argument("--year", "--jaar", type=int, dest="year", required=True)
    prio.add_argument("--gemeente")
    prio.add_argument("--format", choices=["table", "csv", "json"], default="table")
    prio.add_argument("--top", type=int, default=0, help="alleen de eerste N")
    users = add("users", cmd_users, "gebruikers beheren")
    users_sub = users.add_subparsers(dest="action", required=True)
    users_sub.add_parser("list")
    create = users_sub.add_parser("create")
    create.add_argument("username")
    create.add_argument("--role", required=True)
    create.add_argument("--email")
    create.add_argument("--password")
    create.add_argument("--stadsdeel", action="append", help="stadsdeelcode (herhaalbaar)")
    fetch = add("fetch", cmd_fetch, "haal open data online op en importeer die")
    fetch_sub = fetch.add_subparsers(dest="source", required=True)
    cbs = fetch_sub.add_parser("cbs", help="CBS-tabel via OData v3, ook de politiecijfers")
    cbs.add_argument("table", help="tabel-id, bijvoorbeeld 47018NED")
    cbs.add_argument("--gemeente", help="gemeentecode, bijvoorbeeld GM0153")
    cbs.add_argument("--alle-gemeenten", action="store_true", help="geen gemeentefilter")
    cbs.add_argument("--catalogus", choices=["politie", "cbs"])
    pdok = fetch_sub.add_parser("pdok", help="buurtgrenzen via PDOK OGC API Features")
    pdok.add_argument("layer", choices=["wijkenbuurten"])
    pdok.add_argument("--jaar", type=int, required=True)
    pdok.add_argument("--gemeente", required=True, help="gemeentecode, bijvoorbeeld GM0153")
    for p in (cbs, pdok):
        p.add_argument("--out", help="map voor het bestand (standaard VK_DATA_DIR/downloads)")
        p.add_argument("--alleen-ophalen", action="store_true", help="niet importeren")
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        _setup()
        from veiligheidskaart.sources.parsing import ImportRejected

        try:
            return int(args.func(args))
        except ImportRejected as exc:
            print(f"fout: {exc}", file=sys.stderr)
            _report_problems(exc.problems)
            return 2
    except UsageError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last resort: say what failed, exit 1
        if args.verbose:
            traceback.print_exc()
        print(f"fout: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
