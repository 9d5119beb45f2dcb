"""Compare: see app/ui/__init__.py for the layout of the UI packages."""
