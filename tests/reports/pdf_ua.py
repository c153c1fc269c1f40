"""A structural PDF/UA-1 check with pikepdf: the machine-checkable parts of ISO 14289-1.

No veraPDF is available offline here, so this checks what the Matterhorn protocol makes
machine-checkable and WeasyPrint is responsible for: tagged (MarkInfo/Marked), a structure tree
with a document root and headings/tables/figures, the PDF/UA identifier in XMP, a dc:title shown
as the window title, a document language, embedded fonts, figures with alternative text, and a
tab order that follows the structure. It returns findings instead of raising, so a report can
list them; the test asserts there are none.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf


def structure_types(root: Any) -> Counter[str]:
    """Count the structure element types (/S) in the tree under ``root``."""
    seen: Counter[str] = Counter()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if "/S" in node:
            seen[str(node.S)[1:]] += 1
        if "/K" in node:
            stack.append(node.K)
    return seen


def figures_without_alt(root: Any) -> int:
    missing, stack = 0, [root]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue
        is_figure = node.get("/S") == pikepdf.Name.Figure
        if is_figure and "/Alt" not in node and "/ActualText" not in node:
            missing += 1
        if "/K" in node:
            stack.append(node.K)
    return missing


def check_pdf_ua(path: Path) -> tuple[list[str], dict[str, Any]]:
    """(findings, facts): findings are failed requirements in Dutch; facts describe the file."""
    findings: list[str] = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        facts: dict[str, Any] = {"pages": len(pdf.pages)}
        marked = root.get("/MarkInfo", {}).get("/Marked", False)
        if not marked:
            findings.append("niet getagd: /MarkInfo /Marked ontbreekt of is false")
        lang = str(root.get("/Lang", ""))
        facts["lang"] = lang
        if not lang.lower().startswith("nl"):
            findings.append(f"documenttaal is '{lang}', niet nl")
        prefs = root.get("/ViewerPreferences", {})
        if not prefs.get("/DisplayDocTitle", False):
            findings.append("/ViewerPreferences /DisplayDocTitle is niet true")
        with pdf.open_metadata() as meta:
            facts["title"] = meta.get("dc:title", "")
            facts["pdfua_part"] = meta.get("pdfuaid:part", "")
        if not facts["title"]:
            findings.append("geen dc:title in de XMP-metadata")
        if str(facts["pdfua_part"]) != "1":
            findings.append("geen PDF/UA-identificatie (pdfuaid:part = 1) in de XMP-metadata")
        tree = root.get("/StructTreeRoot")
        if tree is None:
            findings.append("geen structuurboom (/StructTreeRoot)")
            facts["structure"] = {}
        else:
            types = structure_types(tree)
            facts["structure"] = dict(types)
            for needed in ("Document", "H1", "H2", "Table", "TH", "TD", "Figure", "P"):
                if not types.get(needed):
                    findings.append(f"geen structuurelement {needed}")
            if missing := figures_without_alt(tree):
                findings.append(f"{missing} figuren zonder alternatieve tekst (/Alt)")
        for number, page in enumerate(pdf.pages, start=1):
            if page.obj.get("/Tabs") != pikepdf.Name.S:
                findings.append(f"pagina {number}: tabvolgorde volgt de structuur niet (/Tabs /S)")
                break
        unembedded = set()
        for page in pdf.pages:
            for font in (page.resources.get("/Font") or {}).values():
                descriptor = font.get("/FontDescriptor")
                if font.get("/Subtype") == pikepdf.Name.Type0:
                    descriptor = font.DescendantFonts[0].get("/FontDescriptor")
                if descriptor is not None and not any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    unembedded.add(str(font.get("/BaseFont")))
        if unembedded:
            findings.append(f"niet ingebedde lettertypen: {', '.join(sorted(unembedded))}")
    return findings, facts
