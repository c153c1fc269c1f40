"""The report job runner: claims queued jobs from the database table, never inside a request.

A claim is one conditional UPDATE (state wachtrij → bezig for that row only), so two runners
never get the same job; it needs no row locks, and works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import socket
import time
import traceback
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from veiligheidskaart.reports import services
from veiligheidskaart.reports.content import Progress, ReportInputError
from veiligheidskaart.reports.models import Report, ReportJob

STALE_AFTER = timedelta(minutes=30)  # a runner that died mid-job: its job fails, visibly
POLL_SECONDS = 2.0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_next(worker: str, report: Report | None = None) -> ReportJob | None:
    """The oldest waiting job (of ``report``, if given), now ours; None when there is none."""
    waiting = ReportJob.objects.filter(state="wachtrij")
    if report is not None:
        waiting = waiting.filter(report=report)
    while True:
        job = waiting.order_by("requested_at", "pk").first()
        if job is None:
            return None
        with transaction.atomic():
            won = ReportJob.objects.filter(pk=job.pk, state="wachtrij").update(
                state="bezig", worker=worker[:80], started_at=timezone.now(), stage="gestart"
            )
        if won:
            job.refresh_from_db()
            return job


def _progress(job: ReportJob) -> Progress:
    last = [0.0]

    def report(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5 and done < total:
            return
        last[0] = now
        pct = min(99, 100 * done // total) if total else 0
        ReportJob.objects.filter(pk=job.pk).update(stage=stage[:120], progress=pct)

    return report


def run_job(job: ReportJob) -> ReportJob:
    """Do the job's work and record the outcome; a failure is stored, never raised."""
    try:
        report = job.report
        if job.action == "maken":
            report = services.compute_report(report, _progress(job),
                                             refresh=report.status == "concept")  # fmt: skip
        ReportJob.objects.filter(pk=job.pk).update(stage="PDF opmaken", progress=95)
        services.make_pdf(report)
        ReportJob.objects.filter(pk=job.pk).update(
            state="klaar", stage="klaar", progress=100, finished_at=timezone.now()
        )
    except (services.ReportError, ReportInputError) as exc:
        _fail(job, str(exc))
    except Exception as exc:  # the job table must show it; the runner goes on
        traceback.print_exc()
        _fail(job, f"{type(exc).__name__}: {exc}")
    job.refresh_from_db()
    return job


def _fail(job: ReportJob, message: str) -> None:
    ReportJob.objects.filter(pk=job.pk).update(
        state="mislukt", error=message[:300], finished_at=timezone.now()
    )


def fail_stale() -> int:
    """Jobs left 'bezig' by a runner that died."""
    cutoff = timezone.now() - STALE_AFTER
    return ReportJob.objects.filter(state="bezig", started_at__lt=cutoff).update(
        state="mislukt", error="afgebroken: de uitvoerder stopte", finished_at=timezone.now()
    )


def run_pending(worker: str | None = None, keep_polling: bool = False) -> int:
    """Run queued jobs until none is left (or, with ``keep_polling``, until the parent process
    is gone: the runner that ``serve`` starts must not outlive the server); returns the count."""
    worker = worker or worker_name()
    parent, done = os.getppid(), 0
    while True:
        if keep_polling and os.getppid() != parent:
            return done
        fail_stale()
        job = claim_next(worker)
        if job is not None:
            run_job(job)
            done += 1
            continue
        if not keep_polling:
            return done
        time.sleep(POLL_SECONDS)


def run_report_jobs(report: Report) -> int:
    """Run the waiting jobs of one report now (the demo and the tests)."""
    done = 0
    while (job := claim_next(worker_name(), report)) is not None:
        run_job(job)
        done += 1
    return done
