"""``python -m app``: same as the ``completion-playground`` command."""

from app.main import main

raise SystemExit(main())
