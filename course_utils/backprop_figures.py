"""Figures for the backpropagation chapter: the 2-2-2 network, a computational graph, curve panels.

Every function returns the matplotlib ``Figure`` it made, titled, so that the notebook ends the cell
with ``plt.show()`` and the stored text form names what is shown.

- :func:`draw_network` draws the classic 2-2-2 sigmoid network with its weights, shared biases and
  targets.
- :func:`draw_chain` draws a computational graph that is a chain of operations, with the value of the
  upstream gradient under each node and the local gradient under each operation.
- :func:`draw_graph` draws any computational graph (a DAG) from its output node, given how to read a
  node's inputs and its text, with the nodes used by several operations marked.
- :func:`plot_panels` draws several curve panels side by side (one :class:`Panel` each).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

import matplotlib.pyplot as plt

__all__ = ["NETWORK_PARAMETERS", "Panel", "draw_network", "draw_chain", "draw_graph", "plot_panels"]
MAX_GRAPH_NODES = 40

NETWORK_PARAMETERS = ("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b1", "b2")
_POS = {"x1": (0, 2), "x2": (0, 0), "h1": (3, 2), "h2": (3, 0), "o1": (6, 2), "o2": (6, 0),
        "b1": (1.7, -1.5), "b2": (4.7, -1.5)}
_EDGES = (("x1", "h1", "w1"), ("x2", "h1", "w2"), ("x1", "h2", "w3"), ("x2", "h2", "w4"),
          ("h1", "o1", "w5"), ("h2", "o1", "w6"), ("h1", "o2", "w7"), ("h2", "o2", "w8"))


def draw_network(params: Mapping[str, float], inputs: Sequence[float], targets: Sequence[float],
                 title: str = "The 2-2-2 network: inputs, weights, shared biases and targets"):
    """Draw the 2-2-2 network: ``params`` maps w1..w8, b1, b2 to numbers; two inputs, two targets.

    Weight ``w1`` joins x1 to h1, ``w2`` x2 to h1, ``w3``/``w4`` the same for h2, ``w5``/``w6`` feed
    output 1 from h1/h2 and ``w7``/``w8`` output 2; ``b1`` is shared by the hidden layer, ``b2`` by the
    output layer.
    """
    missing = [n for n in NETWORK_PARAMETERS if n not in params]
    if missing:
        raise ValueError(f"params lacks {missing}: pass a mapping with all of {', '.join(NETWORK_PARAMETERS)}.")
    if len(inputs) != 2 or len(targets) != 2:
        raise ValueError(f"got {len(inputs)} inputs and {len(targets)} targets: the 2-2-2 network needs "
                         "two of each.")
    fig, ax = plt.subplots(figsize=(8.4, 4.6))
    for a, b, w in _EDGES:
        (xa, ya), (xb, yb) = _POS[a], _POS[b]
        ax.annotate("", xy=(xb, yb), xytext=(xa, ya),
                    arrowprops=dict(arrowstyle="-|>", color="0.45", shrinkA=26, shrinkB=27))
        t = 0.3  # label near the start of the edge, where crossing edges are still apart
        ax.text(xa + t * (xb - xa), ya + t * (yb - ya), f"$w_{w[1]}$ = {params[w]:g}", fontsize=9,
                ha="center", va="center", bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="0.8"))
    for bias, nodes in (("b1", ("h1", "h2")), ("b2", ("o1", "o2"))):
        for node in nodes:
            ax.annotate("", xy=_POS[node], xytext=_POS[bias],
                        arrowprops=dict(arrowstyle="-|>", color="tab:orange", ls="--", shrinkA=12, shrinkB=27))
        ax.text(*_POS[bias], f"$b_{bias[1]}$ = {params[bias]:g}", ha="center", va="center", fontsize=10,
                bbox=dict(boxstyle="square,pad=0.4", fc="moccasin", ec="tab:orange"))
    labels = {"x1": f"$x_1$\n{inputs[0]:g}", "x2": f"$x_2$\n{inputs[1]:g}", "h1": "$h_1$\nσ", "h2": "$h_2$\nσ",
              "o1": "$\\hat y_1$\nσ", "o2": "$\\hat y_2$\nσ"}
    for node, text in labels.items():
        px, py = _POS[node]
        ax.add_patch(plt.Circle((px, py), 0.42, fc="lightsteelblue" if node[0] == "x" else "honeydew",
                                ec="0.3", zorder=3))
        ax.text(px, py, text, ha="center", va="center", fontsize=10, zorder=4)
    for node, target, name in (("o1", targets[0], "y_1"), ("o2", targets[1], "y_2")):
        px, py = _POS[node]
        ax.text(px + 0.65, py, f"target ${name}$ = {target:g}", ha="left", va="center", fontsize=10)
    for px, layer in ((0, "input"), (3, "hidden layer"), (6, "output layer")):
        ax.text(px, 2.75, layer, ha="center", fontsize=10, weight="bold")
    ax.set_xlim(-0.7, 8.2)
    ax.set_ylim(-2.0, 3.0)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title)
    return fig


def draw_chain(nodes: Sequence[str], ops: Sequence[str], upstream: Sequence[str], local: Sequence[str],
               title: str, params: Mapping[int, str] | None = None):
    """Draw a computational graph that is a chain: ``nodes[i]`` --``ops[i]``--> ``nodes[i+1]``.

    ``upstream[i]`` (the gradient of the output with respect to ``nodes[i]``) is written under node i in
    red; ``local[i]`` (the local gradient of ``ops[i]``) under its arrow in blue. ``params`` maps an
    operation's index to the name of a parameter that enters it from above (e.g. ``{0: "W1, b1"}``).
    """
    n = len(nodes)
    if n < 2:
        raise ValueError(f"a chain needs at least two nodes, got {n}: pass e.g. ['x', 'y'].")
    if len(ops) != n - 1 or len(local) != n - 1:
        raise ValueError(f"{n} nodes need {n - 1} operations and {n - 1} local gradients, got {len(ops)} and "
                         f"{len(local)}: give one per arrow.")
    if len(upstream) != n:
        raise ValueError(f"{n} nodes need {n} upstream gradients, got {len(upstream)}: give one per node.")
    params = dict(params or {})
    bad = [k for k in params if not 0 <= k < n - 1]
    if bad:
        raise ValueError(f"params names operations {bad} that do not exist: use indices 0 to {n - 2}.")
    step = 2.2
    fig, ax = plt.subplots(figsize=(1.0 + 1.9 * n, 3.3))
    for i, name in enumerate(nodes):
        ax.text(i * step, 0, name, ha="center", va="center", fontsize=12, zorder=3,
                bbox=dict(boxstyle="round,pad=0.35", fc="honeydew", ec="0.3"))
        ax.text(i * step, -0.62, upstream[i], ha="center", va="top", fontsize=8.5, color="tab:red")
    for i, op in enumerate(ops):
        ax.annotate("", xy=((i + 1) * step, 0), xytext=(i * step, 0),
                    arrowprops=dict(arrowstyle="-|>", color="0.35", shrinkA=18, shrinkB=18))
        ax.text((i + 0.5) * step, 0.22, op, ha="center", va="bottom", fontsize=9.5)
        ax.text((i + 0.5) * step, -0.22, local[i], ha="center", va="top", fontsize=8.5, color="tab:blue")
        if i in params:
            ax.annotate(params[i], xy=((i + 0.5) * step, 0.05), xytext=((i + 0.5) * step, 1.05), ha="center",
                        fontsize=9.5, arrowprops=dict(arrowstyle="-|>", color="tab:orange", ls="--"))
    ax.text(-0.75 * step, -0.62, "upstream\ngradient", ha="center", va="top", fontsize=8.5, color="tab:red")
    ax.text(-0.75 * step, -0.22, "local\ngradient", ha="center", va="top", fontsize=8.5, color="tab:blue")
    ax.set_xlim(-1.1 * step, (n - 0.5) * step)
    ax.set_ylim(-1.3, 1.35)
    ax.axis("off")
    ax.set_title(title)
    return fig


def draw_graph(root, parents: Callable[[object], Iterable], text: Callable[[object], str], title: str):
    """Draw the computational graph that ends in ``root``: ``parents(node)`` gives a node's inputs,
    ``text(node)`` the text of its box.

    The output sits in the rightmost column and every other node one column left of its leftmost
    consumer (the longest path to the output); arrows run from input to consumer, and a node with
    several consumers (whose gradient is a sum) gets an orange frame. Returns the figure;
    ``fig.graph`` holds ``{"nodes": [...], "edges": [(input, node), ...]}`` in the drawing's order.
    """
    order, seen, edges = [], set(), []

    def visit(v):  # depth first: every input before its consumer
        if id(v) in seen:
            return
        seen.add(id(v))
        try:
            ins = list(parents(v))
        except TypeError:
            raise TypeError(f"parents({type(v).__name__}) did not return an iterable: pass a function that "
                            "returns a node's inputs, e.g. lambda v: v._parents.") from None
        for u in ins:
            visit(u)
            edges.append((u, v))
        order.append(v)
        if len(order) > MAX_GRAPH_NODES:
            raise ValueError(f"the graph has more than {MAX_GRAPH_NODES} nodes, too many to read: draw a "
                             "smaller expression.")
    visit(root)
    depth = {id(root): 0}  # columns counted from the output: the longest path to it
    for v in reversed(order):
        for u, w in edges:
            if w is v:
                depth[id(u)] = max(depth.get(id(u), 0), depth[id(v)] + 1)
    consumers = {id(v): sum(u is v for u, _ in edges) for v in order}
    columns: dict[int, list] = {}
    for v in reversed(order):
        columns.setdefault(depth[id(v)], []).append(v)
    pos: dict[int, tuple[float, float]] = {}
    tallest = max(len(c) for c in columns.values())
    last = max(columns)
    for d in sorted(columns):  # from the output leftwards; order a column by its consumers' mean height
        col = columns[d]
        if d:
            col.sort(key=lambda v: -sum(pos[id(w)][1] for u, w in edges if u is v) / consumers[id(v)])
        for k, v in enumerate(col):
            pos[id(v)] = (2.4 * (last - d), -1.5 * (k - (len(col) - 1) / 2))
    fig, ax = plt.subplots(figsize=(0.9 + 1.35 * len(columns), 0.9 + 0.8 * tallest))
    for u, v in edges:
        ax.annotate("", xy=pos[id(v)], xytext=pos[id(u)],
                    arrowprops=dict(arrowstyle="-|>", color="0.5", shrinkA=27, shrinkB=30))
    for v in order:
        shared = consumers[id(v)] > 1
        ax.text(*pos[id(v)], text(v), ha="center", va="center", fontsize=6.5, zorder=3,
                bbox=dict(boxstyle="round,pad=0.3", fc="moccasin" if shared else "honeydew",
                          ec="tab:orange" if shared else "0.4", lw=2 if shared else 1))
    ax.plot([], [], "s", mfc="moccasin", mec="tab:orange", ms=10, label="used by several operations: gradients summed")
    ax.plot([], [], "s", mfc="honeydew", mec="0.4", ms=10, label="used once")
    ax.legend(loc="upper left", bbox_to_anchor=(0, 0), fontsize="small", ncol=2, frameon=False)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 1.2, max(xs) + 1.2)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    ax.axis("off")
    ax.set_title(title)
    fig.graph = {"nodes": order, "edges": edges}
    return fig


class Panel(NamedTuple):
    """One axes of :func:`plot_panels`: curves ``series`` (label -> y values) against ``x`` (or 0, 1, …)."""

    title: str
    xlabel: str
    ylabel: str
    series: Mapping[str, Sequence[float]]
    x: Sequence[float] | None = None
    log_x: bool = False
    log_y: bool = False
    hlines: Mapping[str, float] = {}


def plot_panels(panels: Sequence[Panel], suptitle: str | None = None, width: float = 4.8, height: float = 3.6):
    """Panels side by side, each with its own curves, log axes where asked, dashed reference lines
    (``hlines``: label -> y) and a legend."""
    if not panels:
        raise ValueError("panels is empty: pass at least one Panel.")
    for p in panels:
        if not isinstance(p, Panel):
            raise TypeError(f"got {type(p).__name__}: pass course_utils.backprop_figures.Panel objects.")
        if not p.series:
            raise ValueError(f"panel {p.title!r} has no series: give it at least one curve.")
    fig, axes = plt.subplots(1, len(panels), figsize=(width * len(panels), height), squeeze=False)
    for ax, p in zip(axes.flat, panels, strict=True):
        for label, values in p.series.items():
            xs = list(range(len(values))) if p.x is None else list(p.x)
            if len(xs) != len(values):
                raise ValueError(f"panel {p.title!r}, series {label!r}: {len(values)} values for {len(xs)} x "
                                 "positions; give one value per x.")
            ax.plot(xs, list(values), marker="o" if len(xs) <= 12 else None, ms=4, label=label)
        for k, (label, level) in enumerate(p.hlines.items()):
            ax.axhline(level, color="0.3", ls=(0, (4, 2 + 2 * k)), lw=1, label=label)
        ax.set_xscale("log" if p.log_x else "linear")
        ax.set_yscale("log" if p.log_y else "linear")
        ax.set_title(p.title)
        ax.set_xlabel(p.xlabel)
        ax.set_ylabel(p.ylabel)
        ax.legend(fontsize="small")
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig
