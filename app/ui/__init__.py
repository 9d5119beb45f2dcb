"""Qt front end: widgets, Qt models and the run controller. Calls into :mod:`app.core`."""
