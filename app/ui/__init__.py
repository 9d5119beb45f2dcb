"""Qt front end: widgets, Qt models and the run controller. Calls into :mod:`app.core`.

Grouped by feature; import-linter keeps the layers (``pyproject.toml``): ``shell`` may use
every feature, features use ``common``, ``runs`` and each other only downwards, and no
feature imports ``shell``. Features reach the window through the small
:class:`~app.ui.common.workspace.Workspace` protocol and signals, never its attributes.

* ``shell`` — the application, the main window (a composition of the features), settings,
  help, autosave, window state, the qasync event loop and the GUI-thread garbage collector.
* ``document`` — the writing surface: the editor, generated spans, colouring, runs in the
  document, the one undo history, the token count, prompt scoring.
* ``parameters`` — the sidebar built from the parameter registry, custom parameters.
* ``runs`` — the run controller (each run's asyncio task, text once per frame).
* ``analysis`` — token details, branches, choices side by side, capabilities, the wire
  inspector.
* ``profiles``, ``presets``, ``history``, ``compare``, ``batch``, ``code`` — one feature
  each (View code and Import curl in ``code``).
* ``common`` — what every feature shares: plain-text labels, wording of core messages,
  message strip, themes, translations, the Workspace protocol.
"""
