"""Server-side SVG charts: pure functions that return an SVG string.

Every chart is an image with a ``<title>`` and a ``<desc>`` that states the plotted numbers in
Dutch, so screen readers get the figures and printing keeps the chart. Numbers use the Dutch
decimal comma; missing values (None) break a line and are named in the description.

>>> svg = line_chart("t1", "Geweld", ["2023", "2024"],
...                  [Line("Vismarkt", [2.5, None], "gebied")], "per 1.000 inwoners")
>>> svg.startswith("<svg") and 'role="img"' in svg and "<title id=\\"t1-titel\\">" in svg
True
>>> "Vismarkt: 2023 2,5; 2024 geen cijfer" in svg
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from veiligheidskaart.analysis.priority import dutch_number

STYLES = {  # stroke colour, dash pattern, marker radius
    "gebied": ("#0b4f8a", "", 3.5),
    "gemeente": ("#5a5a5a", "6 4", 2.5),
    "land": ("#a0430a", "2 3", 2.5),
}
FONT = 'font-family="DejaVu Sans, sans-serif"'
INK = "#1b1b1b"
GRID = "#d0d0d0"
Scale = Callable[[float], float]


@dataclass(frozen=True)
class Line:
    """One series: its label, a value per x label (None: no figure) and a style key."""

    label: str
    values: Sequence[float | None]
    style: str = "gebied"


@dataclass(frozen=True)
class Band:
    """A shaded stretch of the x axis (a declared series break), by x-label index."""

    first: int
    last: int
    label: str


@dataclass(frozen=True)
class Bar:
    """One bar: label, length (None: no bar) and the text shown beside it."""

    label: str
    value: float | None
    display: str


def nl(value: float | None, digits: int = 1) -> str:
    """Dutch number text, or "geen cijfer".

    >>> nl(1234.56), nl(None), nl(3.0, 0)
    ('1.234,6', 'geen cijfer', '3')
    """
    if value is None or not math.isfinite(value):
        return "geen cijfer"
    return dutch_number(value, digits)


def nice_ceiling(value: float, ticks: int = 4) -> tuple[float, float]:
    """A round axis maximum and step so that ``ticks`` steps cover ``value``.

    >>> nice_ceiling(7.3), nice_ceiling(0.0), nice_ceiling(143)
    ((8.0, 2.0), (1.0, 0.25), (200.0, 50.0))
    """
    if not math.isfinite(value) or value <= 0:
        return 1.0, 1.0 / ticks
    raw = value / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = float(next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw))
    return step * ticks, step


def step_digits(step: float) -> int:
    """Decimals needed to write an axis step exactly.

    >>> step_digits(2.0), step_digits(2.5), step_digits(0.025)
    (0, 1, 3)
    """
    return next((d for d in range(6) if abs(round(step, d) - step) < 1e-9), 6)


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> str:
    cid = escape(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafiek" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{cid}-titel {cid}-uitleg" id="{cid}">'
        f'<title id="{cid}-titel">{escape(title)}</title>'
        f'<desc id="{cid}-uitleg">{escape(desc)}</desc>'
    )


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 12) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{INK}" {FONT}>{escape(text)}</text>'
    )


def line_description(x_labels: Sequence[str], lines: Sequence[Line], unit: str,
                     digits: int = 1) -> str:  # fmt: skip
    """The plotted numbers as one Dutch sentence per line.

    >>> line_description(["2023", "2024"], [Line("A", [1.0, 2.26])], "per 1.000 inwoners")
    'Per 1.000 inwoners. A: 2023 1,0; 2024 2,3.'
    """
    parts = [unit[:1].upper() + unit[1:] + "."] if unit else []
    for line in lines:
        points = "; ".join(
            f"{x} {nl(v, digits)}" for x, v in zip(x_labels, line.values, strict=True)
        )
        parts.append(f"{line.label}: {points}.")
    return " ".join(parts)


def line_chart(chart_id: str, title: str, x_labels: Sequence[str], lines: Sequence[Line],
               unit: str, *, bands: Sequence[Band] = (), width: int = 400, height: int = 230,
               digits: int = 1) -> str:  # fmt: skip
    """A line chart of a few series over the same x labels, with a legend above the plot."""
    left, right, top, bottom = 48, 12, 18 + 16 * len(lines), 26
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [v for line in lines for v in line.values if v is not None and math.isfinite(v)]
    y_max, step = nice_ceiling(max(known, default=0.0))
    digits = max(digits, step_digits(step))
    n = len(x_labels)

    def x_at(i: float) -> float:
        return left + (plot_w * (i + 0.5) / n if n else 0.0)

    def y_at(v: float) -> float:
        return top + plot_h * (1 - v / y_max)

    desc = line_description(x_labels, lines, unit, digits)
    if bands:
        desc += " Reeksbreuk: " + "; ".join(b.label for b in bands) + "."
    out = [_open(chart_id, title, desc, width, height)]
    out += [_band(b, x_at, plot_w / max(n, 1), top, plot_h) for b in bands]
    out += _y_axis(left, width - right, step, y_max, y_at)
    out += [_text(x_at(i), height - 8, label, "middle", 11) for i, label in enumerate(x_labels)]
    out += [_polyline(line, x_at, y_at) for line in lines]
    out += _legend(lines, left)
    out.append("</svg>")
    return "".join(out)


def _y_axis(x0: float, x1: float, step: float, y_max: float, y_at: Scale) -> list[str]:
    out = []
    ticks = round(y_max / step)
    for k in range(ticks + 1):
        value = k * step
        y = y_at(value)
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(_text(x0 - 6, y + 4, nl(value, step_digits(step)), "end", 11))
    return out


def _band(band: Band, x_at: Scale, slot: float, top: float, plot_h: float) -> str:
    x0 = x_at(band.first) - slot / 2
    x1 = x_at(band.last) + slot / 2
    return (
        f'<rect x="{x0:.1f}" y="{top:.1f}" width="{x1 - x0:.1f}" height="{plot_h:.1f}" '
        f'fill="#ececec"/>' + _text((x0 + x1) / 2, top + 12, band.label, "middle", 10)
    )


def _polyline(line: Line, x_at: Scale, y_at: Scale) -> str:
    colour, dash, radius = STYLES.get(line.style, STYLES["gebied"])
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    out, segment = [], []
    for i, v in enumerate([*line.values, None]):
        if v is not None and math.isfinite(v):
            segment.append(f"{x_at(i):.1f},{y_at(v):.1f}")
            continue
        if len(segment) > 1:
            out.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                       f'stroke-width="2.5"{dash_attr}/>')  # fmt: skip
        segment = []
    for i, v in enumerate(line.values):
        if v is not None and math.isfinite(v):
            out.append(f'<circle cx="{x_at(i):.1f}" cy="{y_at(v):.1f}" r="{radius}" '
                       f'fill="{colour}"/>')  # fmt: skip
    return "".join(out)


def _legend(lines: Sequence[Line], left: float) -> list[str]:
    out = []
    for k, line in enumerate(lines):
        colour, dash, _ = STYLES.get(line.style, STYLES["gebied"])
        y = 12 + 16 * k
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{left}" y1="{y - 4}" x2="{left + 24}" y2="{y - 4}" '
                   f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>')  # fmt: skip
        out.append(_text(left + 30, y, line.label, "start", 11))
    return out


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar], unit: str, *,
              width: int = 520) -> str:  # fmt: skip
    """Horizontal bars with the label above each bar and the shown text beside it.

    >>> svg = bar_chart("b1", "Meldingen", [Bar("Afval", 10, "10"), Bar("Groen", None, "<5")],
    ...                 "meldingen")
    >>> "Afval: 10; Groen: &lt;5" in svg and svg.count("<rect") == 1
    True
    """
    row, left, right = 38, 4, 70
    height = max(row * len(bars) + 8, 30)
    known = [b.value for b in bars if b.value is not None and math.isfinite(b.value)]
    top_value = max(known, default=0.0) or 1.0
    desc = (unit[:1].upper() + unit[1:] + ". " if unit else "") + "; ".join(
        f"{b.label}: {b.display}" for b in bars
    )
    out = [_open(chart_id, title, desc, width, height)]
    for k, bar in enumerate(bars):
        y = 8 + row * k
        out.append(_text(left, y + 10, bar.label, "start", 12))
        length = 0.0
        if bar.value is not None and math.isfinite(bar.value) and bar.value > 0:
            length = (width - left - right) * bar.value / top_value
            out.append(f'<rect x="{left}" y="{y + 15}" width="{length:.1f}" height="14" '
                       f'fill="{STYLES["gebied"][0]}"/>')  # fmt: skip
        out.append(_text(left + length + 6, y + 27, bar.display, "start", 12))
    out.append("</svg>")
    return "".join(out)


MAP_PALETTE = ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")  # as on /kaart
Ring = Sequence[tuple[float, float]]


@dataclass(frozen=True)
class MapArea:
    """One area of a choropleth: its rings in map units (y up), class (-1: none) and figure."""

    label: str
    rings: Sequence[Ring]
    klass: int
    display: str


def class_labels(limits: Sequence[float], digits: int = 1) -> list[str]:
    """Legend texts from the lower bound and the class upper bounds.

    >>> class_labels([0.0, 2.5, 10.0, 12.26])
    ['0,0 – 2,5', '2,5 – 10,0', '10,0 – 12,3']
    """
    return [f"{nl(a, digits)} – {nl(b, digits)}" for a, b in zip(limits, limits[1:], strict=False)]


def choropleth(chart_id: str, title: str, areas: Sequence[MapArea], limits: Sequence[float],
               unit: str, *, width: int = 520, digits: int = 1,
               no_value: str = "geen zinvol tarief of geen gegevens") -> str:  # fmt: skip
    """A choropleth map for print: classed fills with white borders, a hatch for areas without a
    meaningful value, and a legend with the class limits below the map.

    ``limits`` is the lower bound followed by each class's upper bound. The description lists
    every area's figure, so the map's numbers reach a screen reader.

    >>> sq = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
    >>> svg = choropleth("k1", "Geweld", [MapArea("Noord", [sq], 0, "2,0"),
    ...     MapArea("Zuid", [[(x, y - 1) for x, y in sq]], -1, "geen zinvol tarief")],
    ...     [1.0, 3.0], "per 1.000 inwoners")
    >>> "Noord: 2,0; Zuid: geen zinvol tarief" in svg and "1,0 – 3,0" in svg
    True
    >>> svg.count("<path")
    2
    """
    points = [p for area in areas for ring in area.rings for p in ring]
    labels = class_labels(limits, digits)
    legend_rows = len(labels) + 1
    map_h = 0.0
    if points:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        scale = (width - 8) / max(x1 - x0, 1e-9)
        map_h = min((y1 - y0) * scale, width * 0.8)  # a tall area is drawn narrower
        scale = min(scale, map_h / max(y1 - y0, 1e-9))
    height = int(map_h + 16 + 20 * legend_rows + 8)
    desc = (
        (unit[:1].upper() + unit[1:] + ". " if unit else "")
        + "Klassen: " + "; ".join(labels) + ". "
        + "; ".join(f"{a.label}: {a.display}" for a in areas) + "."
    )  # fmt: skip
    cid = escape(chart_id)
    out = [_open(chart_id, title, desc, width, height)]
    out.append(
        f'<defs><pattern id="{cid}-arcering" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#767676" stroke-width="2"/></pattern></defs>'
    )
    if points:
        for area in areas:
            d = " ".join(
                "M" + " L".join(f"{4 + (x - x0) * scale:.1f},{4 + (y1 - y) * scale:.1f}"
                                for x, y in ring) + " Z"
                for ring in area.rings if len(ring) > 2
            )  # fmt: skip
            out.append(
                f'<path d="{d}" fill="{_fill(area.klass, cid)}" fill-rule="evenodd" '
                f'stroke="#ffffff" stroke-width="0.8"><title>{escape(area.label)}: '
                f"{escape(area.display)}</title></path>"
            )
    top = map_h + 16
    for k, label in enumerate([*labels, no_value]):
        y = top + 20 * k
        fill = _fill(k if k < len(labels) else -1, cid)
        out.append(f'<rect x="4" y="{y:.1f}" width="22" height="14" fill="{fill}" '
                   f'stroke="{INK}" stroke-width="0.6"/>')  # fmt: skip
        out.append(_text(34, y + 12, label + (f" {unit}" if k < len(labels) else ""), "start", 12))
    out.append("</svg>")
    return "".join(out)


def _fill(klass: int, chart_id: str) -> str:
    if klass < 0:
        return f"url(#{chart_id}-arcering)"
    return MAP_PALETTE[min(klass, len(MAP_PALETTE) - 1)]
