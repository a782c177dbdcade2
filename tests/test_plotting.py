"""The course plot style and the figures' stable text form."""

import base64

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


def test_figures_in_a_kernel_store_their_titles_not_their_size(tmp_path):
    # Regression: loading the inline backend at the first figure used to drop the text form.
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from course_utils.repro import setup_notebook\ndevice = setup_notebook()"),
        nbformat.v4.new_code_cell(
            "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.set_title('Line')\nplt.show()"
        ),
    ]
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    texts = ["".join(o["data"]["text/plain"]) for o in nb.cells[1].outputs if "data" in o]
    assert texts == ["[figure: Line]"]
    (figure,) = [o for o in nb.cells[1].outputs if "data" in o]
    # retina: the PNG has twice the pixels of the display size stored in its metadata
    png = base64.b64decode(figure["data"]["image/png"])
    pixels_wide = int.from_bytes(png[16:20], "big")  # the PNG header's width field
    assert abs(pixels_wide - 2 * figure["metadata"]["image/png"]["width"]) <= 1
