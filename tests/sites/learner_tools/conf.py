# Two small modules with quizzes and instructor notes, a Start-here path and the notes page
# (tests/test_quiz.py, test_progress.py, test_instructor.py). Book theme: the header toggle lives there.
extensions = ["myst_parser", "sphinx_design", "training"]
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence"]
nitpicky = True
html_theme = "sphinx_book_theme"
html_context = {"default_mode": "auto"}
