"""Batch: one prompt template over a data set, against up to four variants, with cost.

:mod:`~app.ui.batch.batch_window` is the (non-modal) window, Run ▸ Batch…;
:mod:`~app.ui.batch.models` holds its table models (the data preview, the results and
their sort/filter proxy); :mod:`~app.ui.batch.variants` one variant's row. The batch itself
(data files, templates, the run, cost, export, batch files) is :mod:`app.core.batch`.
"""
