"""Lay out stored content as a council document: HTML, and PDF/UA through WeasyPrint.

Rendering is cheap and deterministic: the same content and interpretations give the same bytes
of HTML, which is how a published report is shown to be reproducible.
"""

from __future__ import annotations

import base64
import logging
import re
from datetime import date
from html import unescape
from typing import Any

from django.template.loader import render_to_string

from veiligheidskaart.reports.registry import AUTHOR_ROLES, KIND_BY_CODE

PDF_VARIANT = "pdf/ua-1"
STATUS_LABELS = {"concept": "Concept", "vastgesteld": "Vastgesteld", "gepubliceerd": "Gepubliceerd"}


def toc(content: dict[str, Any]) -> list[dict[str, Any]]:
    """Entries of the table of contents: summary, each section and subsection, sources, methods."""
    entries = [{"id": "samenvatting", "title": "Samenvatting", "level": 1}]
    for sec in content.get("sections", []):
        entries.append({"id": sec["id"], "title": sec["title"], "level": 1})
        entries += [{"id": s["id"], "title": s["title"], "level": 2} for s in sec["subsections"]]
    entries.append({"id": "bronnen", "title": "Bronnen en versies", "level": 1})
    entries.append({"id": "verantwoording", "title": "Verantwoording", "level": 1})
    return entries


def render_html(content: dict[str, Any], interpretations: dict[str, dict[str, str]],
                status: str, generated_on: date | None, *, for_pdf: bool = False
                ) -> str:  # fmt: skip
    """The whole document as one HTML page (inline SVG, embedded CSS: no external requests)."""
    context = {
        "c": content,
        "sections": [_prepare(s, interpretations) for s in content.get("sections", [])],
        "toc": toc(content),
        "duiding": interpretations,
        "roles": AUTHOR_ROLES,
        "status": status,
        "status_label": STATUS_LABELS.get(status, status),
        "kind_name": KIND_BY_CODE[content["kind"]].name if content.get("kind") else "",
        "generated_on": generated_on,
        "for_pdf": for_pdf,
    }
    return render_to_string("reports/document.html", context)


def _prepare(sec: dict[str, Any], interpretations: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Figures become <img> with their description as alt text, tables pair each cell with
    its alignment, and interpretation slots get each author role's text."""

    blocks = []
    for b in sec["blocks"]:
        if b["type"] == "figure":
            b = {**b, "src": svg_data_uri(b["svg"]), "alt": svg_text(b["svg"])}
        elif b["type"] == "table":  # pair each cell with its alignment
            num = b["numeric"]
            b = {**b, "head_cells": list(zip(b["head"], num, strict=True)),
                 "body": [list(zip(row, num, strict=True)) for row in b["rows"]]}  # fmt: skip
        elif b["type"] == "duiding":
            texts = interpretations.get(b["key"], {})
            b = {**b, "entries": [(r.code, r.label, texts.get(r.code, "")) for r in AUTHOR_ROLES]}
        blocks.append(b)
    subsections = [_prepare(s, interpretations) for s in sec["subsections"]]
    return {**sec, "blocks": blocks, "subsections": subsections}


def svg_data_uri(svg: str) -> str:
    """An <img> source: WeasyPrint tags an image as a Figure with its alt text (PDF/UA), which it
    does not do for inline SVG."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def svg_text(svg: str) -> str:
    """The chart's title and description (our charts state every plotted number there).

    >>> svg_text('<svg><title id="a">Geweld</title><desc id="b">A: 2,0 &amp; B.</desc></svg>')
    'Geweld. A: 2,0 & B.'
    """
    title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S)
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S)
    parts = [unescape(m.group(1)).strip() for m in (title, desc) if m]
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


def render_pdf(html: str) -> bytes:
    """Tagged PDF/UA-1 with title and language from the HTML; WeasyPrint imported lazily."""
    from weasyprint import HTML

    # WeasyPrint captures fontTools' messages at DEBUG level while it subsets fonts; without
    # this they also reach the root handler, a screenful per font.
    logging.getLogger("fontTools").propagate = False
    pdf: bytes = HTML(string=html, base_url=None).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
