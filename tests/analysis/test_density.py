"""Kernel density: hand-checkable values, mass conservation, the edge of the kernel."""

from __future__ import annotations

import math

import numpy as np
import pytest

from veiligheidskaart.analysis.density import kernel_density, quartic


def test_a_single_point_at_a_cell_centre_has_the_kernel_peak():
    grid = kernel_density([1_050.0], [2_050.0], cell=100.0, bandwidth=500.0)
    # by hand: 3 / (π h²) per m² with h = 0.5 km is 3 / (π · 0.25) = 3.8197 per km²
    assert grid.at(1_050.0, 2_050.0) == pytest.approx(3 / (math.pi * 0.25))
    # one cell east: d = 100 m, (1 − 0.04)² = 0.9216 of the peak
    assert grid.at(1_150.0, 2_050.0) == pytest.approx(0.9216 * 3 / (math.pi * 0.25))
    # 500 m away the kernel is exactly 0, and it is symmetric
    assert grid.at(1_550.0, 2_050.0) == 0.0
    assert grid.at(950.0, 2_050.0) == pytest.approx(grid.at(1_150.0, 2_050.0))
    assert grid.points == 1


def test_the_kernel_integrates_to_one():
    r = np.linspace(0, 500, 100_001)
    ring = quartic(r, 500.0) * 2 * math.pi * r
    assert np.trapezoid(ring, r) == pytest.approx(1.0, abs=1e-6)


def test_mass_is_conserved_for_many_points():
    rng = np.random.default_rng(7)
    x = rng.uniform(150_000, 160_000, 2_000)
    y = rng.uniform(460_000, 466_000, 2_000)
    grid = kernel_density(x, y)
    assert grid.mass() == pytest.approx(2_000, rel=0.005)
    assert grid.x0 % 100 == 0 and grid.y0 % 100 == 0  # aligned to the RD grid


def test_points_without_coordinates_are_left_out_and_extent_is_respected():
    x = [155_000.0, float("nan")]
    y = [463_000.0, 463_000.0]
    grid = kernel_density(x, y, extent=(154_000, 462_000, 156_000, 464_000))
    assert grid.points == 1
    assert grid.shape == (20, 20)
    assert grid.mass() == pytest.approx(1.0, rel=0.005)
    assert kernel_density([], []).mass() == 0.0
    with pytest.raises(ValueError):
        kernel_density(x, y, cell=0)
