"""The policy content of a report: priorities, goals with their status, actions, the budget and
the residents' aandachtspunten.

Priorities, goals and actions are records without versions (an action's status moves on), so
a report takes a *snapshot* of them when it is computed; a frozen report keeps its snapshot and
is recomputed only for the figures, from its pinned dataset versions. The snapshot is read
through ``policy.queries`` (statuses by its rules), never through copies of its logic.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from veiligheidskaart.analysis import suppression as sup
from veiligheidskaart.areas.models import Area
from veiligheidskaart.catalogue.models import Indicator
from veiligheidskaart.reports import content as c
from veiligheidskaart.reports.figures import (
    Scope,
    area_map,
    half_year_chart,
    unit_text,
    yearly_chart,
)
from veiligheidskaart.web.charts import nl

ACTION_LABELS = {"gepland": "gepland", "in_uitvoering": "in uitvoering", "afgerond": "afgerond",
                 "vervallen": "vervallen"}  # fmt: skip
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")  # fmt: skip
GOAL_HEAD = ["Doel", "Nulmeting (vastgesteld)", "Streefwaarde", "Laatste meting", "Status",
             "Toelichting"]  # fmt: skip
ACTION_HEAD = ["Actie", "Status", "Eigenaar en partners", "Gebied", "Gepland"]


# --- the snapshot ------------------------------------------------------------------------------
def snapshot(subject: c.Subject) -> dict[str, Any]:
    """Everything the report needs from the policy app, as JSON."""
    from veiligheidskaart.policy import queries

    code, year = subject.gemeente.code, subject.year
    if subject.kind == "jaarmonitor":
        return {"bbv": _bbv(subject.gemeente, list(range(year - 4, year + 1)))}
    judged_year = year - 1 if subject.kind == "actieplan" else year
    statuses = {row.goal.pk: row for row in queries.goal_statuses(code, judged_year)}
    out: dict[str, Any] = {"judged_year": judged_year, "priorities": [], "goals": []}
    for priority in queries.adopted_priorities(code, judged_year).order_by("pk"):
        goals = [_goal(statuses[g.pk]) for g in priority.goals.all() if g.pk in statuses]
        out["priorities"].append({
            "id": priority.pk, "title": priority.title,
            "theme": priority.theme.code if priority.theme else "",
            "theme_name": priority.theme.name if priority.theme else "",
            "area": priority.area.code if priority.area else "",
            "area_name": priority.area.name if priority.area else "",
            "area_level": priority.area.level if priority.area else "",
            "decision": priority.decision_reference,
            "decided_on": priority.decided_on.isoformat() if priority.decided_on else "",
            "period": f"{priority.start_year}–{priority.end_year}",
            "goals": goals,
            "actions": [_action(a) for a in priority.actions.all().order_by("start", "pk")],
        })  # fmt: skip
    out["goals"] = [_goal(row) for row in statuses.values()]
    if subject.kind == "actieplan":
        out["previous_actions"] = [_action(a) for a in queries.actions(code, year=year - 1)
                                   .order_by("start", "pk")]  # fmt: skip
        out["actions"] = [_action(a) for a in queries.actions(code, year=year)
                          .exclude(status="vervallen").order_by("start", "pk")]  # fmt: skip
        out["budget"] = [
            {"name": line.name, "kind": line.kind, "amount": str(line.amount),
             "actions": [a.title for a in line.actions.all()]}
            for budget in queries.budget_lines(code, year) for line in budget.lines
        ]  # fmt: skip
    if subject.kind == "stadsdeel" and subject.stadsdeel is not None:
        out["actions"] = [_action(a) for a in queries.actions(code, year=year,
                          stadsdeel=subject.stadsdeel).order_by("start", "pk")]  # fmt: skip
        out["aandachtspunten"] = _aandachtspunten(subject.stadsdeel, year)
    return out


def _goal(row: Any) -> dict[str, Any]:
    goal, result = row.goal, row.result
    latest = result.latest
    digits = 0 if goal.kind == "rang" else 1  # a rank is a whole number
    return {
        "title": goal.title, "status": result.status, "label": result.label,
        "reason": result.reason,
        "baseline": f"{nl(goal.adopted_baseline_value, digits)} ({goal.adopted_baseline_label})",
        "target": _target_text(goal, row.target, digits),
        "latest": f"{nl(latest.value, digits)} ({latest.year})" if latest is not None else "–",
    }  # fmt: skip


def _target_text(goal: Any, target: float | None, digits: int) -> str:
    deadline = f"uiterlijk {goal.deadline_year}"
    if goal.target_change is not None:
        change = f"{goal.target_change * 100:+.0f}%".replace("-", "−")
        return f"{change} ({nl(target, digits)}), {deadline}" if target is not None else change
    return f"{nl(target, digits)}, {deadline}" if target is not None else deadline


def _action(action: Any) -> dict[str, Any]:
    partners = ", ".join(action.partners) if action.partners else ""
    return {
        "title": action.title, "status": action.status,
        "owner": action.owner + (f" met {partners}" if partners else ""),
        "areas": ", ".join(a.name for a in action.areas.all()) or "hele gemeente",
        "period": f"{action.start:%m-%Y} t/m {action.end:%m-%Y}",
    }  # fmt: skip


def _bbv(gemeente: Area, years: list[int]) -> list[dict[str, Any]]:
    """The BBV indicators as the policy app computes them, one row per indicator."""
    from veiligheidskaart.policy import queries

    rows: dict[str, dict[str, Any]] = {}
    for row in queries.bbv_rows(gemeente, years):
        ind = row.indicator
        entry = rows.setdefault(ind.code, {"name": ind.name, "definition": ind.definition,
                                           "values": {}, "notes": []})  # fmt: skip
        entry["values"][str(row.year)] = nl(row.value) if row.value is not None else "–"
        if row.note and row.note not in entry["notes"]:
            entry["notes"].append(row.note)
    return list(rows.values())


def bbv_blocks(snap: dict[str, Any], year: int) -> list[c.Block]:
    """The compulsory BBV safety indicators over five years, with their official definitions."""
    years = [str(y) for y in range(year - 4, year + 1)]
    rows = [[b["name"], *(b["values"].get(y, "–") for y in years)] for b in snap["bbv"]]
    notes = [f"{b['name']}: {b['definition']}" + (f" ({'; '.join(b['notes'])})" if b["notes"]
             else "") for b in snap["bbv"]]  # fmt: skip
    return [
        c.p(
            "De verplichte indicatoren uit het Besluit begroting en verantwoording (BBV) voor "
            "veiligheid, zoals op de begrotingspagina."
        ),  # fmt: skip
        c.table(
            f"BBV-indicatoren {years[0]}–{year}",
            ["Indicator", *years],
            rows,
            [False] + [True] * len(years),
        ),  # fmt: skip
        c.list_block(notes),
        c.interpretation("bbv"),
    ]


def _aandachtspunten(stadsdeel: Area, year: int) -> dict[str, Any]:
    """Per theme, rounded and protected against subtraction: residents' input is own data."""
    from veiligheidskaart.meldingen.aandachtspunten import aandachtspunten_for, theme_name

    per_theme = Counter(aandachtspunten_for(stadsdeel, year).values_list("theme", flat=True))
    themes = sorted(per_theme)
    shown = sup.publish_breakdown([per_theme[t] for t in themes], source="meldingen",
                                  classification="intern", level="stadsdeel")  # fmt: skip
    return {
        "total": shown.total.display,
        "themes": [[theme_name(t), p.display] for t, p in zip(themes, shown.parts, strict=True)],
    }


# --- sections ----------------------------------------------------------------------------------
def dutch_date(iso: str) -> str:
    """'15 december 2022' from '2022-12-15'.

    >>> dutch_date("2022-12-15")
    '15 december 2022'
    """
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"


def goal_table(goals: list[dict[str, Any]], caption: str) -> c.Block:
    rows = [[g["title"], g["baseline"], g["target"], g["latest"], g["label"], g["reason"]]
            for g in goals]  # fmt: skip
    return c.table(caption, GOAL_HEAD, rows)


def action_table(actions: list[dict[str, Any]], caption: str) -> c.Block:
    rows = [[a["title"], ACTION_LABELS.get(a["status"], a["status"]), a["owner"], a["areas"],
             a["period"]] for a in actions]  # fmt: skip
    return c.table(caption, ACTION_HEAD, rows)


def priority_sections(subject: c.Subject, scope: Scope, snap: dict[str, Any],
                      progress: c.Progress) -> list[dict[str, Any]]:  # fmt: skip
    """The tussenstand per adopted priority: goals, actions done and planned, the figures."""
    out = []
    priorities = snap["priorities"]
    for i, prio in enumerate(priorities):
        progress("prioriteiten", i, len(priorities))
        key = f"prio-{prio['id']}"
        where = f"; gebied: {prio['area_name']}" if prio["area_name"] else ""
        theme = f"Thema: {prio['theme_name']}" if prio["theme_name"] else "Gebiedsprioriteit"
        decided = (f"Vastgesteld door de raad op {dutch_date(prio['decided_on'])} "
                   f"({prio['decision']})"
                   if prio["decided_on"] else "Vastgesteld door de raad")  # fmt: skip
        blocks = [c.p(f"{decided}, voor {prio['period']}. {theme}{where}.")]
        if prio["goals"]:
            blocks.append(goal_table(prio["goals"], f"Doelen bij {prio['title']}, stand "
                                                    f"{snap['judged_year']}"))  # fmt: skip
        else:
            blocks.append(c.p("Bij deze prioriteit zijn geen doelen vastgesteld."))
        done = [a for a in prio["actions"] if a["status"] == "afgerond"]
        planned = [a for a in prio["actions"] if a["status"] in ("gepland", "in_uitvoering")]
        blocks.append(action_table(done, "Afgeronde acties") if done
                      else c.p("Nog geen afgeronde acties."))  # fmt: skip
        blocks.append(action_table(planned, "Lopende en geplande acties") if planned
                      else c.p("Geen lopende of geplande acties."))  # fmt: skip
        blocks += _priority_figures(subject, scope, prio, key)
        blocks.append(c.interpretation(key))
        out.append(c.section(key, prio["title"], blocks))
    return out


def _priority_figures(subject: c.Subject, scope: Scope, prio: dict[str, Any],
                      key: str) -> list[c.Block]:  # fmt: skip
    """Map and half-year chart of the priority's theme in its area (or the whole gemeente)."""
    if prio["theme"]:
        indicator = _theme_indicator(prio["theme"])
        if indicator is None:  # e.g. beleving: the Veiligheidsmonitor has no map of its own
            return [c.p(f"Voor {prio['theme_name'].lower()} is er geen kaart of maandreeks; "
                        "de stand blijkt uit de doelen hierboven.")]  # fmt: skip
    else:  # an area priority: all registered crime in that area
        indicator = Indicator.objects.select_related("theme").filter(
            code="misdrijven_totaal").first()  # fmt: skip
    if indicator is None:
        return []
    area_scope, only = _area_scope(scope, prio)
    blocks = []
    made = area_map(scope, indicator, subject.periode, f"kaart-{key}", only)
    if made is not None:
        blocks.append(c.figure(*made))
    if subject.half:
        chart = half_year_chart(area_scope, indicator, subject.year, subject.half,
                                f"grafiek-{key}")  # fmt: skip
    else:
        chart = yearly_chart(area_scope, indicator, subject.year, f"grafiek-{key}")
    if chart is not None:
        every = "per halfjaar, op jaarbasis" if subject.half else "per jaar"
        caption = f"{indicator.name} in {area_scope.label}, {unit_text(indicator)}, {every}."
        blocks.append(c.figure(chart, caption))
    return blocks


def _theme_indicator(theme_code: str) -> Indicator | None:
    return next((i for i in c.main_indicators() if i.theme.code == theme_code), None)


def _area_scope(scope: Scope, prio: dict[str, Any]) -> tuple[Scope, tuple[str, ...]]:
    """The buurten of the priority's area and the stadsdelen its map is cut to."""
    code, level = prio["area"], prio["area_level"]
    if not code or level == "gemeente":
        return scope, ()
    area = Area.objects.filter(code=code).select_related("stadsdeel", "parent__stadsdeel").first()
    if area is None:
        return scope, ()
    if level == "stadsdeel":
        members = [b for b in scope.buurten if b.stadsdeel_id == area.pk]
        district = area
    elif level == "wijk":
        members = [b for b in scope.buurten if b.parent_id == area.pk]
        district = area.stadsdeel
    else:
        members = [b for b in scope.buurten if b.code == code]
        district = area.stadsdeel or (area.parent.stadsdeel if area.parent else None)
    if not members:
        return scope, ()
    sub = Scope(scope.gemeente, tuple(members), scope.pinned, area.name, level,
                district.code if district else "")  # fmt: skip
    return sub, ((district.code,) if district else ())


def status_summary(goals: list[dict[str, Any]]) -> list[str]:
    if not goals:
        return ["Er zijn geen doelen vastgesteld."]
    counts = Counter(g["label"] for g in goals)
    parts = ", ".join(f"{n} {label}" for label, n in counts.most_common())
    return [f"Stand van de {len(goals)} doelen: {parts}."]


def actieplan_sections(subject: c.Subject, snap: dict[str, Any]) -> list[dict[str, Any]]:
    year = subject.year
    previous = snap.get("previous_actions", [])
    done = [a for a in previous if a["status"] == "afgerond"]
    results = [
        goal_table(snap["goals"], f"Doelen, stand {year - 1}") if snap["goals"]
        else c.p("Er zijn geen doelen vastgesteld."),
        action_table(previous, f"Acties in {year - 1} ({len(done)} afgerond)") if previous
        else c.p(f"Er waren geen acties in {year - 1}."),
        c.interpretation("resultaten"),
    ]  # fmt: skip
    plan: list[c.Block] = [
        action_table(snap.get("actions", []), f"Acties {year}") if snap.get("actions")
        else c.p(f"Er zijn nog geen acties voor {year} gepland."),
    ]  # fmt: skip
    budget = snap.get("budget", [])
    if budget:
        rows = [[b["name"], b["kind"], _euro(b["amount"]), ", ".join(b["actions"]) or "–"]
                for b in budget]  # fmt: skip
        plan.append(c.table(f"Begroting {year}", ["Post", "Soort", "Bedrag", "Acties"], rows,
                            [False, False, True, False]))  # fmt: skip
    plan.append(c.interpretation("acties"))
    return [c.section("resultaten", f"Resultaten {year - 1}", results),
            c.section("acties", f"Acties {year}", plan)]  # fmt: skip


def _euro(amount: str) -> str:
    return "€ " + nl(float(amount), 0)


def stadsdeel_sections(subject: c.Subject, snap: dict[str, Any]) -> list[dict[str, Any]]:
    year, district = subject.year, subject.stadsdeel
    name = district.name if district else ""
    actions = snap.get("actions", [])
    agenda: list[c.Block] = [
        action_table(actions, f"Acties in stadsdeel {name}, {year}") if actions
        else c.p(f"Er staan geen acties voor {name} in {year} op de agenda."),
    ]  # fmt: skip
    punten = snap.get("aandachtspunten", {"total": "0", "themes": []})
    agenda.append(c.p(f"Bewoners gaven {punten['total']} aandachtspunten voor de agenda van "
                      f"{year} (afgerond op vijftallen; onder 5: '<5')."))  # fmt: skip
    if punten["themes"]:
        agenda.append(c.table("Aandachtspunten per thema", ["Thema", "Aantal"],
                              punten["themes"], [False, True]))  # fmt: skip
    agenda.append(c.interpretation("agenda"))
    return [c.section("agenda", f"Stadsdeelagenda {name} {year}", agenda)]


def snapshot_summary(subject: c.Subject, snap: dict[str, Any]) -> list[str]:
    lines = status_summary(snap["goals"])
    if subject.kind == "tussenstand":
        lines.insert(0, f"Deze tussenstand volgt {len(snap['priorities'])} door de raad "
                        "vastgestelde prioriteiten.")  # fmt: skip
    if subject.kind == "stadsdeel":
        lines = [f"Op de agenda van {subject.stadsdeel.name if subject.stadsdeel else ''} staan "
                 f"{len(snap.get('actions', []))} acties."]  # fmt: skip
    return lines
