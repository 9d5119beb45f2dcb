"""PyInstaller's entry script: the same ``main`` as the ``completion-playground`` command.

The frozen executable also serves as the local model's server process
(``completion-playground --local-model-host …``, see app.main.LOCAL_MODEL_HOST).
"""

from app.main import main

raise SystemExit(main())
