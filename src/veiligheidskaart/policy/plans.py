"""Internal pages: /actieplan/<jaar>, /agenda/<stadsdeel>?jaar=, /begroting and the priority
matrix /beleid/prioriteiten. Thin adapters over ``policy.queries``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from veiligheidskaart.areas.models import Area
from veiligheidskaart.meldingen.services import aandachtspunten_for
from veiligheidskaart.observations.judge import latest_complete_year
from veiligheidskaart.policy import queries
from veiligheidskaart.policy import services as s
from veiligheidskaart.policy.models import Action, Priority
from veiligheidskaart.policy.views import _gemeente, _goal_view
from veiligheidskaart.web.charts import nl

BBV_YEARS = 5


def _year(request: HttpRequest, default: int) -> int:
    text = request.GET.get("jaar", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else default


@login_required
def actieplan(request: HttpRequest, jaar: int) -> HttpResponse:
    gemeente = _gemeente()
    evaluation = queries.evaluation_year(gemeente.code)
    statuses = {r.goal.pk: _goal_view(r) for r in queries.goal_statuses(gemeente.code, evaluation)}
    blocks = []
    linked: set[int] = set()
    for priority in queries.adopted_priorities(gemeente.code, jaar):
        this_year = [a for a in priority.actions.all() if _overlaps(a, jaar)]
        next_year = [a for a in priority.actions.all() if _overlaps(a, jaar + 1)
                     and a.status not in ("afgerond", "vervallen")]  # fmt: skip
        linked |= {a.pk for a in this_year + next_year}
        goals = [statuses[g.pk] for g in priority.goals.all() if g.pk in statuses]
        blocks.append({"priority": priority, "key": str(priority.pk), "goals": goals,
                       "this_year": this_year, "next_year": next_year})  # fmt: skip
    others = [a for a in queries.actions(gemeente.code, year=jaar) if a.pk not in linked]
    return render(request, "policy/actieplan.html", {
        "jaar": jaar, "volgend": jaar + 1, "blocks": blocks, "others": others,
    })  # fmt: skip


def _overlaps(action: Action, year: int) -> bool:
    return action.start.year <= year <= action.end.year


@login_required
def agenda(request: HttpRequest, code: str) -> HttpResponse:
    gemeente = _gemeente()
    stadsdeel = Area.objects.filter(code=code.upper(), level="stadsdeel",
                                    gemeente_code=gemeente.code).first()  # fmt: skip
    if stadsdeel is None:
        return render(request, "policy/agenda.html", {"niet_gevonden": code}, status=404)
    jaar = _year(request, date.today().year)
    wijken = Area.objects.filter(stadsdeel=stadsdeel, level="wijk").order_by("code")
    priorities = [p for p in queries.adopted_priorities(gemeente.code, jaar)
                  if _applies(p, stadsdeel)]  # fmt: skip
    return render(request, "policy/agenda.html", {
        "stadsdeel": stadsdeel, "jaar": jaar, "wijken": wijken, "priorities": priorities,
        "actions": queries.actions(gemeente.code, year=jaar, stadsdeel=stadsdeel),
        "aandachtspunten": aandachtspunten_for(stadsdeel, jaar),
        "stadsdelen": Area.objects.filter(level="stadsdeel", gemeente_code=gemeente.code),
    })  # fmt: skip


def _applies(priority: Priority, stadsdeel: Area) -> bool:
    """City-wide priorities and those whose area lies in (or is) the stadsdeel."""
    area = priority.area
    if area is None or area.level == "gemeente":
        return True
    return area.pk == stadsdeel.pk or area.stadsdeel_id == stadsdeel.pk


@login_required
def begroting(request: HttpRequest) -> HttpResponse:
    gemeente = _gemeente()
    last = latest_complete_year(gemeente) or date.today().year - 1
    years = list(range(last - BBV_YEARS + 1, last + 1))
    bbv = queries.bbv_rows(gemeente, years)
    table: dict[str, dict[str, Any]] = {}
    for row in bbv:
        entry = table.setdefault(row.indicator.code, {"def": row.indicator, "cells": []})
        entry["cells"].append(_bbv_cell(row))
    return render(request, "policy/begroting.html", {
        "budget": queries.budget_lines(gemeente.code), "years": years,
        "bbv": list(table.values()), "calendar": queries.data_calendar(),
        "may_add": request.user.has_perm("policy.add_budgetline"),
    })  # fmt: skip


def _bbv_cell(row: queries.BbvRow) -> dict[str, str]:
    if row.value is None:
        return {"text": "onvoldoende gegevens", "note": row.note}
    interval = f"{nl(row.lower or 0, 1)}–{nl(row.upper or 0, 1)}"
    return {"text": nl(row.value, 1), "note": f"{nl(row.count or 0, 0)} geregistreerd; "
            f"95%-interval {interval}"}  # fmt: skip


@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    gemeente = _gemeente()
    error = ""
    if request.method == "POST":
        error = _adopt(request, gemeente.code)
        if not error:
            return HttpResponseRedirect("/beleid/prioriteiten")
    run, rows = queries.priority_matrix(gemeente.code)
    return render(request, "policy/matrix.html", {
        "run": run, "error": error, "may_adopt": request.user.has_perm("policy.change_priority"),
        "may_add": request.user.has_perm("policy.add_priority"),
        "rows": [{"row": r, "chance": "" if r.top10_probability is None
                  else f"{nl(100 * r.top10_probability, 0)}%"} for r in rows],
    }, status=400 if error else 200)  # fmt: skip


def _adopt(request: HttpRequest, gemeente_code: str) -> str:
    """voorgesteld -> vastgesteld with the council decision; the refusal's reason, or ""."""
    priority = Priority.objects.filter(pk=request.POST.get("prioriteit", "0") or 0,
                                       gemeente_code=gemeente_code).first()  # fmt: skip
    if priority is None:
        return "Onbekende prioriteit."
    try:
        decided = date.fromisoformat(request.POST.get("datum", ""))
    except ValueError:
        return "Geef de datum van het raadsbesluit als jjjj-mm-dd."
    try:
        s.change_priority_status(priority, "vastgesteld", request.user,
                                 request.POST.get("kenmerk", ""), decided)  # fmt: skip
    except (s.PolicyError, s.PolicyPermissionError) as exc:
        return str(exc)
    return ""
