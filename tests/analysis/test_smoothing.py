"""Empirical Bayes smoothing: equal to esda where esda is defined, guarded where it is not."""

from __future__ import annotations

import numpy as np
import pytest
from esda.smoothing import Empirical_Bayes, Spatial_Empirical_Bayes, assuncao_rate
from libpysal.weights import W, lat2W, w_subset

from veiligheidskaart.analysis.smoothing import (
    RAW_LABEL,
    SMOOTHED_LABEL,
    eb_smooth,
    eb_standardise,
    neighbour_lists,
    spatial_eb_smooth,
)


def _data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Overdispersed counts: gamma-distributed true rates, so the prior variance is positive."""
    rng = np.random.default_rng(seed)
    b = rng.integers(300, 5000, n).astype(float)
    true_rate = rng.gamma(4.0, 0.01 / 4.0, n)
    return rng.poisson(true_rate * b).astype(float), b


def _lattice(rows: int = 10) -> W:
    return lat2W(rows, rows, rook=False)


def test_global_equals_esda() -> None:
    e, b = _data(60, 1)
    ours = eb_smooth(e, b, per=1)
    assert not ours.variance_clipped.any()
    esda_r = Empirical_Bayes(e, b).r.ravel()
    np.testing.assert_allclose(ours.smoothed, esda_r, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(ours.raw, e / b, rtol=1e-12)


def test_spatial_equals_esda_with_weights_and_lists() -> None:
    e, b = _data(100, 2)
    w = _lattice()
    from_w = spatial_eb_smooth(e, b, w, per=1)
    from_lists = spatial_eb_smooth(e, b, neighbour_lists(w, 100), per=1)
    esda_r = Spatial_Empirical_Bayes(e, b, w).r.ravel()
    np.testing.assert_allclose(from_w.smoothed, esda_r, rtol=1e-10, atol=1e-13)
    np.testing.assert_array_equal(from_w.smoothed, from_lists.smoothed)
    assert from_w.method == "ruimtelijk"


def test_per_scales_rates_and_prior() -> None:
    e, b = _data(40, 3)
    one, thousand = eb_smooth(e, b, per=1), eb_smooth(e, b, per=1000)
    np.testing.assert_allclose(thousand.smoothed, 1000 * one.smoothed, rtol=1e-12)
    np.testing.assert_allclose(thousand.prior_variance, 1e6 * one.prior_variance, rtol=1e-12)


def test_hand_computed_three_areas() -> None:
    s = eb_smooth([10, 20, 30], [1000, 1000, 2000], per=1)
    m, a = 0.015, 1.25e-6
    weights = [a / (a + m / 1000), a / (a + m / 1000), a / (a + m / 2000)]
    assert weights[0] == pytest.approx(1 / 13) and weights[2] == pytest.approx(1 / 7)
    expected = [m + w * (r - m) for w, r in zip(weights, [0.01, 0.02, 0.015], strict=True)]
    np.testing.assert_allclose(s.smoothed, expected, rtol=1e-12)
    assert s.prior_mean[0] == pytest.approx(m) and s.prior_variance[0] == pytest.approx(a)
    assert (s.raw_label, s.smoothed_label) == (RAW_LABEL, SMOOTHED_LABEL)


def test_zero_population_does_not_poison_global() -> None:
    e, b = _data(30, 4)
    e0, b0 = np.append(e, 2.0), np.append(b, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        assert np.isnan(Empirical_Bayes(e0, b0).r).all()  # esda: one zero, all NaN
    ours = eb_smooth(e0, b0, per=1)
    assert np.isfinite(ours.smoothed[:-1]).all() and np.isnan(ours.smoothed[-1])
    assert ours.included.tolist() == [True] * 30 + [False]
    np.testing.assert_allclose(ours.smoothed[:-1], Empirical_Bayes(e, b).r.ravel(), rtol=1e-10)


def test_zero_population_does_not_poison_spatial() -> None:
    e, b = _data(100, 5)
    b[44] = 0.0
    w = _lattice()
    with np.errstate(divide="ignore", invalid="ignore"):
        esda_r = Spatial_Empirical_Bayes(e, b, w).r.ravel()
    assert np.isnan(esda_r[[33, 34, 35, 43, 45]]).all()  # esda: NaN spreads to neighbours
    ours = spatial_eb_smooth(e, b, w, per=1)
    keep = [i for i in range(100) if i != 44]
    assert np.isfinite(ours.smoothed[keep]).all() and np.isnan(ours.smoothed[44])
    sub = w_subset(w, keep)
    expected = Spatial_Empirical_Bayes(e[keep], b[keep], sub).r.ravel()
    np.testing.assert_allclose(ours.smoothed[keep], expected, rtol=1e-10)


def test_small_and_missing_denominators_are_left_out_of_the_prior() -> None:
    e = [10.0, 20.0, 30.0, 5.0, np.nan, 3.0]
    b = [1000.0, 1000.0, 2000.0, 150.0, 1000.0, np.nan]
    s = eb_smooth(e, b)
    ref = eb_smooth(e[:3], b[:3])
    np.testing.assert_allclose(s.smoothed[:3], ref.smoothed, rtol=1e-12)
    assert np.isnan(s.smoothed[3:]).all() and np.isnan(s.raw[3:]).all()
    assert s.included.tolist() == [True, True, True, False, False, False]


def test_negative_prior_variance_is_clipped() -> None:
    e, b = np.array([10.0, 11.0, 12.0, 9.0]), np.full(4, 1000.0)
    s = eb_smooth(e, b, per=1)
    assert s.variance_clipped.all()
    assert (s.prior_variance == 0).all()
    np.testing.assert_allclose(s.smoothed, np.full(4, e.sum() / b.sum()), rtol=1e-12)
    esda_r = Empirical_Bayes(e, b).r.ravel()
    assert esda_r[2] < e.sum() / b.sum() < e[2] / b[2]  # esda: highest raw ends below the mean


def test_spatial_area_without_included_neighbours_keeps_raw_rate() -> None:
    s = spatial_eb_smooth([10, 20, 30], [1000, 100, 1000], [[1], [0, 2], [1]])
    np.testing.assert_allclose(s.smoothed[[0, 2]], [10.0, 30.0])
    assert np.isnan(s.smoothed[1])


def test_all_zero_counts_smooth_to_zero() -> None:
    s = eb_smooth([0, 0, 0], [1000, 2000, 500])
    np.testing.assert_array_equal(s.smoothed, [0.0, 0.0, 0.0])
    z = eb_standardise([0, 0, 0], [1000, 2000, 500])
    np.testing.assert_array_equal(z.z, [0.0, 0.0, 0.0])


def test_nothing_included_gives_nan_without_error() -> None:
    s = eb_smooth([1, 2], [10, 0])
    assert np.isnan(s.smoothed).all() and not s.included.any()


def test_standardise_equals_assuncao_rate() -> None:
    e, b = _data(80, 6)
    ours = eb_standardise(e, b)
    assert not ours.variance_clipped
    np.testing.assert_allclose(ours.z, assuncao_rate(e, b), rtol=1e-10, atol=1e-12)


def test_standardise_clips_globally_where_esda_clips_per_area() -> None:
    e, b = np.array([10.0, 11.0, 12.0, 40.0]), np.array([1000.0, 1000.0, 1000.0, 4000.0])
    ours = eb_standardise(e, b, per=1)
    assert ours.variance_clipped and ours.prior_variance == 0
    m = e.sum() / b.sum()
    np.testing.assert_allclose(ours.z, (e / b - m) / np.sqrt(m / b), rtol=1e-12)
    assert not np.allclose(ours.z, assuncao_rate(e, b))


def test_standardise_leaves_excluded_areas_nan() -> None:
    z = eb_standardise([10, 20, 30, 7], [1000, 1000, 2000, 0])
    assert np.isnan(z.z[3]) and np.isfinite(z.z[:3]).all()


def test_invalid_input_is_refused() -> None:
    with pytest.raises(ValueError, match="length"):
        eb_smooth([1, 2], [1000])
    with pytest.raises(ValueError, match="negative"):
        eb_smooth([-1, 2], [1000, 1000])
    with pytest.raises(ValueError, match="neighbour lists"):
        spatial_eb_smooth([1, 2], [1000, 1000], [[1]])
    with pytest.raises(ValueError, match="out of range"):
        spatial_eb_smooth([1, 2], [1000, 1000], [[1], [2]])
