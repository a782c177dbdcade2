"""Mutation tests for lessons 06 and 07 and appendix A.

Coverage, exactly: the checks that the independent reads flagged (as unable to fail, or as missing), and the
checks written in answer to them; not every assert of the three notebooks (most of their asserts compare with a
second implementation in the cell itself and have no mutant here). Each such check is run against a
deliberately wrong implementation and must reject it. The tests run the notebook's own code: a cell's source is
read from the notebook and executed, either with a piece of it replaced by the mutant (a source mutation, whose
original text must still occur in the cell exactly once) or with a name it takes from an earlier cell, or from
torch, bound to the mutant. The test names the line of the cell whose assert (or raise) must fail, so a mutant
caught by some other, earlier check does not count; two checks are run as single statements of the cell (the
steep-ends assert and the both-sides assert of the float32 steps, whose mutants an earlier assert of the same
cell would catch first), and one mutant is caught by a ValueError of the notebook's decoder. Every cell used
also passes as written. The "debug this loss" tests call the notebook's own check functions with its buggy
losses, with numerically unstable fixes (which only its float32 row must reject) and with wrong predicted
symptoms. Where the read named an old check that the notebook no longer contains, the test keeps a copy of
that old check and shows that it accepted the mutant (marked "old check"): those copies test the history, not
the notebook.
"""

from __future__ import annotations

import ast
import json
import math
import traceback
import warnings
from functools import cache

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from kit_helpers import NOTEBOOKS  # noqa: E402
from torch import nn  # noqa: E402
from torch.testing import assert_close  # noqa: E402

L06, L07, LA = "06_entropy_kl_cross_entropy.ipynb", "07_classification_losses.ipynb", "A_source_articles.ipynb"


@cache
def _cells(notebook: str) -> dict[str, str]:
    nb = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))
    return {c["id"]: "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"}


def _source(notebook: str, cell_id: str, replace: tuple[tuple[str, str], ...]) -> str:
    source = _cells(notebook)[cell_id]
    for old, new in replace:
        assert source.count(old) == 1, f"{notebook} cell {cell_id} no longer contains {old!r} once: update this test"
        source = source.replace(old, new)
    lines = ["" if line.startswith("%") else line for line in source.splitlines()]  # line numbers kept
    return "\n".join(lines).replace("plt.show()", "plt.close('all')")


def _statements(notebook: str, cell_id: str, replace: tuple[tuple[str, str], ...]) -> list[tuple[str, object]]:
    source = _source(notebook, cell_id, tuple(replace))
    tree = ast.parse(source)
    return [(ast.get_source_segment(source, stmt), compile(ast.Module([stmt], []), f"{notebook}:{cell_id}", "exec"))
            for stmt in tree.body]


def base_namespace(**extra) -> dict:
    from course_utils.exercises import exercise

    ns = {"torch": torch, "math": math, "F": F, "nn": nn, "assert_close": assert_close, "warnings": warnings,
          "plt": plt, "exercise": exercise}
    ns.update(extra)
    return ns


def run_cell(notebook: str, cell_id: str, ns: dict, *replace: tuple[str, str]) -> dict:
    """Run one cell of the notebook in ``ns`` (as written, or with source replacements), statement by statement.
    Statements that only set the notebook up (``setup_notebook``) are skipped."""
    for text, code in _statements(notebook, cell_id, replace):
        if "setup_notebook" not in text:
            exec(code, ns)  # noqa: S102
    plt.close("all")
    return ns


def rejected_by(notebook: str, cell_id: str, ns: dict, *replace: tuple[str, str]) -> str:
    """Run the cell on a copy of ``ns``; return the line of the cell (stripped) whose assert or raise raised the
    AssertionError (the test fails if none did)."""
    ns, name = dict(ns), f"{notebook}:{cell_id}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _, code in _statements(notebook, cell_id, replace):
            try:
                exec(code, ns)  # noqa: S102
            except AssertionError as error:
                plt.close("all")
                lines = [tb.lineno for tb in traceback.extract_tb(error.__traceback__) if tb.filename == name]
                return _source(notebook, cell_id, replace).splitlines()[lines[-1] - 1].strip()
    plt.close("all")
    raise AssertionError(f"{notebook} cell {cell_id} accepted the mutant {replace}")


def check_message(notebook: str, check_id: str, ns: dict) -> str:
    """Run an exercise's check cell on a copy of ``ns``; return the one line it stops with (the test fails if the
    check accepts)."""
    from course_utils.exercises import ExerciseNotDone

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            run_cell(notebook, check_id, dict(ns))
        except ExerciseNotDone as error:
            plt.close("all")
            return str(error)
    raise AssertionError(f"{notebook} check cell {check_id} accepted the mutant")


def run_statements(notebook: str, cell_id: str, ns: dict, *starts: str) -> dict:
    """Run only the cell's top-level statements that begin with one of ``starts``, as written, in ``ns``."""
    for text, code in _statements(notebook, cell_id, ()):
        if text.startswith(starts):
            exec(code, ns)  # noqa: S102
    return ns


def cell_names(notebook: str, cell_id: str, *names: str, namespace: dict | None = None) -> dict:
    """Run only the top-level statements of one cell that define ``names`` (functions, imports or assignments),
    in the cell's order, and return the namespace: for cells whose other statements are not needed."""
    ns = base_namespace(**(namespace or {}))
    wanted = set(names)
    for text, code in _statements(notebook, cell_id, ()):
        stmt = ast.parse(text).body[0]
        if isinstance(stmt, ast.FunctionDef | ast.Import):
            defined = {stmt.name} if isinstance(stmt, ast.FunctionDef) else {a.asname or a.name for a in stmt.names}
        elif isinstance(stmt, ast.Assign):
            defined = {n.id for t in stmt.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        else:
            continue
        if defined & wanted:
            exec(code, ns)  # noqa: S102
            wanted -= defined
    assert not wanted, f"{notebook} cell {cell_id} defines no {sorted(wanted)}"
    return ns


# ---------------------------------------------------------------- lesson 06


@pytest.fixture(scope="module")
def ns06() -> dict:
    """Lesson 06 run as written up to its KL section (setup, entropy, the KL definitions)."""
    from course_utils.loss_figures import curve_panels

    ns = base_namespace(curve_panels=curve_panels)
    for cell_id in ("0d446a0d", "a649ca78", "6365a7b4", "eeacde90"):
        run_cell(L06, cell_id, ns)
    return ns


def _bits(ns):
    xlogy_bits = lambda x, y: torch.xlogy(x, y) / math.log(2)  # noqa: E731
    return lambda p, q: (xlogy_bits(p, p) - xlogy_bits(p, q)).sum(-1)


KL_MUTANTS = {
    "in bits": None,  # filled from _bits: a mutant in the shared primitive x log y
    "arguments swapped": lambda p, q: (q * (q.log() - p.log())).sum(-1),
    "mean of log(p/q)": lambda p, q: torch.log(p / q).mean(-1),
    "a factor 1/2": lambda p, q: (p * (p.log() - q.log())).sum(-1) / 2,
    "mean over outcomes": lambda p, q: (p * (p.log() - q.log())).mean(-1),
}


@pytest.mark.parametrize("name", list(KL_MUTANTS))
def test_kl_library_and_monte_carlo_checks_reject_a_wrong_kl(ns06, name):
    """Cell 7f0ddef1 (torch.distributions and a Monte-Carlo estimate) run with kl bound to a mutant."""
    mutant = KL_MUTANTS[name] or _bits(ns06)
    failing = rejected_by(L06, "7f0ddef1", {**ns06, "kl": mutant})
    assert failing == "assert matches_library(kl, p, q)"


def test_kl_monte_carlo_check_rejects_a_kl_the_library_check_accepts(ns06):
    """Cell 7f0ddef1's second assert alone: a KL that is right on batches (the library check's call pattern) and
    doubled on a single pair passes the library check and must be rejected by the Monte-Carlo check."""
    kl = ns06["kl"]
    mutant = lambda p, q: kl(p, q) if p.dim() > 1 else 2 * kl(p, q)  # noqa: E731
    failing = rejected_by(L06, "7f0ddef1", {**ns06, "kl": mutant})
    assert failing == "assert all(matches_monte_carlo(kl, p[j], q[j]) for j in range(3))"


def test_first_loss_check_rejects_the_unscaled_layer(ns06):
    """Cell 385f0b38: with the weights scaled by 1 instead of 20 (a fresh layer, perplexity slightly above K), the
    diagnostic CE - log K > 1 must fail; the old check, perplexity > K, accepted it."""
    failing = rejected_by(L06, "385f0b38", ns06, ("layer.weight *= 20", "layer.weight *= 1"))
    assert failing.startswith('assert (ce_k - math.log(k) > 1) == (name == "weights x 20")')


def test_first_loss_prediction_rejects_labels_that_depend_on_the_logits(ns06):
    """Cell 385f0b38: the loss averaged over a random label, logsumexp(z) - mean(z), predicts CE only for labels
    independent of the logits; labels set to the fresh layer's own argmax (CE far lower) are rejected."""
    own = ('("fresh Linear", layer(x10).detach(), y10)', '("fresh Linear", layer(x10).detach(), layer(x10).argmax(1))')
    failing = rejected_by(L06, "385f0b38", ns06, own)
    assert failing.startswith("assert (expected >= math.log(k)).all() and abs(ce_k - expected.mean())")


def test_kl_old_check_accepted_the_bits_mutant(ns06):
    """Old check: kl() against cross_entropy - entropy, the same two sums regrouped, passes the bits mutant."""
    p, q = ns06["random_pairs"](2000, 5, 1.0, seed=2)
    xlogy_bits = lambda x, y: torch.xlogy(x, y) / math.log(2)  # noqa: E731
    ce_bits, entropy_bits = (lambda p, q: -xlogy_bits(p, q).sum(-1)), (lambda p: -xlogy_bits(p, p).sum(-1))
    assert_close(_bits(ns06)(p, q), ce_bits(p, q) - entropy_bits(p))  # old check: accepts it


def test_gibbs_pinsker_reject_a_scaled_kl_and_the_zero_entries_check_a_kl_without_0_log_0(ns06):
    """Cell e155272a: Pinsker rejects kl / 4 (which Gibbs, KL >= 0, and the old kl(p, p) == 0 both accept). The
    one-hot check of cell 43bea7c7 (a label with entries 0) rejects p log(p / q), which gives nan for 0 log 0."""
    run_cell(L06, "e155272a", dict(ns06))
    quarter = lambda p, q: ns06["kl"](p, q) / 4  # noqa: E731
    p = ns06["random_pairs"](100, 10, 5.0, seed=3)[0]
    assert quarter(p, p).abs().max() == 0  # old check kl(p, p) == 0: accepts it
    assert rejected_by(L06, "e155272a", {**ns06, "kl": quarter}).startswith("assert (d >= 0.5 * (p - q).abs()")
    naive = lambda p, q: (p * torch.log(p / q)).sum(-1)  # noqa: E731
    run_cell(L06, "43bea7c7", dict(ns06))
    assert rejected_by(L06, "43bea7c7", {**ns06, "kl": naive}).startswith("assert_close(kl(y_cat, y_hat)")


@pytest.mark.parametrize("mutant", ["return -torch.xlogy(p, p)",
                                    "return (-torch.xlogy(p, p) - torch.xlogy(1 - p, 1 - p)) / math.log(2)"])
def test_binary_entropy_check_rejects_a_wrong_binary_entropy(ns06, mutant):
    """Cell 6365a7b4: binary_entropy against torch.distributions' Bernoulli entropy (the old check compared it
    with entropy([p, 1 - p]), the same two terms)."""
    failing = rejected_by(L06, "6365a7b4", ns06, ("return -torch.xlogy(p, p) - torch.xlogy(1 - p, 1 - p)", mutant))
    assert failing.startswith("assert_close(h, torch.distributions.Bernoulli(probs=grid).entropy())")


@pytest.mark.parametrize("mutant", ["return 7 * torch.log2(1 / torch.as_tensor(prob, dtype=torch.float64))",
                                    "return torch.log2(1 / torch.as_tensor(prob, dtype=torch.float64))"])
def test_information_check_rejects_a_logarithm_the_three_requirements_accept(ns06, mutant):
    """Cell a649ca78: the three requirements (the cell's illustrations, the old check) pass c * log(1/P); the
    torch.distributions check fixing c = 1 nat rejects it."""
    failing = rejected_by(L06, "a649ca78", ns06, ("return torch.log(1 / torch.as_tensor(prob, dtype=torch.float64))",
                                                  mutant))
    assert failing.startswith("assert_close(information(p_six), -fair_die.log_prob")  # the illustrations passed


@pytest.mark.parametrize("mutant", ["plus 123", "times 2", "entropy term forgotten"])
def test_kl_minus_cross_entropy_check_rejects_what_the_gradient_check_accepted(ns06, mutant):
    """Cell 6998493b: KL - F.cross_entropy is -H(y) at two predictions. The old gradient-only check accepted
    kl + 123 (y has no gradient); the cell's own gradient assert comes after the gap checks."""
    right = ns06["kl"]
    wrong = {"plus 123": lambda p, q: right(p, q) + 123, "times 2": lambda p, q: 2 * right(p, q),
             "entropy term forgotten": lambda p, q: -torch.xlogy(p, q).sum(-1)}[mutant]
    run_cell(L06, "6998493b", dict(ns06))
    failing = rejected_by(L06, "6998493b", {**ns06, "kl": wrong})
    assert failing.startswith("assert_close(gap(")
    if mutant == "plus 123":  # old check: the gradient of kl(y, softmax(z)) equals F.cross_entropy's
        leaf = torch.randn(8, 5, dtype=torch.float64, requires_grad=True)
        y = torch.softmax(torch.randn(8, 5, dtype=torch.float64), -1)
        (g_kl,) = torch.autograd.grad(wrong(y, torch.softmax(leaf, -1)).sum(), leaf)
        (g_ce,) = torch.autograd.grad(F.cross_entropy(leaf, y, reduction="sum"), leaf)
        assert torch.allclose(g_kl, g_ce)


def test_kl_gradient_check_rejects_the_wrong_sign(ns06):
    """Cell 6998493b: the gradient y_hat - y is asserted with assert_close, which rejects y - y_hat (the dropped
    "sign matters" assert added nothing)."""
    failing = rejected_by(L06, "6998493b", ns06, ("torch.autograd.grad(kl(", "torch.autograd.grad(-kl("))
    assert failing.startswith("assert_close(g_kl, torch.softmax(z, -1).detach() - y)")


@pytest.fixture(scope="module")
def huffman06(ns06) -> dict:
    """Lesson 06's exercise 4 answer cell (8b34906d) run as written."""
    return run_cell(L06, "8b34906d", dict(ns06))


def test_huffman_check_accepts_the_answer(huffman06):
    run_cell(L06, "ex4-check", dict(huffman06))


@pytest.mark.parametrize("mutant, fragment", [
    (lambda probs: [3] * len(probs), "fixed-length"),  # the old bound H <= L < H + 1 accepted it
    (lambda probs: [math.ceil(-math.log2(p)) for p in probs], "Shannon"),  # Shannon's lengths: accepted too
    (None, "not the optimum"),  # merges the most likely pair each time
])
def test_huffman_check_rejects_codes_the_old_bound_accepted(huffman06, mutant, fragment):
    """Exercise 4 (check cell ex4-check): the average length equals the brute-force optimum over every Kraft
    length vector, which the check computes itself."""
    right = huffman06["huffman_lengths"]
    mutant = mutant or (lambda probs: right([1 - p for p in probs]))
    assert fragment in check_message(L06, "ex4-check", {**huffman06, "huffman_lengths": mutant})


def test_huffman_old_bound_accepted_the_fixed_and_the_shannon_code():
    """Old check (no longer in the notebook): H <= L < H + 1, passed by both codes rejected above."""
    p_h = [0.4, 0.2, 0.15, 0.1, 0.1, 0.05]
    h2 = -sum(p * math.log2(p) for p in p_h)
    for lengths in ([3] * 6, [math.ceil(-math.log2(p)) for p in p_h]):
        assert sum(2.0**-n for n in lengths) <= 1  # the lengths of a real prefix code
        assert h2 <= sum(p * n for p, n in zip(p_h, lengths, strict=True)) < h2 + 1  # old check: accepts it


def test_huffman_with_a_wrong_merge_step_is_rejected(ns06):
    """Exercise 4: a Huffman implementation that lengthens only one of the two merged groups."""
    ns = run_cell(L06, "8b34906d", dict(ns06), ("for i in group_a + group_b:", "for i in group_a:"))
    assert "positive integer length" in check_message(L06, "ex4-check", ns)


def test_code_length_check_rejects_a_wrong_code(ns06):
    """Cell 04d36524: the code for q replaced by a 2-bit code (lengths not -log2 q), a theory that is the code's own
    entropy instead of the cross-entropy (the bits counted in the encoded message do not match it), or a code with
    the right lengths that is not prefix-free (the decoder's unpacking finds two codewords and raises)."""
    run_cell(L06, "04d36524", dict(ns06))
    code_for_q = '["110", "111", "10", "0"]  #'
    failing = rejected_by(L06, "04d36524", ns06, (code_for_q, '["00", "01", "10", "11"]  #'))
    assert failing.startswith("assert_close(lengths, -torch.log(built_for) / math.log(2))")
    own_entropy = ("theory, lengths = cross_entropy(p_code, built_for),", "theory, lengths = entropy(built_for),")
    assert rejected_by(L06, "04d36524", ns06, own_entropy).startswith("assert abs(len(message) / len(draws) - theory")
    with pytest.raises(ValueError, match="values to unpack"):
        run_cell(L06, "04d36524", dict(ns06), (code_for_q, '["110", "111", "11", "0"]  #'))


@pytest.mark.parametrize("replace, line", [
    (("scale = 2 * torch", "scale = torch"), "assert_close(g_se, scale * g_ce)"),  # the factor 2 dropped
    (("[-4.0, -0.1]", "[-0.1, -0.1]"), "assert spread[0] > 1000"),  # no confidently wrong start: no spread
    (("[-4.0, -0.1]", "[-0.5, -0.1]"), "assert spread[0] > 1000"),  # a milder wrong start: under 1000x
    (("worst = x_one.abs().argmax()", "worst = x_one.abs().argmin()"),  # the least wrong sample taken as the worst
     "assert (g_ce.abs().argmax(1) == worst).all()"),
    (("(torch.sigmoid(z_one) - y_one) ** 2).sum()", "(torch.sigmoid(z_one) - y_one) ** 2).sum() * 0 + 0.5 * ("
      "F.binary_cross_entropy_with_logits(z_one, y_one.expand(2, -1), reduction='sum'))"),  # SE as CE rescaled
     "assert_close(g_se, scale * g_ce)"),
])
def test_gradient_scale_spread_check_rejects_a_wrong_scale_and_a_data_set_without_spread(ns06, replace, line):
    """Cell a6slow01 (section 6): SE's per-sample gradient is CE's times 2 y_hat (1 - y_hat); over one data set
    from a confidently wrong start that scale spreads by more than 1000x, and SE's smallest gradient falls on the
    sample the model gets most wrong, where CE's is largest."""
    assert rejected_by(L06, "a6slow01", ns06, replace).startswith(line)


@pytest.mark.parametrize("replace, line", [
    (("w2[[1, 0]], b2)", "w2, b2)"), "assert_close(losses[0], losses[1])"),  # output weights not swapped with them
    (("(W1[:, [1, 0]], b1[[1, 0]], w2[[1, 0]], b2)", "(W1, b1, w2, b2)"), "assert losses[2] > losses[0] + 0.1"),
])
def test_hidden_unit_swap_check_rejects_a_broken_swap_and_no_swap(ns06, replace, line):
    """Cell a7swap01 (section 7): a swap that is not a symmetry changes the loss; without a swap there is no
    midpoint above the chord."""
    assert rejected_by(L06, "a7swap01", ns06, replace).startswith(line)


@pytest.fixture(scope="module")
def ns06_one_weight(ns06) -> dict:
    return run_cell(L06, "576b279c", dict(ns06))


def test_steep_straight_ends_check_rejects_a_flat_loss(ns06_one_weight):
    """Cell bf01c2d8's "steep straight ends" assert, run with the cross-entropy's derivatives replaced by those of
    the loss whose ends really are flat (MSE after a sigmoid)."""
    ns = ns06_one_weight
    run_cell(L06, "bf01c2d8", dict(ns))
    steep_ends = "assert ce_d1[0] < -1 and ce_d1[-1] > 0.3 and max(ce_d2[0], ce_d2[-1]) < 0.01"
    run_statements(L06, "bf01c2d8", dict(ns), steep_ends)
    with pytest.raises(AssertionError):
        run_statements(L06, "bf01c2d8", {**ns, "ce_d1": ns["mse_d1"], "ce_d2": ns["mse_d2"]}, steep_ends)
    assert [t for t, _ in _statements(L06, "bf01c2d8", ()) if t.startswith(steep_ends)]  # the assert is still there


def test_mse_curvature_closed_form_rejects_a_sign_slip(ns06_one_weight):
    slip = ("(s - y_data) * (1 - 2 * s)", "(s + y_data) * (1 - 2 * s)")
    failing = rejected_by(L06, "bf01c2d8", ns06_one_weight, slip)
    assert failing.startswith("assert_close(mse_d2")


def test_chord_check_rejects_a_loss_that_is_not_convex(ns06_one_weight):
    """Cell bf01c2d8 with ce_over_w bound to MSE after a sigmoid: the chord inequality (its last assert) fails."""
    ns = {**ns06_one_weight, "ce_over_w": ns06_one_weight["mse_over_w"]}
    assert rejected_by(L06, "bf01c2d8", ns).startswith("assert (gap_ce <= 1e-15).all()")


@pytest.mark.parametrize("replace", [
    ("lambda z: (1 - torch.sigmoid(z)) ** 2)", "lambda z: -torch.log(torch.sigmoid(z)))"),  # SE replaced by CE
    ("w.sub_(lrs * w.grad)", "w.sub_(lrs.mean() * w.grad)"),  # every run at one step size
])
def test_step_size_sweep_check_rejects_a_broken_descent(ns06, replace):
    """Cell 5e75c97d: the squared error needs more steps than cross-entropy at every step size."""
    failing = rejected_by(L06, "5e75c97d", ns06, replace)
    assert failing.startswith("assert all(s > c for c, s in zip(ce_run, se_run, strict=True))")


@pytest.fixture(scope="module")
def ns06_sweep(ns06_one_weight) -> dict:
    return run_cell(L06, "5e75c97d", dict(ns06_one_weight))


@pytest.mark.parametrize("replace, line", [
    (("2 / d2[values.argmin()].item()", "4 / d2[values.argmin()].item()"), "assert lrs_w[[m is not None"),  # 2x large
    (("2 / d2[values.argmin()].item()", "1 / d2[values.argmin()].item()"), "assert lrs_w[[m is not None"),  # 2x small
    (('("MSE", mse_over_w, mse, mse_d2)', '("MSE", ce_over_w, ce, ce_d2)'),  # no slowdown
     'assert settle["CE", -8.0] <= 10 and settle["MSE", -8.0] > 100 * settle["CE", -8.0]'),
    (("steps_to_settle(loss, start, near, lrs_w, 3000)", "steps_to_settle(loss, -8.0, near, lrs_w, 3000)"),  # no ctrl
     'assert settle["MSE", -2.0] < 5 * settle["CE", -2.0]'),
    (("adam=True", "adam=False"), 'assert all(settle["MSE", s, "Adam"] < 1.5'),  # plain GD at 0.1 in Adam's place
])
def test_data_set_sweep_rejects_a_wrong_bound_no_slowdown_and_no_control(ns06_sweep, replace, line):
    """Cell a7sweep1: the largest step size that settles is the largest below lesson 05's bound 2 / l''(w*) (a
    bound off by 2x either way is rejected: 1.85 for CE, with step sizes 2 and 3 settling above it; 7.4, which
    predicts 4, 6 and 7 would settle); from w = -8 the squared error's best is over 100x cross-entropy's (rejected
    with CE in its place). The controls: from w = -2, past the plateau, the gap is under 5x (rejected when the
    "control" runs start from w = -8 too); under Adam the squared error is not slower (rejected when the Adam runs
    are plain gradient descent at Adam's step size 0.1, where the squared error does not settle in 3000 steps)."""
    assert rejected_by(L06, "a7sweep1", ns06_sweep, replace).startswith(line)


@pytest.mark.parametrize("replace, fragment", [
    (("forward = kl(p_two, q_all)", "forward = kl(q_all, p_two)"), "does not minimise D_KL(p || q)"),  # confused
    (("mu_f, s_f = means[i_f[0]].item(), stds[i_f[1]].item()", "mu_f, s_f = means[i_f[0]].item(), 3.0"),  # std 3
     "does not minimise D_KL(p || q)"),
    (("stds = torch.linspace(0.3, 5, 236, dtype=torch.float64)",
      "stds = torch.linspace(0.3, 5, 20, dtype=torch.float64)"), "moments of p"),  # a coarse grid of stds
])
def test_forward_reverse_kl_exercise_rejects_wrong_answers(ns06, replace, fragment):
    """Exercise 1 (answer b0ca9788, check ex1-check): the fits minimise each KL over the grid, and the forward one
    matches the moments, std sqrt(9.49) = 3.08 to 0.03 (3.0, a variance without the 0.7^2, fails; so does the
    best of a coarse std grid of step about 0.25)."""
    ns = run_cell(L06, "b0ca9788", dict(ns06), replace)
    assert fragment in check_message(L06, "ex1-check", ns)


@pytest.mark.parametrize("replace, fragment", [
    (("return (1 - eps) * F.cross_entropy(z, y) + eps * F.cross_entropy(z, torch.full_like(z, 1 / z.shape[1]))",
      "return F.cross_entropy(z, y, label_smoothing=eps)"), "uses label_smoothing"),
    (("return (1 - eps) * F.cross_entropy(z, y) + eps * F.cross_entropy(z, torch.full_like(z, 1 / z.shape[1]))",
      "return F.cross_entropy(z, (1 - eps) * F.one_hot(y, z.shape[1]).to(z.dtype) + eps / z.shape[1])"), "smoothed target"),  # noqa: E501
    (("return (1 - eps) * F.cross_entropy(z, y) + eps * F.cross_entropy(z, torch.full_like(z, 1 / z.shape[1]))",
      "return torch.tensor(1.1574)"), "mixed_ce(z, y, eps) differs"),  # the value at eps = 0.1 on z_det, hard-coded
])
def test_label_smoothing_mixture_check_rejects_label_smoothing_the_soft_target_and_a_constant(ns06, replace, fragment):
    """Exercise 3 (answer 5590f1ed, check ex3-check): mixed_ce is called at other logits and two eps while
    F.cross_entropy is recorded: label_smoothing or the smoothed target (equal in value) and a constant are rejected."""
    ns = run_cell(L06, "5590f1ed", run_cell(L06, "385f0b38", dict(ns06)), replace)
    assert fragment in check_message(L06, "ex3-check", ns)


def test_label_smoothing_floor_check_rejects_a_search_without_smoothing(ns06):
    """Exercise 3 (answer 5590f1ed, check ex3-check): the check's Adam on free logits finds the floor, the entropy of
    the smoothed target; a floor found by Adam minimising the unsmoothed loss (logits driven apart) is rejected."""
    ns = run_cell(L06, "5590f1ed", run_cell(L06, "385f0b38", dict(ns06)))
    run_cell(L06, "ex3-check", dict(ns))  # as written, the check passes
    z_free = torch.zeros(1, 3, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([z_free], lr=0.05)
    for _ in range(2000):
        optimizer.zero_grad()
        F.cross_entropy(z_free, ns["y"][:1]).backward()
        optimizer.step()
    unsmoothed = F.cross_entropy(z_free, ns["y"][:1], label_smoothing=0.1).item()
    assert "not the smallest value Adam finds" in check_message(L06, "ex3-check", {**ns, "floor": unsmoothed})


@pytest.mark.parametrize("notebook, cell_id, fixture", [
    (L06, "7f0ddef1", "ns06"), (L06, "385f0b38", "ns06"), (L06, "8b34906d", "ns06"), (L06, "5e75c97d", "ns06"),
    (L06, "b0ca9788", "ns06"), (L06, "a6slow01", "ns06"), (L06, "a7swap01", "ns06"), (L06, "a7sweep1", "ns06_sweep"),
    (L07, "75d3b7e8", "ns07"),
    (LA, "66bca9ef", "nsA"), (LA, "a89-art", "nsA_net"),
])
def test_mutated_cells_pass_as_written(request, notebook, cell_id, fixture):
    """The cells mutated only in parametrized tests (or, a89-mazur, after a89-art) run as written without error."""
    ns = run_cell(notebook, cell_id, dict(request.getfixturevalue(fixture)))
    if cell_id == "a89-art":
        run_cell(LA, "a89-mazur", ns)


# ---------------------------------------------------------------- lesson 07


@pytest.fixture(scope="module")
def ns07() -> dict:
    from course_utils.calibration import fit_logistic, plot_reliability, predict, reliability_bins
    from course_utils.loss_figures import curve_panels, embedding_step_figure

    ns = base_namespace(fit_logistic=fit_logistic, plot_reliability=plot_reliability, predict=predict,
                        reliability_bins=reliability_bins, curve_panels=curve_panels,
                        embedding_step_figure=embedding_step_figure)
    return run_cell(L07, "7eac9cd5", ns)


def test_float_labels_check_rejects_a_loss_that_accepts_them(ns07):
    """Cell be1323e9: the try/except now fails when no error is raised (labels that are accepted)."""
    run_cell(L07, "be1323e9", dict(ns07))
    failing = rejected_by(L07, "be1323e9", ns07, ("nn.CrossEntropyLoss()(z, y.float())", "nn.CrossEntropyLoss()(z, y)"))
    assert failing.startswith("raise AssertionError(")


def test_independent_questions_check_rejects_a_loss_that_couples_the_columns(ns07):
    """Cell 1855cdc2, with the per-column loss computed on softmax outputs (lesson 10's miswiring). The old check,
    BCEWithLogitsLoss against the mean of its column means, an identity of averages, accepted it."""
    old = ('(g,) = torch.autograd.grad(nn.BCEWithLogitsLoss(reduction="none")(z_leaf, y_k)',
           '(g,) = torch.autograd.grad(nn.BCEWithLogitsLoss(reduction="none")(torch.softmax(z_leaf, 1), y_k)')
    torch.manual_seed(3)
    run_cell(L07, "1855cdc2", dict(ns07))
    torch.manual_seed(3)
    assert rejected_by(L07, "1855cdc2", ns07, old).startswith("assert (g[:, torch.arange(5) != j] == 0).all()")
    z, y = torch.randn(4, 5), (torch.rand(4, 5) < 0.4).float()
    coupled = nn.BCEWithLogitsLoss(reduction="none")(torch.softmax(z, 1), y)
    assert torch.allclose(coupled.mean(), torch.stack([coupled[:, j].mean() for j in range(5)]).mean())  # old check


def _sigmoid_rounded_down(z: torch.Tensor) -> torch.Tensor:
    """float32 sigmoid rounded towards 0 instead of to the nearest: every step lies on one side."""
    exact = torch.sigmoid(z.double())
    nearest = exact.float()
    return torch.where(nearest.double() > exact, torch.nextafter(nearest, torch.zeros_like(nearest)), nearest)


def test_sigmoid_threshold_check_rejects_a_correctly_rounded_sigmoid(ns07):
    """Cell 95270be7 (old check: finfo.eps == 2**-23, a library constant): the threshold 24 ln 2 measured on a
    grid; a sigmoid computed in float64 and rounded once reaches 1 only at 25 ln 2, and is rejected."""
    run_cell(L07, "95270be7", dict(ns07))
    ns = {**ns07, "torch": _TorchWith(sigmoid=lambda z: torch.sigmoid(z.double()).float())}
    assert rejected_by(L07, "95270be7", ns).startswith("assert 0 <= ones_from - 24 * math.log(2) < 0.01")


class _TorchWith:
    """The torch module with some functions replaced (a mutant of a library function the cell calls)."""

    def __init__(self, **replaced):
        self._replaced = replaced

    def __getattr__(self, name):
        return self._replaced.get(name, getattr(torch, name))


def test_float32_steps_checks_reject_other_roundings(ns07):
    """Cell 6b1f2a90. 1 - sigmoid(z) moves in steps of 2^-23: a correctly rounded sigmoid (float64, rounded once)
    reaches every 2^-24 and fails. The steps lie on both sides of the exact loss: the cell's own error statement and
    assert, run with a sigmoid that rounds towards 0 (the old sentence's "steps under the exact one"), fail."""
    run_cell(L07, "6b1f2a90", dict(ns07))
    once = {**ns07, "torch": _TorchWith(sigmoid=lambda z: torch.sigmoid(z.double()).float())}
    assert rejected_by(L07, "6b1f2a90", once).startswith("assert len(gaps) < 10 and torch.equal(gaps * 2**23")
    one_sided = run_statements(L07, "6b1f2a90", {**ns07, "torch": _TorchWith(sigmoid=_sigmoid_rounded_down)},
                               "band =", "error =")
    assert one_sided["error"].max() <= 0
    with pytest.raises(AssertionError):
        run_statements(L07, "6b1f2a90", one_sided, "assert error.min() < -0.3 and error.max() > 0.3")


def test_kldiv_never_positive_check_rejects_the_right_use(ns07):
    """Cell e03db3cb: the misuse (probabilities in) is never positive; with log-probabilities in the check fails."""
    ns = run_cell(L07, "241edf16", dict(ns07))
    run_cell(L07, "e03db3cb", dict(ns))
    right_use = ('nn.KLDivLoss(reduction="none")(qs, ys)', 'nn.KLDivLoss(reduction="none")(qs.log(), ys)')
    failing = rejected_by(L07, "e03db3cb", ns, right_use)
    assert failing == "assert largest < 0"


def test_moved_points_check_rejects_a_wrong_margin(ns07):
    """Cell 6e122d7e: the points the dissimilar-pair cosine loss moves are those within 60 degrees of x1 (cos > 0.5,
    computed); a margin read as 0 (within 90 degrees) is rejected."""
    wrong = ("(F.cosine_similarity(ring, x1_2d[None]) > 0.5)", "(F.cosine_similarity(ring, x1_2d[None]) > 0.0)")
    assert rejected_by(L07, "6e122d7e", ns07, wrong).startswith("assert moved.tolist() == within_60.tolist()")


def test_pos_weight_large_n_check_rejects_a_bias_that_does_not_shrink(ns07):
    """Cell c4d2e8b1: the departure from 'odds times w+', averaged over 10 seeds, shrinks about 10x from N = 4,000
    to 400,000 (sampling noise); measured against a shift of 1.05 log w+, a bias that stays, it does not."""
    ns = run_cell(L07, "350c91aa", dict(ns07))
    biased = ("(shift[2] - w_n.log()).abs())", "(shift[2] - 1.05 * w_n.log()).abs())")
    assert rejected_by(L07, "c4d2e8b1", ns, biased).startswith("assert 5 < ratio < 20")


def test_pos_weight_optimum_check_rejects_a_fitter_that_ignores_pos_weight_and_the_wrong_formula(ns07):
    """Cell b2888c11 (old check: the optimum's odds against the formula typed a line before): the formula against a
    fitted constant model."""
    run_cell(L07, "b2888c11", dict(ns07))
    real = ns07["fit_logistic"]
    ignores = {**ns07, "fit_logistic": lambda x, y, pos_weight=1.0, **kw: real(x, y, **kw)}
    assert rejected_by(L07, "b2888c11", ignores) == "assert abs(fitted - b_star) < 1e-9"
    wrong_class = ("torch.logit(pw * pi / ((1 - pi) + pw * pi))", "torch.logit(pi / (pi + pw * (1 - pi)))")
    assert rejected_by(L07, "b2888c11", ns07, wrong_class) == "assert abs(fitted - b_star) < 1e-9"


def test_calibrated_in_the_mean_check_rejects_an_unconverged_fit(ns07):
    """Cell 350c91aa: the unweighted fit's mean prediction equals the base rate only at the optimum; Newton's method
    stopped at a step below 0.1 (instead of 1e-10) is rejected."""
    real = ns07["fit_logistic"]
    run_cell(L07, "350c91aa", dict(ns07))
    early = {**ns07, "fit_logistic": lambda x, y, **kw: real(x, y, **{**kw, "tol": 0.1})}
    assert rejected_by(L07, "350c91aa", early).startswith("assert abs(q_plain.mean() - base_rate) < 1e-9")


class _BCELossOverTotalWeight(nn.BCELoss):
    """BCELoss as the wrong reading has it: a weighted mean divided by the total weight."""

    def forward(self, input, target):  # noqa: A002
        if self.weight is None or self.reduction != "mean":
            return super().forward(input, target)
        per = F.binary_cross_entropy(input, target, reduction="none")
        return (self.weight * per).sum() / self.weight.sum()


def test_bce_weight_check_rejects_a_weighted_mean_over_the_total_weight(ns07):
    """Cell d5e3f9c2: BCELoss(weight=w) is the plain mean of w * loss; a BCELoss that divides by sum(w) fails
    (the dropped second assert only said sum(w) != 16)."""
    torch.manual_seed(0)
    run_cell(L07, "d5e3f9c2", dict(ns07))

    class _NN:
        def __getattr__(self, name):
            return _BCELossOverTotalWeight if name == "BCELoss" else getattr(nn, name)

    torch.manual_seed(0)
    assert rejected_by(L07, "d5e3f9c2", {**ns07, "nn": _NN()}).startswith("assert_close(bce_weighted")


def test_stable_bce_exercise_check_rejects_a_version_without_log1p(ns07):
    """Exercise 2 (answer 90de64de, check ex2-check). Old check: float32 against BCEWithLogitsLoss with atol 1e-5,
    which hides terms below 1e-7; log(1 + exp(-|z|)) passed it (and passes the float32 comparison). New: float64,
    label 0, relative error below 1e-12 against the series."""
    run_cell(L07, "ex2-check", run_cell(L07, "90de64de", dict(ns07)))  # as written, the check passes
    mutant = ("torch.log1p(torch.exp(-z.abs()))", "torch.log(1 + torch.exp(-z.abs()))")
    assert "torch.log1p" in check_message(L07, "ex2-check", run_cell(L07, "90de64de", dict(ns07), mutant))


@pytest.mark.parametrize("replace, fragment", [
    (("hard_neg = torch.where(~same, dist, math.inf).argmin(1)",
      "hard_neg = torch.where(~eye, dist, math.inf).argmin(1)"), "batch-hard negative has its anchor's class"),
    (("hard_pos = torch.where(same & ~eye, dist, -math.inf).argmax(1)",
      "hard_pos = torch.where(same, dist, math.inf).argmin(1)"), "batch-hard positive is its anchor itself"),
    (("pick(~same, 24)", "pick(~eye, 24)"), "random negative has its anchor's class"),
    (("generator=generator", "generator=torch.Generator().manual_seed(0)"), "same triplets for every generator"),
    (("return pick(same & ~eye, 7), pick(~same, 24)",
      "return pick(same & ~eye, 7), torch.where(~same, dist, -math.inf).argmax(1)"), "not the expected share"),  # easiest  # noqa: E501
])
def test_triplet_mining_check_rejects_wrong_mining(ns07, replace, fragment):
    """Exercise 4 (answer f96f4210, check ex4-check): negatives from the anchor's own class, or the anchor as its own
    positive, are rejected by the mining checks. The old target ("batch-hard: larger loss and larger share of
    active triplets") accepted the same-class negatives (loss 3.7, every triplet active), shown below."""
    run_cell(L07, "ex4-check", run_cell(L07, "f96f4210", dict(ns07)))  # as written, the check passes
    ns = run_cell(L07, "f96f4210", dict(ns07), replace)
    assert fragment in check_message(L07, "ex4-check", ns)
    if replace[0].startswith("hard_neg"):  # old check, on the mutated answer
        criterion = nn.TripletMarginLoss(margin=1.0, reduction="none")
        emb = ns["emb"]
        mean_loss = {name: criterion(emb, emb[pos], emb[neg]).mean().item() for name, pos, neg in
                     [("random", ns["rand_pos"], ns["rand_neg"]), ("batch-hard", ns["hard_pos"], ns["hard_neg"])]}
        share = ns["active_share"]
        assert mean_loss["batch-hard"] > mean_loss["random"] and share["batch-hard"] > share["random"]
        assert share["batch-hard"] == 1


@pytest.fixture(scope="module")
def debug_exercise(ns07) -> dict:
    """Exercise 1 of lesson 07: the buggy losses (c430d272), the fixes (63def451) and the symptoms (ex1-symptoms)."""
    ns = dict(ns07)
    for cell_id in ("c430d272", "63def451", "ex1-symptoms"):
        run_cell(L07, cell_id, ns)
    return ns


def test_debug_this_loss_check_accepts_the_fixes_and_rejects_each_bug(debug_exercise):
    """Exercise 1 (check ex1-check): the notebook's fixes pass; each of the notebook's buggy losses in place of its
    fix is rejected, naming the softmax before the criterion or the probabilities given to KLDivLoss."""
    ns = debug_exercise
    run_cell(L07, "ex1-check", dict(ns))
    for slot, fragment in [("multiclass", "softmax before CrossEntropyLoss"), ("kl", "takes log-probabilities"),
                           ("one_vs_rest", "softmax before BCEWithLogitsLoss")]:
        message = check_message(L07, "ex1-check", {**ns, f"fixed_{slot}": ns[f"buggy_{slot}"]})
        assert fragment in message, message


@pytest.mark.parametrize("unstable", ["log_softmax", "kl_log_softmax", "sigmoid_bce"])
def test_debug_this_loss_check_rejects_unstable_fixes_on_its_float32_row(debug_exercise, unstable):
    """Exercise 1 (read 3): log(softmax) into NLLLoss or KLDivLoss, or a sigmoid into BCELoss, agree with the fixes
    in float64 on moderate logits; the float32 confidently wrong row (logits +-120) must reject each of them."""
    fixes = {"log_softmax": ("multiclass", lambda z, t: nn.NLLLoss()(torch.log(torch.softmax(z, 1)), t)),
             "kl_log_softmax": ("kl", lambda z, t: nn.KLDivLoss(reduction="batchmean")(
                 torch.log(torch.softmax(z, 1)), t)),
             "sigmoid_bce": ("one_vs_rest", lambda z, t: nn.BCELoss()(torch.sigmoid(z), t))}
    slot, mutant = fixes[unstable]
    message = check_message(L07, "ex1-check", {**debug_exercise, f"fixed_{slot}": mutant})
    assert "float32" in message, f"rejected by {message!r}, not by the float32 row"


@pytest.mark.parametrize("wrong", [
    {"floor_ce": 0.0}, {"floor_ce": math.log(10)}, {"floor_kl": 0.0}, {"floor_bce": math.log(2)},
    {"shrink": 10.0}, {"init_factors": (10, 10, 100)}, {"init_factors": (100, 100, 100)},
])
def test_debug_this_loss_symptom_check_rejects_a_wrong_prediction(debug_exercise, wrong):
    """Exercise 1: the check with one wrong predicted symptom (wrong answers, not code)."""
    name = next(iter(wrong))
    message = check_message(L07, "ex1-check", {**debug_exercise, **wrong})
    assert message.startswith("Exercise 1: ") and name in message, message


@pytest.mark.parametrize("replace, line", [
    (("class_weight = counts.sum() / (3 * counts)", "class_weight = counts.sum() / counts"),
     "assert_close(torch.stack"),
    (("class_weight = counts.sum() / (3 * counts)", "class_weight = counts.sum() / (3 * counts.sqrt())"),
     "assert_close(torch.stack"),
    (("for g in (grad_plain, grad)])", "for g in (grad_plain, grad_plain)])"), "assert shares[0, 0] > 0.7"),
])
def test_class_weight_check_rejects_unbalanced_weights_and_unweighted_shares(ns07, replace, line):
    """Cell 75d3b7e8 (read 3: "now even" was seed luck): balanced weights give each class the total weight N / K;
    weights 1 / N_j (each class's total N, not N / K), or 1 / sqrt(N_j), fail; so do shares taken from the
    unweighted gradient twice."""
    assert rejected_by(L07, "75d3b7e8", ns07, replace).startswith(line)


# ---------------------------------------------------------------- appendix A


@pytest.fixture(scope="module")
def nsA() -> dict:
    from course_utils.tables import show_table

    return run_cell(LA, "6957a4ee", base_namespace(show_table=show_table))


@pytest.mark.parametrize("replace", [
    ("y_clip, y_hat_clip = xor_labels.clamp(1e-7, 1), xor_outputs.clamp(1e-7, 1)",
     "y_clip, y_hat_clip = xor_labels.clamp(1e-8, 1), xor_outputs.clamp(1e-8, 1)"),
    ("y_clip, y_hat_clip = xor_labels.clamp(1e-7, 1), xor_outputs.clamp(1e-7, 1)",
     "y_clip, y_hat_clip = xor_labels.clamp(1e-6, 1), xor_outputs.clamp(1e-6, 1)"),
    ("clipped_kl = (y_clip * torch.log(y_clip / y_hat_clip)).sum(-1)", "clipped_kl = xor_kl"),  # no clipping
    ("clipped_kl = (y_clip * torch.log(y_clip / y_hat_clip)).sum(-1)",  # the outputs rounded at the 8th decimal
     "clipped_kl = -torch.log((xor_labels * (xor_outputs + 0.5e-8)).sum(-1))"),
])
def test_xor_clipping_check_rejects_other_clips_and_rounding(nsA, replace):
    """Cells d0402943 (the values, mutated) and a-xor-checks (the checks). Old check: 1e-7 < |computed - quoted|
    < 5e-6, which the unclipped values pass (shown below)."""
    ns = run_cell(LA, "d0402943", dict(nsA))
    run_cell(LA, "a-xor-checks", dict(ns))  # as written, the checks pass
    quoted, xor_kl = ns["QUOTED_KL"], ns["xor_kl"]
    assert all(1e-7 < abs(xor_kl[i].item() - quoted[n]) < 5e-6 for n, i in [("a", 0), ("d", 3)])  # old check
    mutated = run_cell(LA, "d0402943", dict(nsA), replace)
    assert rejected_by(LA, "a-xor-checks", mutated).startswith("assert abs(clipped_kl[index].item() - QUOTED_KL")


@pytest.fixture(scope="module")
def nsA_net(nsA) -> dict:
    ns = dict(nsA)
    for cell_id in ("a89-setup", "a89-net"):
        run_cell(LA, cell_id, ns)
    return ns


def test_sigma_twice_check_rejects_a_step_with_the_slip_and_a_slip_that_changes_nothing(nsA_net):
    """Cell a89-art (old check: 0.94 < ratio < 0.96 of two formulas typed a line before). New: the right slope
    reproduces Mazur's quoted w1 after one step and the sigma-twice slope does not. Rejected: step() with the
    sigma-twice slope in its hidden deltas, and a "sigma twice" w1 computed with the right slope."""
    run_cell(LA, "a89-art", dict(nsA_net))
    ns = dict(nsA_net)
    run_cell(LA, "a89-net", ns,
             ("(d1 * u5 + d2 * u7) * f.h1 * (1 - f.h1)", "(d1 * u5 + d2 * u7) * sig(f.h1) * (1 - sig(f.h1))"),
             ("(d1 * u6 + d2 * u8) * f.h2 * (1 - f.h2)", "(d1 * u6 + d2 * u8) * sig(f.h2) * (1 - sig(f.h2))"))
    check = 'assert f"{step(START).w1:.9f}" == QUOTED_W1 != f"{w1_twice:.9f}"'
    assert rejected_by(LA, "a89-art", ns).startswith(check)
    no_slip = ("* sig(fw.h1) * (1 - sig(fw.h1)) * x1", "* fw.h1 * (1 - fw.h1) * x1")
    assert rejected_by(LA, "a89-art", nsA_net, no_slip).startswith(check)


def test_mazur_match_lists_reject_a_run_without_the_slip(nsA_net):
    """Cell a89-mazur: the asserted match lists (the summary's "three of five") fail if the pre-fix run is the
    right one."""
    ns = run_cell(LA, "a89-art", dict(nsA_net))
    no_slip = ("slip.append(step(slip[-1], late=True))", "slip.append(step(slip[-1]))")
    failing = rejected_by(LA, "a89-mazur", ns, no_slip)
    assert failing.startswith("assert match == [[True, False, False, False, False], [False, True, True, True, False]]")


@pytest.mark.parametrize("replace, line", [
    (("prefix_script_E = forward(slip[1]).E / 2", "prefix_script_E = forward(slip[1]).E"),
     "assert f\"{prefix_script_E:.9f}\" == QUOTED_PREFIX_SCRIPT"),  # the pre-fix script's own error definition
    (("E_of_outputs = 0.5 * (y1 - y1_post) ** 2 + 0.5 * (y2 - y2_post) ** 2",
      "E_of_outputs = 0.5 * (y1 - y1_post) ** 2 + 0.5 * (y2 - y2_post) ** 2 + 2.37e-8"),  # as if it were consistent
     "assert f\"{E_of_outputs:.10f}\" != POST"),
])
def test_mazur_error_definitions_reject_the_wrong_one(nsA_net, replace, line):
    """Cell a89-mazur-2: 8e7a7de's script prints the pre-fix error divided by the 2 outputs (quoted); the post's
    10,000-step E is not the E of its own outputs (a mutant that makes them agree is rejected)."""
    ns = run_cell(LA, "a89-mazur", run_cell(LA, "a89-art", dict(nsA_net)))
    run_cell(LA, "a89-mazur-2", dict(ns))
    assert rejected_by(LA, "a89-mazur-2", ns, replace).startswith(line)


def test_round_trip_exercise_rejects_a_wrong_cast(nsA):
    """Exercise 3 (answer 66bca9ef, check exA3-check): the full scan from 0; a float16 round trip changes 2049
    first and is rejected."""
    run_cell(LA, "exA3-check", run_cell(LA, "66bca9ef", dict(nsA)))  # as written, the check passes
    ns = run_cell(LA, "66bca9ef", dict(nsA), ("candidates.float().long()", "candidates.half().long()"))
    assert "float16" in check_message(LA, "exA3-check", ns)


def test_weights_swap_exercise_rejects_swapping_the_labels_alone(nsA):
    """Exercise 4 (answer d4674e75, check exA4-check): with the big run's weights the small run gives the quoted
    0.8685 (to 0.02); if the "weights swapped" loss is computed with the small run's own weights, the check fails."""
    quoted = cell_names(LA, "228fdde9", "QUOTED_BCE_BIG")["QUOTED_BCE_BIG"]
    ns = run_cell(LA, "d4674e75", dict(nsA, QUOTED_BCE_BIG=quoted))
    assert abs(ns["weights_only"] - quoted) < 0.02
    run_cell(LA, "exA4-check", dict(ns))  # as written, the check passes
    mutant = ("weights_only = nn.BCEWithLogitsLoss()(x_s @ w_b, y_s)",
              "weights_only = nn.BCEWithLogitsLoss()(x_s @ w_s, y_s)")
    ns = run_cell(LA, "d4674e75", dict(nsA, QUOTED_BCE_BIG=quoted), mutant)
    assert "small run's own weights" in check_message(LA, "exA4-check", ns)
