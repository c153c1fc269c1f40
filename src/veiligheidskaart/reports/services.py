"""Write paths of reports: request, compute, interpret, adopt, publish. One transaction each.

A report pins the dataset versions it uses when it is requested; a concept may be recomputed
from the newest versions, a vastgesteld or gepubliceerd report only from its own pins, so its
figures never change (the published HTML's sha256 is kept to prove it).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from veiligheidskaart.areas.models import Area
from veiligheidskaart.reports import content as c
from veiligheidskaart.reports.models import Interpretation, Report, ReportJob, ReportTransition
from veiligheidskaart.reports.registry import AUTHOR_ROLE_CODES, allowed
from veiligheidskaart.reports.render import render_html, render_pdf

User = AbstractBaseUser | AnonymousUser | None


class ReportError(Exception):
    """A write that the workflow does not allow; the message is Dutch, for the user."""


def _user(user: User) -> Any:
    return user if user is not None and user.is_authenticated else None


def subject_of(report: Report) -> c.Subject:
    gemeente = (Area.objects.filter(level="gemeente", code=report.gemeente_code)
                .order_by("-vintage").first())  # fmt: skip
    if gemeente is None:
        raise c.ReportInputError(f"gemeente {report.gemeente_code} is niet geladen")
    return c.subject(report.kind, gemeente, report.periode, report.stadsdeel_code)


def request_report(subject: c.Subject, user: User = None) -> Report:
    """A new concept that pins the current datasets, with a job to compute it."""
    with transaction.atomic():
        report = Report.objects.create(
            kind=subject.kind, gemeente_code=subject.gemeente.code, periode=subject.periode,
            stadsdeel_code=subject.stadsdeel.code if subject.stadsdeel else "",
            title=subject.title, datasets=c.provenance(c.current_datasets(subject.gemeente)),
            created_by=_user(user),
        )  # fmt: skip
        ReportTransition.objects.create(report=report, to_status="concept", by=_user(user))
        ReportJob.objects.create(report=report, action="maken", requested_by=_user(user))
    return report


def enqueue(report: Report, action: str, user: User = None) -> ReportJob:
    """Queue work on a report unless the same work is already waiting."""
    with transaction.atomic():
        waiting = ReportJob.objects.filter(report=report, action=action, state="wachtrij").first()
        if waiting is not None:
            return waiting
        return ReportJob.objects.create(report=report, action=action, requested_by=_user(user))


def compute_report(report: Report, progress: c.Progress, refresh: bool = False) -> Report:
    """Compute the content from the pinned versions; ``refresh`` re-pins a concept first."""
    if refresh and report.status != "concept":
        raise ReportError("alleen een concept kan met nieuwere cijfers worden herberekend")
    subject = subject_of(report)
    datasets = report.datasets
    if refresh:
        datasets = c.provenance(c.current_datasets(subject.gemeente))
    pinned = frozenset(int(d["id"]) for d in datasets)
    from veiligheidskaart.reports.document import build_content

    content = build_content(subject, pinned, progress)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.status != "concept" and locked.content:
            raise ReportError("een vastgesteld of gepubliceerd rapport wordt niet herberekend")
        locked.datasets, locked.content = datasets, content
        locked.content_sha256 = c.digest(content)
        locked.generated_on = timezone.localdate()
        locked.save(update_fields=["datasets", "content", "content_sha256", "generated_on"])
    return locked


def interpretations(report: Report) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for row in report.interpretations.all():
        out.setdefault(row.section, {})[row.author_role] = row.text
    return out


def report_html(report: Report, for_pdf: bool = False) -> str:
    return render_html(report.content, interpretations(report), report.status,
                       report.generated_on, for_pdf=for_pdf)  # fmt: skip


def save_interpretation(report: Report, section: str, role: str, text: str,
                        user: User = None) -> Interpretation:  # fmt: skip
    """The analist's, the police's or the stadsdeel's text for one section, while concept."""
    if role not in AUTHOR_ROLE_CODES:
        raise ReportError(f"onbekende rol '{role}' voor een duiding")
    keys = {b["key"] for s in report.content.get("sections", []) for b in blocks_of(s)
            if b["type"] == "duiding"}  # fmt: skip
    if section not in keys:
        raise ReportError(f"dit rapport heeft geen onderdeel '{section}' voor een duiding")
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.status != "concept":
            raise ReportError("de duiding kan alleen in een concept worden bewerkt")
        row, _ = Interpretation.objects.update_or_create(
            report=locked, section=section, author_role=role,
            defaults={"text": text.strip(), "updated_by": _user(user)},
        )  # fmt: skip
    return row


def blocks_of(sec: dict[str, Any]) -> list[dict[str, Any]]:
    return [*sec["blocks"], *(b for s in sec["subsections"] for b in blocks_of(s))]


def _transition(report: Report, target: str, user: User, note: str = "") -> Report:
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if not allowed(locked.status, target):
            raise ReportError(f"van {locked.status} naar {target} kan niet")
        if not locked.content:
            raise ReportError("het rapport is nog niet berekend")
        ReportTransition.objects.create(
            report=locked, from_status=locked.status, to_status=target, by=_user(user),
            note=note[:200],
        )  # fmt: skip
        locked.status = target
        fields = ["status"]
        if target == "vastgesteld" and note:
            locked.decision_reference, fields = note[:120], [*fields, "decision_reference"]
        if target == "gepubliceerd":
            locked.html_sha256 = sha256(report_html(locked))
            fields.append("html_sha256")
        locked.save(update_fields=fields)
        if target != "concept":
            ReportJob.objects.create(report=locked, action="opmaken", requested_by=_user(user))
    return locked


def adopt_report(report: Report, user: User = None, reference: str = "") -> Report:
    """concept → vastgesteld (by the college); the decision's reference is kept."""
    return _transition(report, "vastgesteld", user, reference)


def reopen_report(report: Report, user: User = None, reason: str = "") -> Report:
    """vastgesteld → concept, to change it before publication."""
    return _transition(report, "concept", user, reason)


def publish_report(report: Report, user: User = None) -> Report:
    """vastgesteld → gepubliceerd: public on /rapporten, frozen, its HTML sha256 recorded."""
    return _transition(report, "gepubliceerd", user)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pdf_path(report: Report) -> Path:
    """The PDF of the report as it is now: named after the HTML it was made from."""
    folder = Path(settings.VK_DATA_DIR) / "rapporten"
    return folder / f"rapport-{report.pk}-{sha256(report_html(report, for_pdf=True))[:16]}.pdf"


def make_pdf(report: Report) -> Path:
    """Render the PDF to VK_DATA_DIR/rapporten (written whole, then renamed into place)."""
    path = pdf_path(report)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(render_pdf(report_html(report, for_pdf=True)))
    tmp.replace(path)
    return path


def reproduces(report: Report) -> bool:
    """Recompute from the pinned versions and the kept policy snapshot: the same content and,
    if published, the same HTML."""
    from veiligheidskaart.reports.document import build_content

    snapshot = report.content.get("policy", {})
    content = build_content(subject_of(report), report.pinned, lambda *_: None, snapshot)
    if c.digest(content) != report.content_sha256:
        return False
    if report.status != "gepubliceerd":
        return True
    html = render_html(content, interpretations(report), report.status, report.generated_on)
    return sha256(html) == report.html_sha256
