# Each quiz below is wrong in one way; tests/test_learner_tools.py expects one located warning per quiz.
extensions = ["myst_parser", "training"]
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence"]
nitpicky = True
training_modules_dir = "none"
