"""The stored ranking as rows for the CLI, the pages and exports."""

from __future__ import annotations

import csv
import json
from typing import Any, TextIO

from veiligheidskaart.catalogue.models import Theme
from veiligheidskaart.observations.models import AnalysisRun, PriorityEntry


def priority_rows(gemeente_code: str, year: int, public: bool = False
                  ) -> list[dict[str, Any]] | None:  # fmt: skip
    """The current run's ranking for that year, ordered by rank; None without a run.
    ``public``: the ranking built on public sources only."""
    run = AnalysisRun.objects.filter(
        gemeente_code=gemeente_code, year=year, is_current=True
    ).first()
    if run is None:
        return None
    themes = dict(Theme.objects.values_list("code", "name"))
    entries = (PriorityEntry.objects.filter(run=run, public=public).select_related("area")
               .order_by("rank"))  # fmt: skip
    return [
        {"rank": e.rank, "area_code": e.area.code, "area_name": e.area.name,
         "theme_code": e.theme_code, "theme_name": themes.get(e.theme_code, e.theme_code),
         "score": None if e.score is None else round(e.score, 4),
         "top10_probability": round(e.top10_probability, 3), "components": e.components,
         "missing": e.missing, "reasons": [e.reasons]}
        for e in entries
    ]  # fmt: skip


def write_rows(rows: list[dict[str, Any]], fmt: str, out: TextIO) -> None:
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(["rank", "area_code", "area_name", "theme_code", "theme_name", "score",
                         "top10_probability", "missing", "reasons"])  # fmt: skip
        for r in rows:
            writer.writerow([r["rank"], r["area_code"], r["area_name"], r["theme_code"],
                             r["theme_name"], r["score"], r["top10_probability"],
                             ";".join(r["missing"]), " ".join(r["reasons"])])  # fmt: skip
        return
    for r in rows:
        score = "-" if r["score"] is None else f"{r['score']:.3f}".replace(".", ",")
        chance = f"{100 * r['top10_probability']:.0f}%"
        out.write(f"{r['rank']:>4}  {score:>6}  top10 {chance:>4}  {r['theme_name']} – "
                  f"{r['area_name']} ({r['area_code']})\n      {r['reasons'][0]}\n")  # fmt: skip
