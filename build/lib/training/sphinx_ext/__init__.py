"""The Sphinx extension: one component per file, each with its ``setup_<component>(app)``, called in
order by :mod:`training.sphinx_ext.extension`."""
