"""Mutation tests for lessons 06 and 07 and appendix A: every check that the independent reads (of the old
chapters, then of the lessons) called unable to fail was replaced; here each replacement, taken from the
notebook (its functions by name, or its assert expression, which must still appear in the cell), is run
against a deliberately wrong implementation and must reject it, while it accepts the right one. Where the read
named the old check, the test also shows that the old check accepted the mutant."""

from __future__ import annotations

import ast
import json
import math
import warnings
from functools import cache

import pytest
import torch
import torch.nn.functional as F
from kit_helpers import NOTEBOOKS
from torch import nn
from torch.testing import assert_close

L06, L07, LA = "06_entropy_kl_cross_entropy.ipynb", "07_classification_losses.ipynb", "A_source_articles.ipynb"


@cache
def _cells(notebook: str) -> dict[str, str]:
    nb = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))
    return {c["id"]: "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"}


def cell_source(notebook: str, cell_id: str, *snippets: str) -> str:
    """The code of one cell; fails if a snippet (the check a test re-implements) is no longer in it."""
    source = _cells(notebook)[cell_id]
    for snippet in snippets:
        assert snippet in source, f"{notebook} cell {cell_id} no longer contains {snippet!r}: update this test"
    return source


def definitions(notebook: str, cell_id: str, *names: str, namespace: dict | None = None) -> dict:
    """Run the top-level statements of one cell that define ``names`` (functions, imports or
    assignments), in the cell's order, and return the namespace."""
    ns = {"torch": torch, "math": math, "F": F, "nn": nn, "assert_close": assert_close, "warnings": warnings}
    ns.update(namespace or {})
    source = "\n".join(line for line in cell_source(notebook, cell_id).splitlines() if not line.startswith("%"))
    wanted = set(names)
    for stmt in ast.parse(source).body:
        if isinstance(stmt, ast.FunctionDef | ast.Import):
            defined = {stmt.name} if isinstance(stmt, ast.FunctionDef) else {a.asname or a.name for a in stmt.names}
        elif isinstance(stmt, ast.Assign):
            defined = {n.id for t in stmt.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        else:
            continue
        if defined & wanted:
            exec(compile(ast.Module([stmt], []), f"{notebook}:{cell_id}", "exec"), ns)  # noqa: S102
            wanted -= defined
    assert not wanted, f"{notebook} cell {cell_id} defines no {sorted(wanted)}"
    return ns


# ---------------------------------------------------------------- lesson 06


@pytest.fixture(scope="module")
def kl_checks() -> dict:
    ns = definitions(L06, "eeacde90", "cross_entropy", "kl", "random_pairs", "matches_library")
    return definitions(L06, "7f0ddef1", "matches_monte_carlo", namespace=ns)


def _passes_both(ns, kl_fn, p, q) -> bool:
    torch.manual_seed(0)
    return bool(ns["matches_library"](kl_fn, p, q)) and all(
        bool(ns["matches_monte_carlo"](kl_fn, p[j], q[j])) for j in range(3))


def test_kl_old_check_was_one_formula_twice_and_the_new_checks_reject_its_mutant(kl_checks):
    """Old: kl() against cross_entropy - entropy, the same two sums regrouped. A mutant in the shared
    primitive (x log y written in bits) passes it; torch.distributions and the Monte-Carlo estimate
    reject it."""
    p, q = kl_checks["random_pairs"](2000, 5, 1.0, seed=2)
    xlogy_bits = lambda x, y: torch.xlogy(x, y) / math.log(2)  # noqa: E731
    kl_bits = lambda p, q: (xlogy_bits(p, p) - xlogy_bits(p, q)).sum(-1)  # noqa: E731
    ce_bits, entropy_bits = (lambda p, q: -xlogy_bits(p, q).sum(-1)), (lambda p: -xlogy_bits(p, p).sum(-1))
    assert_close(kl_bits(p, q), ce_bits(p, q) - entropy_bits(p))  # the old check accepts the mutant
    assert _passes_both(kl_checks, kl_checks["kl"], p, q)
    assert not kl_checks["matches_library"](kl_bits, p, q)
    torch.manual_seed(0)
    assert not all(kl_checks["matches_monte_carlo"](kl_bits, p[j], q[j]) for j in range(3))


@pytest.mark.parametrize("mutant", [
    lambda p, q: (q * (q.log() - p.log())).sum(-1),  # arguments swapped
    lambda p, q: torch.log(p / q).mean(-1),  # mean of log(p/q), not weighted by p
    lambda p, q: (p * (p.log() - q.log())).sum(-1) / 2,  # a factor wrong
    lambda p, q: (p * (p.log() - q.log())).mean(-1),  # mean over outcomes instead of sum
])
def test_kl_checks_reject_mutants(kl_checks, mutant):
    p, q = kl_checks["random_pairs"](2000, 5, 1.0, seed=2)
    assert not kl_checks["matches_library"](mutant, p, q)
    torch.manual_seed(0)
    assert not all(kl_checks["matches_monte_carlo"](mutant, p[j], q[j]) for j in range(3))


def test_kl_zero_entries_check_rejects_a_kl_without_the_0_log_0_convention(kl_checks):
    p, q = kl_checks["random_pairs"](2000, 6, 1.0, seed=5)
    p = torch.where(p < 0.1, torch.zeros_like(p), p)
    p = p / p.sum(-1, keepdim=True)
    cell_source(L06, "e155272a", "assert torch.isfinite(kl(p, q)).all() and matches_library(kl, p, q)")
    naive = lambda p, q: (p * torch.log(p / q)).sum(-1)  # noqa: E731  (0 * log 0 = nan)
    assert torch.isfinite(kl_checks["kl"](p, q)).all() and kl_checks["matches_library"](kl_checks["kl"], p, q)
    assert not (torch.isfinite(naive(p, q)).all() and kl_checks["matches_library"](naive, p, q))


def test_gibbs_and_pinsker_reject_a_scaled_kl_that_kl_p_p_equals_0_accepted(kl_checks):
    """Old: kl(p, p) == 0, true by construction of xlogy(p, p) - xlogy(p, p) (and of any mutant
    f(p, q) with f(p, p) = 0). New: strict Gibbs and Pinsker on random pairs."""
    cell_source(L06, "e155272a", "assert (d >= 0.5 * (p - q).abs().sum(-1) ** 2 - 1e-12).all() and (d > 0).all()")

    def gibbs_and_pinsker(d, p, q):
        return bool((d >= 0.5 * (p - q).abs().sum(-1) ** 2 - 1e-12).all() and (d > 0).all())

    quarter = lambda p, q: kl_checks["kl"](p, q) / 4  # noqa: E731
    p, q = kl_checks["random_pairs"](20_000, 10, 5.0, seed=3)
    assert quarter(p, p).abs().max() == 0  # the old check accepts the mutant
    assert gibbs_and_pinsker(kl_checks["kl"](p, q), p, q)
    assert not gibbs_and_pinsker(quarter(p, q), p, q)


def test_binary_entropy_check_is_against_torch_distributions_and_rejects_mutants():
    """Old: binary_entropy(p) against entropy([p, 1 - p]), the same two terms. New: Bernoulli.entropy."""
    cell_source(L06, "6365a7b4", "assert_close(h, torch.distributions.Bernoulli(probs=grid).entropy())")
    grid = torch.linspace(0, 1, 1001, dtype=torch.float64)
    reference = torch.distributions.Bernoulli(probs=grid).entropy()
    ns = definitions(L06, "6365a7b4", "binary_entropy")
    assert torch.allclose(ns["binary_entropy"](grid), reference)
    for mutant in (lambda p: -torch.xlogy(p, p), lambda p: ns["binary_entropy"](p) / math.log(2)):
        assert not torch.allclose(mutant(grid), reference)


@pytest.fixture(scope="module")
def huffman() -> dict:
    return definitions(L06, "8b34906d", "heapq", "itertools", "huffman_lengths", "p_h", "average", "best")


def test_huffman_check_rejects_the_codes_the_old_bound_accepted(huffman):
    """Old: H <= L < H + 1, passed by a fixed 3-bit code. New: L equals the brute-force optimum over
    every Kraft length vector."""
    cell_source(L06, "8b34906d", "assert abs(huffman - best) < 1e-12")
    p_h, average, best = huffman["p_h"], huffman["average"], huffman["best"]
    h2 = -sum(p * math.log2(p) for p in p_h)
    old_bound = lambda lengths: h2 <= average(lengths) < h2 + 1  # noqa: E731
    new_check = lambda lengths: abs(average(lengths) - best) < 1e-12  # noqa: E731
    fixed_3_bit, shannon = [3] * 6, [math.ceil(-math.log2(p)) for p in p_h]
    most_likely_first = huffman["huffman_lengths"]([1 - p for p in p_h])  # merges the wrong pair each time
    assert new_check(huffman["huffman_lengths"](p_h))
    assert old_bound(fixed_3_bit) and old_bound(shannon)  # the old check accepted both
    for mutant in (fixed_3_bit, shannon, most_likely_first):
        assert sum(2.0**-n for n in mutant) <= 1  # each is the length vector of a real prefix code
        assert not new_check(mutant)
    assert not new_check([1, 1, 2, 3, 3, 3])  # shorter than the optimum, but no prefix code has it


def _bits_per_outcome(words, draws):  # cell 04d36524's encoding and decoding loop
    message, decoded, start = "".join(words[i] for i in draws), [], 0
    while start < len(message):
        (i,) = [j for j, w in enumerate(words) if message.startswith(w, start)]
        decoded.append(i)
        start += len(words[i])
    assert decoded == draws
    return len(message) / len(draws)


def test_code_length_check_rejects_a_wrong_code_and_a_code_that_is_not_prefix_free():
    """Old: "average length = H(p, q)", the definition rewritten. New: 20,000 draws encoded, decoded
    and their bits counted."""
    cell_source(L06, "04d36524", "(i,) = [j for j, w in enumerate(words) if message.startswith(w, start)]",
                "assert decoded == draws", "assert abs(len(message) / len(draws) - theory / math.log(2)) < 0.03")
    p = torch.tensor([1 / 2, 1 / 4, 1 / 8, 1 / 8], dtype=torch.float64)
    q = torch.tensor([1 / 8, 1 / 8, 1 / 4, 1 / 2], dtype=torch.float64)
    h_pq_bits = (-(p * torch.log2(q)).sum()).item()
    torch.manual_seed(10)
    draws = torch.multinomial(p, 20_000, replacement=True).tolist()
    assert abs(_bits_per_outcome(["110", "111", "10", "0"], draws) - h_pq_bits) < 0.03  # the code for q
    assert abs(_bits_per_outcome(["00", "01", "10", "11"], draws) - h_pq_bits) > 0.03  # lengths not -log2 q
    with pytest.raises(ValueError):  # "0" starts "01": two codewords fit, the decoder refuses
        _bits_per_outcome(["0", "01", "011", "111"], draws)


def test_information_unit_check_rejects_a_logarithm_that_the_three_requirements_accept():
    """Old: additivity, I(certain) = 0 and monotonicity, which every c * log(1 / P) with c > 0 meets
    (the read: 7 * log2 passes). New: I(six) against torch.distributions' log-probability of a fair die."""
    cell_source(L06, "a649ca78", "assert_close(information(p_six), -fair_die.log_prob(torch.tensor(5)))")
    ns = definitions(L06, "a649ca78", "information", "p_six", "p_two_sixes", "fair_die")
    p_six, p_two, die = ns["p_six"], ns["p_two_sixes"], ns["fair_die"]

    def old_checks(info) -> bool:
        return bool(torch.allclose(info(p_two), 2 * info(p_six)) and info(1.0) == 0
                    and info(0.01) > info(0.5) > info(0.99))

    def new_check(info) -> bool:
        return bool(torch.allclose(info(p_six), -die.log_prob(torch.tensor(5))))

    assert old_checks(ns["information"]) and new_check(ns["information"])
    for mutant in (lambda p: 7 * torch.log2(1 / torch.as_tensor(p, dtype=torch.float64)),
                   lambda p: torch.log2(1 / torch.as_tensor(p, dtype=torch.float64))):  # in bits
        assert old_checks(mutant)  # the old checks accept it
        assert not new_check(mutant)


def test_kl_minus_cross_entropy_check_rejects_what_the_gradient_check_accepted(kl_checks):
    """Old: the gradient of kl(y, softmax(z)) against F.cross_entropy's, equal for any kl that is
    cross-entropy plus a constant (y has no gradient): kl + 123 passed. New: kl - F.cross_entropy is the
    same at two unrelated predictions and equals -H(y) (Categorical.entropy)."""
    cell_source(L06, "6998493b", "assert_close(gap(z.detach()), gap(z_other))",
                "assert_close(gap(z_other), -torch.distributions.Categorical(probs=y).entropy())")
    torch.manual_seed(6)  # the cell's seed: y, z, z_other as in the notebook
    ns = definitions(L06, "6998493b", "y", "z", "z_other", "gap", namespace={"kl": kl_checks["kl"]})
    y, z, z_other = ns["y"], ns["z"], ns["z_other"]

    def old_check(kl_fn) -> bool:
        leaf = z.detach().clone().requires_grad_()
        (g_kl,) = torch.autograd.grad(kl_fn(y, torch.softmax(leaf, -1)).sum(), leaf)
        (g_ce,) = torch.autograd.grad(F.cross_entropy(leaf, y, reduction="sum"), leaf)
        return bool(torch.allclose(g_kl, g_ce))

    def new_check(kl_fn) -> bool:
        ns["kl"] = kl_fn
        gap = ns["gap"]
        return bool(torch.allclose(gap(z.detach()), gap(z_other))
                    and torch.allclose(gap(z_other), -torch.distributions.Categorical(probs=y).entropy()))

    right = kl_checks["kl"]
    assert old_check(right) and new_check(right)
    plus_constant = lambda p, q: right(p, q) + 123  # noqa: E731
    assert old_check(plus_constant)  # the old check accepts it
    for mutant in (plus_constant, lambda p, q: 2 * right(p, q), lambda p, q: -torch.xlogy(p, q).sum(-1)):
        assert not new_check(mutant)  # a constant, a factor, or the entropy term forgotten


def test_exact_code_length_check_rejects_a_code_whose_lengths_are_not_minus_log2_q():
    """New: the exact average length sum_i p_i len(w_i) against H(p, q) in bits, besides the draws."""
    cell_source(L06, "04d36524", "exact = sum(p_i * len(w) for p_i, w in zip(p_code.tolist(), words, strict=True))",
                "assert abs(exact - theory / math.log(2)) < 1e-12")
    p = [1 / 2, 1 / 4, 1 / 8, 1 / 8]
    h_pq_bits = -sum(p_i * math.log2(q_i) for p_i, q_i in zip(p, [1 / 8, 1 / 8, 1 / 4, 1 / 2], strict=True))
    exact = lambda words: abs(sum(p_i * len(w) for p_i, w in zip(p, words, strict=True)) - h_pq_bits) < 1e-12  # noqa: E731
    assert exact(["110", "111", "10", "0"])
    assert not exact(["00", "01", "10", "11"]) and not exact(["0", "10", "110", "111"])  # 2 bits; the code for p


@pytest.fixture(scope="module")
def one_weight() -> dict:
    return definitions(L06, "576b279c", "x_data", "y_data", "w_grid", "ce_over_w", "mse_over_w", "first_and_second")


def test_steep_straight_ends_check_rejects_a_flat_loss(one_weight):
    """Old: "convex, yet nearly flat at the ends". New: slopes and curvature at the ends asserted; the
    same assert fails for the loss whose ends really are flat (MSE after a sigmoid)."""
    snippet = "assert ce_d1[0] < -1 and ce_d1[-1] > 0.3 and max(ce_d2[0], ce_d2[-1]) < 0.01"
    cell_source(L06, "bf01c2d8", snippet)

    def steep_straight_ends(loss_fn) -> bool:
        _, d1, d2 = one_weight["first_and_second"](loss_fn, one_weight["w_grid"])
        return bool(d1[0] < -1 and d1[-1] > 0.3 and max(d2[0], d2[-1]) < 0.01)

    assert steep_straight_ends(one_weight["ce_over_w"])
    assert not steep_straight_ends(one_weight["mse_over_w"])


def test_mse_curvature_closed_form_rejects_a_sign_slip(one_weight):
    """The closed form that replaced finite differences rejects ℓ'' with (σ + y) for (σ - y)."""
    cell_source(L06, "bf01c2d8", "(s * (1 - s) + (s - y_data) * (1 - 2 * s))")
    x, y = one_weight["x_data"], one_weight["y_data"]
    _, _, d2 = one_weight["first_and_second"](one_weight["mse_over_w"], one_weight["w_grid"])
    s = torch.sigmoid(one_weight["w_grid"].detach()[:, None] * x)
    right = (x**2 * 2 * s * (1 - s) * (s * (1 - s) + (s - y) * (1 - 2 * s))).mean(1)
    slip = (x**2 * 2 * s * (1 - s) * (s * (1 - s) + (s + y) * (1 - 2 * s))).mean(1)
    assert torch.allclose(d2, right) and not torch.allclose(d2, slip)


# ---------------------------------------------------------------- lesson 07


def _independent_columns(loss_none, z, y) -> bool:  # cell 1855cdc2's check, for any per-entry loss
    z_leaf = z.clone().requires_grad_()
    for j in range(z.shape[1]):
        (g,) = torch.autograd.grad(loss_none(z_leaf, y)[:, j].sum(), z_leaf)
        if not ((g[:, torch.arange(z.shape[1]) != j] == 0).all() and (g[:, j] != 0).all()):
            return False
    return True


def test_independent_questions_check_rejects_a_loss_that_couples_the_columns():
    """Old: BCEWithLogitsLoss against the mean of its per-column losses, an identity of averages (the mean of
    equal-size column means is the overall mean) that any per-entry loss meets, a loss that couples the
    columns included: a sigmoid loss on softmax outputs passes. New: each column's loss has a zero gradient
    in every other column's logits."""
    cell_source(L07, "1855cdc2", "assert (g[:, torch.arange(5) != j] == 0).all() and (g[:, j] != 0).all()")
    torch.manual_seed(3)
    z, y = torch.randn(4, 5), (torch.rand(4, 5) < 0.4).float()
    right = nn.BCEWithLogitsLoss(reduction="none")
    coupled = lambda z, y: right(torch.softmax(z, 1), y)  # noqa: E731  (lesson 10's miswiring)
    old_check = lambda loss: torch.allclose(  # noqa: E731
        loss(z, y).mean(), torch.stack([loss(z, y)[:, j].mean() for j in range(5)]).mean())
    assert _independent_columns(right, z, y)
    assert old_check(right) and old_check(coupled)  # the old check accepts the coupled loss
    assert not _independent_columns(coupled, z, y)


def test_float32_step_check_rejects_a_correctly_rounded_sigmoid():
    """New: 1 - sigmoid(z) on [14, 16.63] takes only multiples of 2^-23 (1 + e^-z rounded above 1); a
    sigmoid computed in float64 and rounded once to float32 reaches every multiple of 2^-24 and fails."""
    cell_source(L07, "6b1f2a90", "torch.equal(gaps * 2**23, (gaps * 2**23).round())",
                "assert torch.equal(gaps, ((1 + torch.exp(-band)) - 1).unique())")
    band = torch.linspace(14, 16.63, 2000)

    def steps_of_2_23(sigmoid) -> bool:
        gaps = (1 - sigmoid(band)).unique()
        return bool(len(gaps) < 10 and torch.equal(gaps * 2**23, (gaps * 2**23).round()))

    assert steps_of_2_23(torch.sigmoid)
    assert not steps_of_2_23(lambda z: torch.sigmoid(z.double()).float())


def test_stable_bce_exercise_check_rejects_a_version_without_log1p():
    """Old: float32 against BCEWithLogitsLoss with assert_close's atol 1e-5, which hides terms below 1e-7:
    log(1 + exp(-|z|)) passed. New: float64, label 0, z in [-200, -20], relative error below 1e-12
    against the series t - t^2 / 2 (t = e^z)."""
    cell_source(L07, "90de64de",
                "assert ((bce_with_logits_stable(z_low, zeros) - series).abs() / series).max() < 1e-12")
    ns = definitions(L07, "90de64de", "bce_with_logits_stable")
    without_log1p = lambda z, y: z.clamp(min=0) - y * z + torch.log(1 + torch.exp(-z.abs()))  # noqa: E731
    z = torch.linspace(-200, 200, 801)
    z_low = torch.linspace(-200, -20, 181, dtype=torch.float64)
    series = torch.exp(z_low) * (1 - torch.exp(z_low) / 2)

    def old_check(f) -> bool:
        return all(torch.allclose(f(z, torch.full_like(z, t)), nn.BCEWithLogitsLoss(reduction="none")(
            z, torch.full_like(z, t)), rtol=1.3e-6, atol=1e-5) for t in (0.0, 1.0))

    def new_check(f) -> bool:
        return bool(((f(z_low, torch.zeros_like(z_low)) - series).abs() / series).max() < 1e-12)

    assert old_check(ns["bce_with_logits_stable"]) and new_check(ns["bce_with_logits_stable"])
    assert old_check(without_log1p)  # the old check accepts it
    assert not new_check(without_log1p)


def _sigmoid_rounded_down(z: torch.Tensor) -> torch.Tensor:
    """float32 sigmoid rounded towards 0 instead of to the nearest: every step lies on one side."""
    exact = torch.sigmoid(z.double())
    nearest = exact.float()
    return torch.where(nearest.double() > exact, torch.nextafter(nearest, torch.zeros_like(nearest)), nearest)


def test_float32_steps_check_rejects_one_sided_steps():
    """Old: "1 - σ(z) can only take the few float32 values just below 1 ... steps under the exact
    one". New: the error of BCELoss after a float32 sigmoid is measured on both sides; a sigmoid that
    rounds one way (the world the old sentence describes) fails the same assert."""
    cell_source(L07, "6b1f2a90", "error.min() < -0.3 and error.max() > 0.3")
    band = torch.linspace(14, 16.63, 2000)

    def error_range(sigmoid):
        error = nn.BCELoss(reduction="none")(sigmoid(band), torch.zeros_like(band)).double() - F.softplus(band.double())
        return error.min(), error.max()

    low, high = error_range(torch.sigmoid)
    assert low < -0.3 and high > 0.3
    low, high = error_range(_sigmoid_rounded_down)
    assert not (low < -0.3 and high > 0.3)


def test_sigmoid_threshold_check_rejects_the_eps_spacing_theory():
    """Old: assert finfo.eps == 2**-23, a library constant. New: the threshold measured on a grid,
    against 24 ln 2 (half the spacing above 1); the spacing itself (23 ln 2) is rejected."""
    cell_source(L07, "95270be7", "assert 0 <= ones_from - 24 * math.log(2) < 0.01")
    z_grid = torch.arange(-120, 40, 0.01)
    ones_from = z_grid[torch.sigmoid(z_grid) == 1].min()
    assert 0 <= ones_from - 24 * math.log(2) < 0.01
    assert not 0 <= ones_from - 23 * math.log(2) < 0.01


def test_kldiv_never_positive_check_rejects_a_true_divergence():
    """The misuse (probabilities in) is never positive; the same check fails for the right use."""
    cell_source(L07, "e03db3cb", "largest = nn.KLDivLoss(reduction=\"none\")(qs, ys).sum(1).max()",
                "assert largest < 0")
    torch.manual_seed(20)
    ys, qs = torch.distributions.Dirichlet(torch.ones(4, dtype=torch.float64)).sample((2, 2000))
    assert nn.KLDivLoss(reduction="none")(qs, ys).sum(1).max() < 0
    assert not nn.KLDivLoss(reduction="none")(qs.log(), ys).sum(1).max() < 0


def test_pos_weight_optimum_check_rejects_the_weight_on_the_wrong_class():
    """Old: the optimum's odds checked against the formula typed a line before. New: a constant model
    fitted by Newton's method against the formula; the formula with w on the negatives is rejected."""
    from course_utils.calibration import fit_logistic

    cell_source(L07, "b2888c11", "assert abs(fitted - b_star) < 1e-9")
    y = torch.tensor([1, 1, 0, 0, 0, 0, 0, 0, 0, 0], dtype=torch.float64)
    pw, pi = 4.0, 0.2
    fitted = fit_logistic(torch.zeros(10, 0), y, pos_weight=pw)[0]
    right = torch.logit(torch.tensor(pw * pi / ((1 - pi) + pw * pi), dtype=torch.float64))
    wrong = torch.logit(torch.tensor(pi / (pi + pw * (1 - pi)), dtype=torch.float64))
    assert abs(fitted - right) < 1e-9 and not abs(fitted - wrong) < 1e-9


def test_calibrated_in_the_mean_check_rejects_an_unconverged_fit():
    """The unweighted fit's mean prediction equals the base rate only at the optimum; Newton's method
    stopped early (at a step below 0.1 instead of 1e-10) does not pass the notebook's bound."""
    from course_utils.calibration import fit_logistic, predict

    cell_source(L07, "350c91aa", "assert abs(q_plain.mean() - base_rate) < 1e-9")
    torch.manual_seed(16)
    x = torch.randn(1000, 2, dtype=torch.float64)
    y = torch.bernoulli(torch.sigmoid(1.5 * x[:, 0] - x[:, 1] - 4.0))
    assert abs(predict(x, fit_logistic(x, y)).mean() - y.mean()) < 1e-9
    assert not abs(predict(x, fit_logistic(x, y, tol=0.1)).mean() - y.mean()) < 1e-9


@pytest.fixture(scope="module")
def debug_exercise() -> dict:
    ns = definitions(L07, "7eac9cd5", "kl")
    ns = definitions(L07, "c430d272", "buggy_multiclass", "buggy_kl", "buggy_one_vs_rest", "check_fixes", namespace=ns)
    ns = definitions(L07, "8425cb0b", "check_symptoms", namespace=ns)
    return definitions(L07, "63def451", "fixed_multiclass", "fixed_kl", "fixed_one_vs_rest", "floor_ce", "floor_kl",
                       "floor_bce", "z_w", "q_w", "q_ww", "jac_inner", "e_0", "shrink", "init_factors", namespace=ns)


def test_debug_this_loss_checkers_accept_the_fixes_and_reject_each_bug(debug_exercise):
    ns = debug_exercise
    fixed = [ns["fixed_multiclass"], ns["fixed_kl"], ns["fixed_one_vs_rest"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert ns["check_fixes"](*fixed) == "all three fixed"
        for i, bug in enumerate([ns["buggy_multiclass"], ns["buggy_kl"], ns["buggy_one_vs_rest"]]):
            with pytest.raises(AssertionError):
                ns["check_fixes"](*[bug if j == i else f for j, f in enumerate(fixed)])


@pytest.mark.parametrize("wrong", [
    {"floor_ce": 0.0}, {"floor_ce": math.log(10)}, {"floor_kl": 0.0}, {"floor_bce": math.log(2)},
    {"shrink_factor": 10.0}, {"init_factors": (10, 10, 100)}, {"init_factors": (100, 100, 100)},
])
def test_debug_this_loss_symptom_checker_rejects_a_wrong_prediction(debug_exercise, wrong):
    ns = debug_exercise
    right = {"floor_ce": ns["floor_ce"], "floor_kl": ns["floor_kl"], "floor_bce": ns["floor_bce"],
             "shrink_factor": ns["shrink"].item(), "init_factors": ns["init_factors"]}
    assert ns["check_symptoms"](**right, fixed_multiclass=ns["fixed_multiclass"]).startswith("symptoms right")
    with pytest.raises(AssertionError):
        ns["check_symptoms"](**{**right, **wrong}, fixed_multiclass=ns["fixed_multiclass"])


# ---------------------------------------------------------------- appendix A


def test_xor_clipping_check_rejects_the_rounding_explanation_and_other_clips():
    """Old: 1e-7 < |computed - quoted| < 5e-6, which the unclipped values (and any cause of a 1e-6 gap)
    pass. New: with both arguments clipped to [1e-7, 1] the values match the quoted ones to 3e-8; no
    clipping, clipping at 1e-8 or at 1e-6, and rounding of the printed outputs do not."""
    cell_source(LA, "d0402943", "assert abs(clipped_kl[index].item() - QUOTED_KL[name]) < 3e-8, name",
                "assert abs(xor_kl[index].item() - QUOTED_KL[name]) > 100 * rounding")
    ns = definitions(LA, "d0402943", "xor_outputs", "xor_labels", "QUOTED_KL")
    outputs, labels, quoted = ns["xor_outputs"], ns["xor_labels"], ns["QUOTED_KL"]

    def kl_clipped(eps):
        y, y_hat = labels.clamp(eps, 1), outputs.clamp(eps, 1)
        return (y * torch.log(y / y_hat)).sum(-1)

    def new_check(values) -> bool:
        return all(abs(values[i].item() - quoted[name]) < 3e-8 for name, i in [("a", 0), ("d", 3)])

    unclipped = (torch.xlogy(labels, labels) - torch.xlogy(labels, outputs)).sum(-1)
    assert all(1e-7 < abs(unclipped[i].item() - quoted[n]) < 5e-6 for n, i in [("a", 0), ("d", 3)])  # old: passes
    assert new_check(kl_clipped(1e-7))
    for values in (unclipped, kl_clipped(1e-8), kl_clipped(1e-6)):
        assert not new_check(values)
    # rounding the outputs to 8 decimals moves -log y_hat_c by at most 0.5e-8 / y_hat_c: not to the quoted values
    for shift in (-0.5e-8, 0.5e-8):
        assert not new_check(-torch.log((labels * (outputs + shift)).sum(-1)))
