"""The course plot style and the figures' stable text form."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from course_utils.plotting import figure_text, use_course_style  # noqa: E402


def test_figure_text_uses_titles_then_labels():
    fig, (a, b) = plt.subplots(1, 2)
    a.set_title("Sigmoid")
    b.set_xlabel("x")
    b.set_ylabel("y")
    fig.suptitle("Activations")
    assert figure_text(fig) == "[figure: Activations; Sigmoid; y vs x]"
    plt.close(fig)


def test_untitled_figure_is_still_stable():
    fig = plt.figure()
    assert figure_text(fig) == "[figure: untitled]"
    plt.close(fig)


def test_style_applies_outside_ipython():
    use_course_style()
    assert matplotlib.rcParams["axes.grid"] is True
