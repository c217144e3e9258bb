# Two small modules with quizzes and instructor notes, a Start-here path, the notes page and a page
# with two synced Python/R tab sets (tests/test_learner_tools.py, test_learner_tools_browser.py).
# Book theme: the header toggle lives there.
extensions = ["myst_parser", "sphinx_design", "training"]
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence"]
nitpicky = True
html_theme = "sphinx_book_theme"
html_context = {"default_mode": "auto"}
