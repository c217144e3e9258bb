"""The ``hub-training`` command line."""
