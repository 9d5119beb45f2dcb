"""Pure-Python core of Completion Playground: request model, async client, stream parsing.

Nothing in this package imports Qt; the GUI (``app.ui``) and the CLI (``app.cli``) are both
thin front ends over it. An import-linter contract in ``pyproject.toml`` enforces this.
"""
