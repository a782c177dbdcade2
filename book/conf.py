"""Sphinx configuration of the course book (built by ``python -m tools.build_site``).

The builder stages the chapters, the course map (index) and the glossary into a source folder and runs
Sphinx with this configuration: myst-nb reads the notebooks with their stored outputs (never executing
them) and sphinx-book-theme gives the sidebar, search, previous/next, the on-page contents and the
launch-in-Colab and download buttons. MathJax is served from ``_static/mathjax`` (vendored from npm).
"""

from course_utils.chapters import BRANCH, REPOSITORY

project = "Deep-learning foundations in PyTorch"
author = "The course authors"
copyright = "the course authors, MIT licence"

extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
nb_execution_mode = "off"  # render the committed outputs, never re-run a notebook
nb_merge_streams = True
nb_render_markdown_format = "myst"  # Markdown outputs (the course-map table) get tables and links
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

mathjax_path = "mathjax/es5/tex-chtml.js"  # relative to _static: the local copy, no CDN
mathjax3_config = {"tex": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]]}}

html_theme = "sphinx_book_theme"
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_title = project
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "repository_url": f"https://github.com/{REPOSITORY}",
    "repository_branch": BRANCH,
    "path_to_docs": "notebooks",  # with the notebooks at the source root, the Colab address of a chapter
    "launch_buttons": {"colab_url": "https://colab.research.google.com"},  # is chapters.colab_url(chapter)
    "use_download_button": True,
    "use_fullscreen_button": False,
    "show_toc_level": 2,
    "home_page_in_toc": True,
}
