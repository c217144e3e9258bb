# A small site with its own modules folder: every form of the open-in-hub directive and role.
extensions = ["myst_parser", "training"]
project = "Open in hub test site"
exclude_patterns = ["_build", "modules/*/exercises", "modules/*/data"]
nitpicky = True
training_modules_dir = "modules"
html_theme = "sphinx_book_theme"  # the real site's theme: the browser test checks its light and dark colours
# Without a default mode, pydata-sphinx-theme logs "Got invalid theme mode" on a first visit.
html_context = {"default_mode": "auto"}
# Only our buttons and links are under test here; the site's chrome has its own axe tests.
html_theme_options = {"announcement": ""}
html_sidebars: dict[str, list[str]] = {"**": []}
