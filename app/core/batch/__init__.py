"""Batch runs: one prompt template over a data set, against up to four variants, with cost.

The pieces (each module documents its part):

* :mod:`~app.core.batch.data` — :func:`load_data` reads CSV, TSV or JSON Lines into a
  :class:`DataSet` (columns, rows of text values); problems raise :class:`DataError`.
* :mod:`~app.core.batch.template` — ``{{column}}`` placeholders in the prompt and the
  suffix: :func:`placeholders`, :func:`render`, :func:`check_template`.
* :mod:`~app.core.batch.spec` — :class:`BatchSpec`: template, parameters, variants
  (:class:`~app.core.compare.CompareTarget`), data file, expected column and match mode,
  log-likelihood scoring, concurrency. :meth:`BatchSpec.check` lists errors and notes
  before anything is sent; :func:`read_batch_file` / :func:`write_batch_file` keep it as
  a JSON file (``kind`` ``"completion-playground/batch"``; reading raises only
  :class:`BatchFileError`).
* :mod:`~app.core.batch.runner` — :class:`BatchRun`, the cells and their run.
* :mod:`~app.core.batch.cost` — tokens (server's, counted or estimated) and prices.
* :mod:`~app.core.batch.scoring` — pass/fail (exact, contains, regex) and the expected
  text's log-likelihood.
* :mod:`~app.core.batch.export` — results as JSON Lines or CSV, written atomically.

A front end drives a batch like this (the window from its qasync loop, the CLI from
``asyncio.run``)::

    spec = BatchSpec(prompt="Q: {{question}}\\nA:", parameters={"max_tokens": 16},
                     variants=[CompareTarget("Local model", "SmolLM2-135M-Instruct")],
                     expected_column="answer", match="contains", concurrency=4)
    data = load_data("questions.csv")                 # DataError
    check = spec.check(data)                          # show check.errors / check.notes
    batch = BatchRun(spec, data)                      # BatchInputError if check has errors
    task = asyncio.ensure_future(batch.run(
        runner,                                       # app.core.runs.Runner (history)
        {p.name: p for p in profiles},                # or a function name -> Profile
        on_cell=table.update_cell,                    # BatchCell, on every state change
        on_progress=status.show,                      # BatchProgress
    ))
    batch.stop()                                      # Stop: finished cells are kept
    await task                                        # returns the final BatchProgress
    await batch.run(runner, profiles)                 # Resume: only what is left
    batch.summary()                                   # [VariantSummary] per variant
    export_csv(batch, "results.csv"); export_jsonl(batch, "results.jsonl")

``batch.cells`` is row-major (``batch.cell(row, variant)``); a :class:`BatchCell` has
``state`` (``pending``, ``running``, ``waiting`` after a 429, ``ok``, ``failed``), the
rendered ``prompt`` and ``request``, the ``outcome`` (:class:`~app.core.runs.RunOutcome`:
result, history record id), ``text``, ``finish_reason``, ``usage``, ``tokens``
(:class:`CellTokens`, ``estimated`` when not the server's), ``latency``, ``error`` (a
:class:`~app.core.messages.Message`), ``cost`` and ``currency``, ``passed`` and
``loglik``. :class:`BatchProgress` has ``done``/``total``, ``failed``, ``running``,
``retrying``, ``rows_per_second``, ``eta`` and ``stopped``. Every cell's request is
recorded in the history through the Runner with ``group_id`` = ``batch.batch_id``.
"""

from __future__ import annotations

from app.core.batch.cost import CellTokens, Prices, tokens_for
from app.core.batch.data import FORMATS, DataError, DataSet, format_for, load_data, parse_data
from app.core.batch.export import cell_record, export_csv, export_jsonl, jsonl_text
from app.core.batch.runner import (
    FAILED,
    OK,
    PENDING,
    RUNNING,
    WAITING,
    BatchCell,
    BatchInputError,
    BatchProgress,
    BatchRun,
    VariantSummary,
    new_batch_id,
)
from app.core.batch.scoring import MATCH_MODES, Loglik, check_match, expected_loglik
from app.core.batch.spec import (
    BATCH_KIND,
    MAX_CONCURRENCY,
    MAX_VARIANTS,
    BatchCheck,
    BatchFileError,
    BatchSpec,
    read_batch_file,
    write_batch_file,
)
from app.core.batch.template import check_template, placeholders, render

__all__ = [
    "BATCH_KIND",
    "FAILED",
    "FORMATS",
    "MATCH_MODES",
    "MAX_CONCURRENCY",
    "MAX_VARIANTS",
    "OK",
    "PENDING",
    "RUNNING",
    "WAITING",
    "BatchCell",
    "BatchCheck",
    "BatchFileError",
    "BatchInputError",
    "BatchProgress",
    "BatchRun",
    "BatchSpec",
    "CellTokens",
    "DataError",
    "DataSet",
    "Loglik",
    "Prices",
    "VariantSummary",
    "cell_record",
    "check_match",
    "check_template",
    "expected_loglik",
    "export_csv",
    "export_jsonl",
    "format_for",
    "jsonl_text",
    "load_data",
    "new_batch_id",
    "parse_data",
    "placeholders",
    "read_batch_file",
    "render",
    "tokens_for",
    "write_batch_file",
]
