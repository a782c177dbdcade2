"""Tests for course_utils.backprop_figures: the network diagram, the chain and DAG graphs, curve panels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_utils.backprop_figures import (
    MAX_GRAPH_NODES,
    Panel,
    draw_chain,
    draw_graph,
    draw_network,
    plot_panels,
)
from course_utils.plotting import figure_text

PARAMS = dict(w1=0.15, w2=0.20, w3=0.25, w4=0.30, w5=0.40, w6=0.45, w7=0.50, w8=0.55, b1=0.35, b2=0.60)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts(fig):
    return [t.get_text() for t in fig.axes[0].texts]


def test_network_shows_every_weight_bias_input_and_target():
    fig = draw_network(PARAMS, (0.05, 0.1), (0.01, 0.99))
    shown = " ".join(texts(fig))
    for k in range(1, 9):
        assert f"$w_{k}$ = {PARAMS[f'w{k}']:g}" in shown
    assert "$b_1$ = 0.35" in shown and "$b_2$ = 0.6" in shown
    assert "0.05" in shown and "target $y_2$ = 0.99" in shown
    assert figure_text(fig) == "[figure: The 2-2-2 network: inputs, weights, shared biases and targets]"
    assert len(fig.axes[0].patches) == 6  # six neurons


def test_network_refuses_missing_parameters_and_wrong_sizes():
    with pytest.raises(ValueError, match=r"lacks \['b2'\]"):
        draw_network({k: v for k, v in PARAMS.items() if k != "b2"}, (0, 0), (0, 0))
    with pytest.raises(ValueError, match="two of each"):
        draw_network(PARAMS, (0, 0, 0), (0, 0))


def test_chain_places_gradients_under_nodes_and_arrows():
    fig = draw_chain(["x", "z", "E"], ["f", "g"], ["gx", "gz", "1"], ["f'", "g'"], "chain", params={0: "W"})
    shown = texts(fig)
    for s in ("x", "z", "E", "f", "g", "gx", "gz", "1", "f'", "g'", "W"):
        assert s in shown
    assert figure_text(fig) == "[figure: chain]"


@pytest.mark.parametrize("kwargs, message", [
    (dict(nodes=["x"], ops=[], upstream=["1"], local=[]), "at least two nodes"),
    (dict(nodes=["x", "y"], ops=[], upstream=["1", "1"], local=["a"]), "1 operations"),
    (dict(nodes=["x", "y"], ops=["f"], upstream=["1"], local=["a"]), "2 upstream gradients"),
    (dict(nodes=["x", "y"], ops=["f"], upstream=["1", "1"], local=["a"], params={3: "W"}), r"operations \[3\]"),
])
def test_chain_refuses_mismatched_lengths(kwargs, message):
    with pytest.raises(ValueError, match=message):
        draw_chain(title="t", **kwargs)


def test_panels_one_axes_each_with_curves_reference_lines_and_legend():
    fig = plot_panels([
        Panel("loss", "step", "E", {"a": [3.0, 2.0, 1.0], "b": [1.0, 0.5, 0.25]}, log_y=True,
              hlines={"floor": 0.1}),
        Panel("by rate", "rate", "E", {"final": [1.0, 2.0]}, x=[0.1, 1.0], log_x=True),
    ], suptitle="Runs")
    first, second = fig.axes
    assert first.get_yscale() == "log" and second.get_xscale() == "log"
    assert len(first.get_lines()) == 3 and [t.get_text() for t in first.get_legend().get_texts()] == ["a", "b", "floor"]
    np.testing.assert_allclose(second.get_lines()[0].get_xdata(), [0.1, 1.0])
    assert figure_text(fig) == "[figure: Runs; loss; by rate]"


def test_panels_refuse_bad_input():
    with pytest.raises(ValueError, match="empty"):
        plot_panels([])
    with pytest.raises(TypeError, match="Panel"):
        plot_panels([("t", "x", "y", {"a": [1]})])
    with pytest.raises(ValueError, match="no series"):
        plot_panels([Panel("t", "x", "y", {})])
    with pytest.raises(ValueError, match="2 values for 3 x"):
        plot_panels([Panel("t", "x", "y", {"a": [1, 2]}, x=[1, 2, 3])])


class Node:
    """A minimal graph node: a name and its inputs."""

    def __init__(self, name, *inputs):
        self.name, self.inputs = name, inputs


def test_graph_places_output_right_inputs_left_and_marks_shared_nodes():
    a, b = Node("a"), Node("b")
    ab = Node("ab", a, b)
    c = Node("c", ab, a)  # a is used twice: by ab and by c
    fig = draw_graph(c, lambda v: v.inputs, lambda v: v.name, "tiny graph")
    assert [v.name for v in fig.graph["nodes"]] == ["a", "b", "ab", "c"]
    assert [(u.name, v.name) for u, v in fig.graph["edges"]] == [("a", "ab"), ("b", "ab"), ("ab", "c"), ("a", "c")]
    boxes = {t.get_text(): t for t in fig.axes[0].texts if t.get_text()}  # arrows are empty texts
    assert set(boxes) == {"a", "b", "ab", "c"}
    x = {name: t.get_position()[0] for name, t in boxes.items()}
    assert x["a"] < x["ab"] < x["c"] and x["b"] < x["ab"]  # a sits left of its leftmost consumer
    assert boxes["a"].get_bbox_patch().get_edgecolor() != boxes["b"].get_bbox_patch().get_edgecolor()
    assert len([c for c in fig.axes[0].get_children() if type(c).__name__ == "Annotation"]) == 4  # one arrow per edge
    assert figure_text(fig) == "[figure: tiny graph]"


def test_graph_refuses_bad_parents_and_huge_graphs():
    with pytest.raises(TypeError, match="did not return an iterable"):
        draw_graph(Node("a"), lambda v: 3, lambda v: v.name, "t")
    v = Node("x0")
    for k in range(MAX_GRAPH_NODES):
        v = Node(f"x{k + 1}", v)
    with pytest.raises(ValueError, match="too many to read"):
        draw_graph(v, lambda n: n.inputs, lambda n: n.name, "t")
