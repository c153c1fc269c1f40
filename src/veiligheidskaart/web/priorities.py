"""/prioriteiten: the stored ranking of theme × buurt, with filters and CSV/Excel exports.

The ranking is built on police open data, so the public sees it. Sensitive themes (DESIGN §6:
published per wijk only) are left out of the public list and its exports, because every
entry is a buurt; logged-in users see the full ranking. Filters are GET parameters, so the
page works without JavaScript and a filtered link can be shared or exported.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from veiligheidskaart.accounts.access import Right, access_of
from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Theme
from veiligheidskaart.observations.judge import latest_complete_year
from veiligheidskaart.observations.models import AnalysisRun, PriorityEntry
from veiligheidskaart.observations.queries import home_gemeente
from veiligheidskaart.observations.ranking import priority_rows, write_rows
from veiligheidskaart.web.charts import nl

PAGE_SIZE = 50
CHANCES = (0, 5, 10, 25, 50, 75, 90)  # minimum top-10 chance in percent
PUBLIC_NOTE = (
    "De politiecijfers van CBS (open data) bepalen niveau, verandering en hotspots. Beleving "
    "(wijkpanel) en meldingen tellen alleen als component van de score mee, zonder aantallen. "
    "Gevoelige thema's staan alleen in de interne ranglijst, omdat ze alleen per wijk worden "
    "gepubliceerd."
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Filters:
    theme: str
    stadsdeel: str
    chance: int

    def query(self, **extra: Any) -> str:
        pairs = {"thema": self.theme, "stadsdeel": self.stadsdeel,
                 "kans": self.chance or "", **extra}  # fmt: skip
        return urlencode({k: v for k, v in pairs.items() if v not in ("", None)})


def parse_filters(request: HttpRequest) -> Filters:
    try:
        chance = int(request.GET.get("kans", "0") or 0)
    except ValueError:
        chance = 0
    return Filters(
        request.GET.get("thema", "").strip(),
        request.GET.get("stadsdeel", "").strip().upper(),
        min(max(chance, 0), 100),
    )


def ranking(
    request: HttpRequest, right: Right = "see"
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The page context without rows, and the filtered rows that the user may see (or export).

    The internal ranking counts internal sources (wijkpanel, meldingen) for every buurt, so it
    needs internal rights for the whole gemeente: a stadsdeelmanager gets the public one."""
    gemeente = home_gemeente()
    who = access_of(request.user)
    internal = who.may("intern", right) and who.stadsdelen is None
    filters = parse_filters(request)
    year = _year(gemeente) if gemeente else None
    rows = (
        (priority_rows(gemeente.code, year, public=not internal) or []) if gemeente and year else []
    )
    districts = _districts(gemeente)
    sensitive = _sensitive_themes()
    visible = [r for r in rows if internal or r["theme_code"] not in sensitive]
    for row in visible:
        row["stadsdeel_code"], row["stadsdeel_name"] = districts.get(row["area_code"], ("", ""))
    context = {"year": year, "internal": internal, "filters": filters, "note": PUBLIC_NOTE,
               "total": len(visible), "themes": _theme_options(visible),
               "stadsdelen": _district_options(gemeente), "chances": CHANCES,
               "hidden_themes": len(rows) - len(visible)}  # fmt: skip
    return context, apply_filters(visible, filters)


def _year(gemeente: Area) -> int | None:
    latest = latest_complete_year(gemeente)
    runs = AnalysisRun.objects.filter(gemeente_code=gemeente.code, is_current=True)
    if latest is not None and runs.filter(year=latest).exists():
        return latest
    run = runs.order_by("-year").first()
    return run.year if run else latest


def _districts(gemeente: Area | None) -> dict[str, tuple[str, str]]:
    if gemeente is None:
        return {}
    rows = Area.objects.filter(level="buurt", gemeente_code=gemeente.code,
                               vintage=gemeente.vintage, stadsdeel__isnull=False)  # fmt: skip
    return {code: (sd, name) for code, sd, name in
            rows.values_list("code", "stadsdeel__code", "stadsdeel__name")}  # fmt: skip


def _district_options(gemeente: Area | None) -> list[Area]:
    if gemeente is None:
        return []
    return list(Area.objects.filter(level="stadsdeel", gemeente_code=gemeente.code,
                                    vintage=gemeente.vintage).order_by("code"))  # fmt: skip


def _theme_options(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    seen = {r["theme_code"]: r["theme_name"] for r in rows}
    return sorted(seen.items(), key=lambda item: item[1])


def apply_filters(rows: list[dict[str, Any]], filters: Filters) -> list[dict[str, Any]]:
    """Rows of one theme and one stadsdeel with at least the minimum top-10 chance (percent).

    >>> rows = [{"theme_code": "a", "stadsdeel_code": "S1", "top10_probability": 0.3},
    ...         {"theme_code": "b", "stadsdeel_code": "S1", "top10_probability": 0.05}]
    >>> [r["theme_code"] for r in apply_filters(rows, Filters("", "S1", 10))]
    ['a']
    """
    return [
        r for r in rows
        if (not filters.theme or r["theme_code"] == filters.theme)
        and (not filters.stadsdeel or r["stadsdeel_code"] == filters.stadsdeel)
        and 100 * r["top10_probability"] >= filters.chance - 1e-9
    ]  # fmt: skip


def prioriteiten(request: HttpRequest) -> HttpResponse:
    context, rows = ranking(request)
    page = _page_number(request, len(rows))
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    filters: Filters = context["filters"]
    context |= {
        "rows": [_display(r) for r in shown], "count": len(rows), "page": page,
        "first": (page - 1) * PAGE_SIZE + 1 if rows else 0,
        "last": (page - 1) * PAGE_SIZE + len(shown),
        "previous": filters.query(pagina=page - 1) if page > 1 else None,
        "next": filters.query(pagina=page + 1) if page * PAGE_SIZE < len(rows) else None,
        "export_query": filters.query(), "count_text": nl(float(len(rows)), 0),
    }  # fmt: skip
    return render(request, "web/prioriteiten.html", context)


def _page_number(request: HttpRequest, n_rows: int) -> int:
    last = max(1, -(-n_rows // PAGE_SIZE))
    try:
        return min(max(int(request.GET.get("pagina", "1")), 1), last)
    except ValueError:
        return 1


def area_ranks(run: AnalysisRun | None, buurten: list[Area], every: bool, internal: bool
               ) -> dict[str, Any] | None:  # fmt: skip
    """The ranking entries of an area's buurten for its profile: all of them (``every``, for a
    buurt) or the ten best-ranked; the public list leaves out sensitive themes, as here."""
    if run is None:
        return None
    entries = PriorityEntry.objects.filter(run=run, public=not internal)
    if not internal:
        entries = entries.exclude(theme_code__in=_sensitive_themes())
    own = entries.filter(area__in=buurten).select_related("area").order_by("rank")
    themes = dict(Theme.objects.values_list("code", "name"))
    rows = [_display({"rank": e.rank, "area_code": e.area.code, "area_name": e.area.name,
                      "theme_name": themes.get(e.theme_code, e.theme_code), "score": e.score,
                      "top10_probability": e.top10_probability, "reasons": [e.reasons]})
            for e in (own if every else own[:10])]  # fmt: skip
    return {"rows": rows, "total": nl(float(entries.count()), 0), "of_members": own.count()}


def _sensitive_themes() -> set[str]:
    return set(Theme.objects.filter(sensitive=True).values_list("code", flat=True))


def _display(row: dict[str, Any]) -> dict[str, Any]:
    score = "–" if row["score"] is None else nl(row["score"], 3)
    return row | {"score_text": score, "chance_text": f"{nl(100 * row['top10_probability'], 0)}%",
                  "reason_text": " ".join(row["reasons"])}  # fmt: skip


def prioriteiten_csv(request: HttpRequest) -> HttpResponse:
    """The filtered ranking as CSV with dot decimals (``ranking.write_rows``)."""
    context, rows = ranking(request, "export")
    out = io.StringIO()
    write_rows(rows, "csv", out)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(context)}.csv"'
    return response


HEADERS = ("Rang", "Thema", "Gebiedscode", "Buurt", "Stadsdeel", "Score", "Kans op top 10",
           "Ontbrekende componenten", "Redenen")  # fmt: skip


def prioriteiten_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered ranking as an Excel workbook with real numbers and a sheet with the notes."""
    from openpyxl import Workbook

    context, rows = ranking(request, "export")
    book = Workbook()
    sheet = book.active
    sheet.title = "Prioriteiten"
    sheet.append(HEADERS)
    for r in rows:
        sheet.append([r["rank"], r["theme_name"], r["area_code"], r["area_name"],
                      r["stadsdeel_name"], r["score"], r["top10_probability"],
                      ", ".join(r["missing"]), " ".join(r["reasons"])])  # fmt: skip
        sheet.cell(sheet.max_row, 7).number_format = "0.0%"
    for column, width in zip("ABCDEFGHI", (7, 30, 13, 24, 14, 9, 14, 24, 100), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("Toelichting")
    for line in _notes(context):
        notes.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(context)}.xlsx"'
    return response


def _notes(context: dict[str, Any]) -> list[str]:
    filters: Filters = context["filters"]
    return [
        f"Prioriteiten {context['year'] or ''}: thema × buurt, gerangschikt op score.",
        f"Gebaseerd op openbare bronnen. {PUBLIC_NOTE}"
        if not context["internal"]
        else "Volledige (interne) ranglijst.",
        f"Filters: {filters.query() or 'geen'}.",
        "Score: gewogen gemiddelde van de beschikbare componenten (0–1); ontbrekende "
        "componenten zijn herwogen, niet als 0 geteld.",
        "Kans op top 10: aandeel van de trekkingen waarin de combinatie in de top 10 staat.",
    ]


def _file_name(context: dict[str, Any]) -> str:
    gemeente = home_gemeente()
    return f"prioriteiten-{gemeente.code if gemeente else 'leeg'}-{context['year'] or ''}"
