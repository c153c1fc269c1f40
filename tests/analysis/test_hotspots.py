"""Hotspots: contiguity with islands, Gi* and local Moran against esda, planted signals, KDE."""

from __future__ import annotations

import numpy as np
import pytest
from esda.getisord import G_Local
from esda.moran import Moran_Local_Rate
from esda.smoothing import assuncao_rate
from shapely.geometry import MultiPolygon, box

from veiligheidskaart.analysis.hotspots import (
    PERMUTATIONS,
    Contiguity,
    gi_star_counts,
    gi_star_rates,
    kernel_density,
    local_moran_rate,
    queen_contiguity,
)

# Only for the direct esda calls below; the wrappers silence it themselves.
pytestmark = pytest.mark.filterwarnings("ignore:The alternative hypothesis:DeprecationWarning")

SEED = 7
BLOCK = [44, 45, 54, 55]  # a 2×2 block in the middle of a 10×10 lattice


def _squares(rows: int = 10) -> list[box]:
    return [box(c, r, c + 1, r + 1) for r in range(rows) for c in range(rows)]


@pytest.fixture(scope="module")
def lattice() -> Contiguity:
    return queen_contiguity(_squares())


def _counts(seed: int, planted: float = 1.0, varied: bool = False) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    b = rng.uniform(500, 3000, 100).round() if varied else np.full(100, 1000.0)
    lam = b / 100.0
    lam[BLOCK] *= planted
    return rng.poisson(lam).astype(float), b


def test_queen_lattice_and_island_joined_to_nearest() -> None:
    far = box(14, 4, 15, 5)  # nearest centroid: the square at row 4, column 9
    c = queen_contiguity([*_squares(), far])
    assert c.islands == (100,) and c.joined_to == (49,)
    assert 100 in c.neighbours[49] and c.neighbours[100] == (49,)
    assert c.neighbours[0] == (1, 10, 11) and len(c.neighbours[55]) == 8
    assert all(i in c.neighbours[j] for i, row in enumerate(c.neighbours) for j in row)


def test_queen_corner_touch_and_multipolygons() -> None:
    multi = MultiPolygon([box(0, 0, 1, 1), box(5, 5, 6, 6)])
    c = queen_contiguity([multi, box(1, 1, 2, 2), box(6, 6, 7, 7)])
    assert c.neighbours == ((1, 2), (0,), (0,)) and c.islands == ()


def _esda_gi(y: np.ndarray, lattice: Contiguity) -> G_Local:
    return G_Local(y, lattice.to_w(), transform="B", star=True, permutations=PERMUTATIONS,
                   n_jobs=1, seed=SEED)  # fmt: skip


@pytest.mark.parametrize(("seed", "sign"), [(16, 1.0), (22, -1.0)])
def test_gi_star_rates_equals_esda(lattice: Contiguity, seed: int, sign: float) -> None:
    """Same z and p as esda on the same EB z-scores; esda flips z when their sum is negative."""
    e, b = _counts(seed, varied=True)
    y = assuncao_rate(e, b)
    assert np.sign(y.sum()) == sign and abs(y.sum()) > 1
    ours = gi_star_rates(e, b, lattice, seed=SEED)
    raw, shifted = _esda_gi(y, lattice), _esda_gi(y - y.min() + 1, lattice)
    np.testing.assert_allclose(ours.z, sign * raw.Zs, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.z, shifted.Zs, rtol=1e-10, atol=1e-12)
    for ref in (raw, shifted):  # esda keeps p_sim as float32
        np.testing.assert_allclose(ours.p_sim, ref.p_sim, rtol=1e-6)
    np.testing.assert_allclose(ours.p_value, np.minimum(1, 2 * raw.p_sim), rtol=1e-6)
    assert ours.permutations == 9999 and ours.seed == SEED


def test_equal_populations_make_esda_gi_star_divide_by_zero(lattice: Contiguity) -> None:
    e, b = _counts(11)
    y = assuncao_rate(e, b)
    assert abs(y.sum()) < 1e-9  # EB z-scores sum to 0 when all populations are equal
    ours = gi_star_rates(e, b, lattice, seed=SEED)
    ref = _esda_gi(y - y.min() + 1, lattice)
    np.testing.assert_allclose(ours.z, ref.Zs, rtol=1e-10, atol=1e-12)
    assert (ours.p_sim >= ref.p_sim - 1e-6).all()  # tied integer counts: ties on both sides


def test_esda_gi_star_sign_flips_on_negative_sum(lattice: Contiguity) -> None:
    e, b = _counts(12, planted=3.0)
    obs, exp = e, np.full(100, e.mean() * 1.02)  # residuals with a negative sum
    resid = (obs - exp) / np.sqrt(exp)
    assert resid.sum() < 0
    w = lattice.to_w()
    raw = G_Local(resid, w, transform="B", star=True, permutations=0)
    ours = gi_star_counts(obs, exp, lattice, seed=SEED)
    np.testing.assert_allclose(ours.z, -raw.Zs, rtol=1e-9)
    assert (ours.z[BLOCK] > 0).all() and (raw.Zs[BLOCK] < 0).all()
    assert {ours.label[i] for i in BLOCK} == {"hotspot"}


def test_planted_block_is_found_and_null_mostly_is_not(lattice: Contiguity) -> None:
    e, b = _counts(13, planted=3.0)
    hot = gi_star_rates(e, b, lattice, seed=SEED)
    assert [hot.label[i] for i in BLOCK] == ["hotspot"] * 4
    ring = {j for i in BLOCK for j in lattice.neighbours[i]} | set(BLOCK)
    outside = [hot.label[i] for i in range(100) if i not in ring]
    assert sum(lab != "geen" for lab in outside) <= 5
    e0, b0 = _counts(14)
    null = gi_star_rates(e0, b0, lattice, seed=SEED)
    flagged = sum(lab != "geen" for lab in null.label)
    assert flagged <= 10
    null_fdr = gi_star_rates(e0, b0, lattice, seed=SEED, fdr=True)
    assert null_fdr.q_value is not None and (null_fdr.q_value >= null_fdr.p_value - 1e-12).all()
    assert sum(lab != "geen" for lab in null_fdr.label) <= 2


def test_excluded_area_is_neutral_and_not_evaluated(lattice: Contiguity) -> None:
    e, b = _counts(15, planted=3.0)
    b[45] = 5.0  # like Kennispark: a few inhabitants, many crimes
    e[45] = 248.0
    r = gi_star_rates(e, b, lattice, seed=SEED)
    assert not r.evaluated[45] and np.isnan(r.z[45]) and r.label[45] == "geen"
    assert np.isfinite(r.z[np.arange(100) != 45]).all()
    assert "EB-gestandaardiseerde" in r.basis


def test_seed_is_reproducible_and_global_state_untouched(lattice: Contiguity) -> None:
    e, b = _counts(16)
    np.random.seed(123)
    a = gi_star_rates(e, b, lattice, seed=1)
    after = np.random.random()
    np.random.seed(123)
    assert after == np.random.random()  # esda's np.random.seed(seed) was undone
    again = gi_star_rates(e, b, lattice, seed=1)
    np.testing.assert_array_equal(a.p_sim, again.p_sim)
    with pytest.raises(ValueError, match="9999"):
        gi_star_rates(e, b, lattice, permutations=999)


def test_ties_do_not_make_a_hotspot() -> None:
    r = gi_star_counts([5, 5, 5, 40], [10, 10, 10, 10], [[1], [0, 2], [1, 3], [2]])
    assert r.label == ("geen",) * 4 and r.p_sim[3] > 0.1


def test_local_moran_equals_esda(lattice: Contiguity) -> None:
    e, b = _counts(17, planted=3.0, varied=True)
    ours = local_moran_rate(e, b, lattice, seed=SEED)
    ref = Moran_Local_Rate(e, b, lattice.to_w(), permutations=PERMUTATIONS, n_jobs=1, seed=SEED)
    np.testing.assert_allclose(ours.local_i, ref.Is, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.p_sim, ref.p_sim, rtol=1e-6)
    names = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
    assert list(ours.quadrant) == [names[int(q)] for q in ref.q]
    assert [ours.label[i] for i in BLOCK] == ["HH"] * 4


def test_ties_count_on_both_sides_so_p_is_never_below_esda(lattice: Contiguity) -> None:
    e, b = _counts(17, planted=3.0)  # equal populations: tied values, tied permutations
    ours = local_moran_rate(e, b, lattice, seed=SEED)
    ref = Moran_Local_Rate(e, b, lattice.to_w(), permutations=PERMUTATIONS, n_jobs=1, seed=SEED)
    assert (ours.p_sim >= ref.p_sim - 1e-6).all() and (ours.p_sim > ref.p_sim + 1e-6).any()


def test_local_moran_guards_zero_population(lattice: Contiguity) -> None:
    e, b = _counts(18)
    b[0] = 0.0
    r = local_moran_rate(e, b, lattice, seed=SEED, fdr=True)
    assert not r.evaluated[0] and r.quadrant[0] == "" and r.label[0] == "geen"
    assert np.isfinite(r.local_i[1:]).all() and r.q_value is not None


def test_kde_single_point_known_answers() -> None:
    for kernel, peak in (("quartic", 3 / (np.pi * 300**2)), ("gaussian", 1 / (2 * np.pi * 300**2))):
        g = kernel_density([150.0], [250.0], bandwidth=300, kernel=kernel)
        assert g.origin_x % 100 == 0 and g.origin_y % 100 == 0 and g.cell_size == 100
        row, col = int((250 - g.origin_y) // 100), int((150 - g.origin_x) // 100)
        assert g.density[row, col] == pytest.approx(peak, rel=1e-12)
        assert g.density.max() == g.density[row, col]
        np.testing.assert_allclose(g.density, g.density[::-1, ::-1], rtol=1e-12)
        assert g.total == pytest.approx(1.0, rel=0.01)


def test_kde_integrates_to_number_of_points_and_chunks_agree() -> None:
    rng = np.random.default_rng(19)
    x, y = rng.uniform(250_000, 255_000, 500), rng.uniform(470_000, 474_000, 500)
    g = kernel_density(x, y, bandwidth=400)
    assert g.total == pytest.approx(500, rel=0.005) and g.points_used == 500
    small = kernel_density(x, y, bandwidth=400, max_elements=1000)
    np.testing.assert_allclose(small.density, g.density, rtol=1e-10, atol=1e-18)
    weighted = kernel_density(x, y, bandwidth=400, weights=np.full(500, 2.0))
    np.testing.assert_allclose(weighted.density, 2 * g.density, rtol=1e-12)
    gauss = kernel_density(x, y, bandwidth=200, kernel="gaussian")
    assert gauss.total == pytest.approx(500, rel=0.005)


def test_kde_bounds_missing_points_and_errors() -> None:
    g = kernel_density([0.0, 5000.0, np.nan], [0.0, 5000.0, 1.0], bandwidth=200,
                       bounds=(0, 0, 1000, 1000))  # fmt: skip
    assert g.density.shape == (10, 10) and g.points_used == 2
    assert g.total == pytest.approx(0.25, abs=0.02)  # a quarter of the corner point's mass
    with pytest.raises(ValueError, match="no points"):
        kernel_density([], [], bandwidth=100)
    with pytest.raises(ValueError, match="kernel"):
        kernel_density([0.0], [0.0], bandwidth=100, kernel="epanechnikov")
