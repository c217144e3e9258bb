# A small site with its own modules and one workshop (tests/test_workshop_site.py copies it to tmp_path:
# the build writes the workshop's generated pages into workshops/<slug>/).
extensions = ["myst_parser", "sphinx_design", "training"]
project = "Workshop test site"
myst_enable_extensions = ["colon_fence", "deflist"]
exclude_patterns = ["_build", "modules/*/exercises", "modules/*/data"]
nitpicky = True
training_modules_dir = "modules"
training_workshops_dir = "workshops"
html_theme = "sphinx_book_theme"  # the real site's theme: the handout's print CSS is written for it
html_context = {"default_mode": "auto"}
html_theme_options = {"announcement": ""}
