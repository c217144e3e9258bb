"""The pure model: hub profiles, values files, module metadata, workshops, nbgitpuller links and
materials. Nothing here imports Sphinx."""
