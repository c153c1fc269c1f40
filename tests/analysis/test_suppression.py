"""Suppression: rounding to 5, "<5", wijk-only sensitive themes, closed classes, subtraction."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veiligheidskaart.analysis.suppression import (
    EXACT_SOURCES,
    PublicBreakdown,
    PublicValue,
    publish_breakdown,
    publish_count,
    publish_counts,
)
from veiligheidskaart.catalogue.registry import Source

MELDINGEN = {"source": "meldingen", "classification": "intern", "level": "buurt"}
POLICE = {"source": "misdrijven", "classification": "open", "level": "buurt"}


def _key(p: PublicValue) -> int:
    """Order of what is shown: "<5" below every number."""
    return -1 if p.display == "<5" else int(p.display)


@given(st.integers(0, 10**6))
def test_rounded_output_is_a_multiple_of_5_or_small(v: int) -> None:
    p = publish_count(v, **MELDINGEN)
    if v < 5:
        assert (p.value, p.display, p.reason) == (None, "<5", "minder dan 5")
    else:
        assert p.value is not None and p.value % 5 == 0 and p.display == str(p.value)
        assert abs(p.value - v) <= 2 and p.value >= 5


@given(st.integers(0, 10**5), st.integers(0, 10**5))
def test_rounding_is_monotone(a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    assert _key(publish_count(lo, **MELDINGEN)) <= _key(publish_count(hi, **MELDINGEN))


def test_cells_below_5_are_indistinguishable() -> None:
    shown = {
        publish_count(v, source="eigen", classification="open", level="wijk") for v in range(5)
    }
    assert len(shown) == 1


@given(st.lists(st.one_of(st.integers(0, 500), st.just(math.nan)), max_size=30))
def test_vectorised_equals_scalar(values: list[float]) -> None:
    many = publish_counts(values, **MELDINGEN)
    one = [publish_count(v, **MELDINGEN) for v in values]
    assert many.display == tuple(p.display for p in one)
    assert many.reason == tuple(p.reason for p in one)
    assert [None if math.isnan(v) else int(v) for v in many.value] == [p.value for p in one]


def test_police_open_data_is_exact_but_closed_classes_never_public() -> None:
    assert publish_count(3, **POLICE) == PublicValue(3, "3", None)
    assert publish_count(1234, **POLICE).display == "1234"
    for cls in ("wpg", "vertrouwelijk", "onbekend"):
        p = publish_count(1234, source="misdrijven", classification=cls, level="gemeente")
        assert p.hidden and p.display == "x" and p.reason == f"niet openbaar ({cls})"
    assert publish_count(3, source="misdrijven", classification="intern", level="wijk").display == (
        "<5"
    )
    assert {s.value for s in Source} >= EXACT_SOURCES
    assert {"meldingen", "eigen"} <= {s.value for s in Source} - EXACT_SOURCES


@pytest.mark.parametrize(
    ("level", "shown"),
    [("buurt", False), ("focusgebied", False), ("wijk", True), ("stadsdeel", True),
     ("gemeente", True), ("land", True)],
)  # fmt: skip
def test_sensitive_themes_per_wijk_only(level: str, shown: bool) -> None:
    for source in ("meldingen", "overlast"):
        p = publish_count(120, source=source, classification="open", level=level, sensitive=True)
        assert p.hidden != shown
        if not shown:
            assert p.display == "x" and p.reason == "gevoelig thema: alleen per wijk gepubliceerd"


def test_missing_and_negative() -> None:
    assert publish_count(None, **MELDINGEN) == PublicValue(None, ".", "geen gegevens")
    assert publish_count(float("nan"), **POLICE).display == "."
    with pytest.raises(ValueError, match="negative"):
        publish_count(-1, **MELDINGEN)
    with pytest.raises(ValueError, match="negative"):
        publish_counts([1, -1], **MELDINGEN)


def test_series_keeps_its_index() -> None:
    s = pd.Series([12, 3, None], index=["BU01", "BU02", "BU03"], dtype="Int64")
    frame = publish_counts(s, **MELDINGEN).to_frame()
    assert list(frame.index) == ["BU01", "BU02", "BU03"]
    assert frame["display"].tolist() == ["10", "<5", "."]
    assert frame["value"].tolist()[0] == 10 and frame["value"].isna().tolist() == [
        False,
        True,
        True,
    ]
    hidden = publish_counts(s, source="eigen", classification="wpg", level="wijk")
    assert hidden.display == ("x", "x", "x") and np.isnan(hidden.value).all()


def test_rounding_alone_would_reveal_a_hidden_4() -> None:
    b = publish_breakdown([7, 12, 4], **MELDINGEN)
    assert [p.display for p in b.parts] == ["x", "10", "x"] and b.total.display == "25"
    assert b.complementary == (0,)
    assert b.parts[2].reason == "afgeschermd om terugrekenen te voorkomen"


def test_two_small_parts_that_fill_the_total_hide_the_total() -> None:
    b = publish_breakdown([4, 4], **MELDINGEN)  # total 8 shows 10: both parts must be 4
    assert [p.display for p in b.parts] == ["x", "x"] and b.total.display == "x"
    assert b.complementary == (-1,)


def test_a_zero_that_the_total_would_prove_is_hidden_too() -> None:
    b = publish_breakdown([8, 8, 8, 8, 0], **MELDINGEN)  # 32 shows 30: parts ≥ 8 fill it
    assert b.parts[4].display == "x" and b.complementary == (0,)


def test_safe_breakdowns_are_left_alone() -> None:
    b = publish_breakdown([20, 31, 2], **MELDINGEN)
    assert [p.display for p in b.parts] == ["20", "30", "<5"] and b.complementary == ()
    exact = publish_breakdown([7, 12, 4], **POLICE)
    assert [p.display for p in exact.parts] == ["7", "12", "4"] and exact.total.display == "23"


def _candidates(p: PublicValue, cap: int) -> np.ndarray:
    """Every count a reader could think lies behind a display (written apart from the code)."""
    if p.display == "<5":
        return np.arange(5)
    if p.display in ("x", "."):
        return np.arange(cap + 1)
    v = int(p.display)
    if p.reason is None:
        return np.array([v])
    return np.arange(5, 8) if v == 5 else np.arange(v - 2, v + 3)


def _feasible(b: PublicBreakdown, cap: int) -> list[set[int]]:
    """Brute force: the values of each part consistent with all displays and the total."""
    grids = np.ix_(*[_candidates(p, cap) for p in b.parts])
    total = np.sum(np.broadcast_arrays(*grids), axis=0)
    tot = _candidates(b.total, cap) if b.total.display != "x" else None
    ok = np.ones(total.shape, bool) if tot is None else (total >= tot[0]) & (total <= tot[-1])
    out = []
    for i, g in enumerate(grids):
        axes = tuple(j for j in range(len(grids)) if j != i)
        seen = ok.any(axis=axes) if axes else ok
        out.append({int(v) for v in np.ravel(g)[np.ravel(seen)]})
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 20), min_size=1, max_size=4))
def test_no_small_cell_can_be_recovered_by_subtraction(parts: list[int]) -> None:
    b = publish_breakdown(parts, **MELDINGEN)
    for p in (*b.parts, b.total):
        assert p.display in ("<5", "x") or int(p.display) % 5 == 0
    feasible = _feasible(b, cap=sum(parts) + 10)
    for true, values in zip(parts, feasible, strict=True):
        assert true in values
        if true < 5:
            assert 0 in values and any(v > 0 for v in values), (parts, b)


def test_the_brute_force_reader_finds_what_rounding_alone_leaks() -> None:
    parts = [publish_count(v, **MELDINGEN) for v in (7, 12, 4)]
    naive = PublicBreakdown(tuple(parts), publish_count(23, **MELDINGEN), ())
    assert _feasible(naive, cap=40)[2] == {4}
