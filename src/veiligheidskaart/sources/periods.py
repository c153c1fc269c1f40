"""Period codes as published → (start date, granularity).

>>> parse_period("2023JJ00")
(datetime.date(2023, 1, 1), 'year')
>>> parse_period("2025MM06 ")
(datetime.date(2025, 6, 1), 'month')
>>> parse_period("2024-H2")
(datetime.date(2024, 7, 1), 'half')
>>> parse_period("2024KW03")
(datetime.date(2024, 7, 1), 'quarter')
>>> parse_period("2013")
(datetime.date(2013, 1, 1), 'year')
>>> is_incomplete_month(date(2025, 1, 1), published=date(2025, 3, 15))
True
>>> is_incomplete_month(date(2024, 12, 1), published=date(2025, 3, 15))
False
"""

from __future__ import annotations

import re
from datetime import date

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d{4})JJ00$"), "year"),
    (re.compile(r"^(\d{4})MM(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})KW(\d{2})$"), "quarter"),
    (re.compile(r"^(\d{4})HJ(\d{2})$"), "half"),
    (re.compile(r"^(\d{4})-H([12])$"), "half"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})$"), "year"),
)
_MONTHS_PER_UNIT = {"month": 1, "quarter": 3, "half": 6}
INCOMPLETE_WINDOW_MONTHS = 2


class PeriodError(ValueError):
    pass


def parse_period(code: str) -> tuple[date, str]:
    text = code.strip().rstrip("*")
    for pattern, granularity in _PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        year = int(match.group(1))
        if granularity == "year":
            return date(year, 1, 1), granularity
        index = int(match.group(2))
        limit = 12 // _MONTHS_PER_UNIT[granularity]
        if not 1 <= index <= limit or not 1900 <= year <= 2100:
            break
        return date(year, 1 + (index - 1) * _MONTHS_PER_UNIT[granularity], 1), granularity
    raise PeriodError(f"onbekende periodecode '{code.strip()}'")


def add_months(start: date, months: int) -> date:
    total = start.year * 12 + start.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def period_end(start: date, granularity: str) -> date:
    """The first day after the period."""
    months = 12 if granularity == "year" else _MONTHS_PER_UNIT[granularity]
    return add_months(start, months)


def is_incomplete_month(start: date, published: date) -> bool:
    """Months ending within two months of the publication date are still being registered."""
    return add_months(start, 1 + INCOMPLETE_WINDOW_MONTHS) > published


def period_label(start: date, granularity: str) -> str:
    if granularity == "year":
        return str(start.year)
    if granularity == "half":
        return f"{start.year}-H{1 if start.month <= 6 else 2}"
    if granularity == "quarter":
        return f"{start.year}-K{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"
