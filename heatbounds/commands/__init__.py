"""Subcommands of the ``heatbounds`` command line, one module each."""
