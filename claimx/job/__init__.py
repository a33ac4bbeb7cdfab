"""A resumable batch job: documents in; claims, a manifest and an errors file out; nothing lost.

Files beside an output ``OUT`` (say ``claims.jsonl``):

* ``OUT``: the claims (``.csv``/``.parquet``: journalled to ``OUT.journal.jsonl``, the table written at the end);
* ``OUT.documents.jsonl``: the manifest, one line per input document (``id``, ``source``,
  ``status`` ok | input_error | model_error | duplicate, ``claims``, ``dropped``, ``warnings``,
  ``error``, ``metadata`` and ``date``), which is also the resume record;
* ``OUT.errors.jsonl``: one line per document without a result, with the reason;
* ``OUT.config.toml``: the configuration the claims came from;
* ``OUT.lock``: held while a run writes, so a second run on the same output refuses.

A document's manifest line is written only after its claims and error record are
flushed to disk, so after a crash a re-run drops the records of documents without
one and processes those again: no loss, no duplicates. Documents a model failed on
are not finished: a re-run retries them (bad input is not retried), and their records
stay until it does. A document is done only while the claims file holds its claims. A
re-run refuses unless told ``restart`` (which starts the output afresh) when the
configuration or the job's ``settings`` changed, when a done document's text changed
(its hash is in the manifest), or when a done id now first comes from another source.

Layout: ``output`` (:class:`JobOutput`: the files of one run, lock, configuration
check, resume), ``records`` (statuses, the shape of a manifest and an errors line,
JSONL side files read and rewritten safely), ``resume`` (what a re-run keeps), ``run`` (:func:`run_job`: documents in,
one manifest line each, duplicates held back until the first is written),
``summary`` (:class:`JobSummary`: what a run did, for a person).
"""

from __future__ import annotations

from .output import JobOutput, Resumed
from .run import run_job
from .summary import JobSummary

__all__ = ["JobOutput", "JobSummary", "Resumed", "run_job"]
