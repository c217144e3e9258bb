# A minimal site that draws the whole profile list of whichever hub it is built for.
extensions = ["myst_parser", "training"]
project = "Hub options test site"
exclude_patterns = ["_build"]
nitpicky = True
training_modules_dir = "none"
html_theme = "sphinx_book_theme"  # the real site's theme: its dark mode is what the axe test checks
# Without a default mode, pydata-sphinx-theme logs "Got invalid theme mode" on a first visit.
html_context = {"default_mode": "auto"}
# Only the figure and the table are under test here; the site's own chrome has its own axe tests.
# The example-hub announcement and the sidebar's logo currently fail axe (reported to the lead).
html_theme_options = {"announcement": ""}
html_sidebars: dict[str, list[str]] = {"**": []}
