"""Plot style shared by every notebook.

``use_course_style()`` is called by :func:`course_utils.repro.setup_notebook`. Besides colours and
sizes it gives figures a stable plain-text form, ``[figure: <titles>]``, in place of matplotlib's
``<Figure size 640x480 with 1 Axes>``: the stored notebook then says what the picture shows, and
nbval compares that text rather than a size string. In a kernel, figures are stored as "retina" PNGs
(twice the pixels per side, with the display size in the output's metadata).
"""

from __future__ import annotations

import matplotlib as mpl

COURSE_STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": "medium",
    "legend.frameon": False,
    "image.cmap": "viridis",
    "svg.hashsalt": "course",
}


def figure_text(fig) -> str:
    """A short plain-text stand-in for a figure: its suptitle and axes titles, or its axes labels."""
    parts = []
    if getattr(fig, "_suptitle", None) is not None and fig._suptitle.get_text():
        parts.append(fig._suptitle.get_text())
    for ax in fig.get_axes():
        label = ax.get_title() or " vs ".join(t for t in (ax.get_ylabel(), ax.get_xlabel()) if t)
        if label:
            parts.append(label)
    return "[figure: " + ("; ".join(parts) if parts else "untitled") + "]"


def use_course_style() -> None:
    """Apply the course's matplotlib style; inside IPython also set the figure's text form."""
    mpl.rcParams.update(COURSE_STYLE)
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing else to do
        return
    ip = get_ipython()
    if ip is None:
        return
    from matplotlib.figure import Figure

    if getattr(ip, "kernel", None) is not None:
        # Load the inline backend now: loading it later (at the first figure) resets the figure
        # formatters and would undo the text form registered below.
        ip.run_line_magic("matplotlib", "inline")
        # PNGs at twice the pixels of their display size, which is stored beside them: sharp on HiDPI
        # screens, in Jupyter, the book and the slides, at the same layout.
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("retina")
    formatter = ip.display_formatter.formatters["text/plain"]
    formatter.for_type(Figure, lambda fig, printer, cycle: printer.text(figure_text(fig)))
