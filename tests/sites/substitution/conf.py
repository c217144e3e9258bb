# A minimal site that uses every place a {{ hub.* }} placeholder can appear.
extensions = ["myst_nb", "sphinx_design", "training"]
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence"]
nb_execution_mode = "off"
nitpicky = True
training_modules_dir = "none"
