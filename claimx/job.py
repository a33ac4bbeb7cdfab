"""A resumable batch job: documents in, claims and an errors file out, nothing lost.

Layout for an output path ``OUT`` (say ``claims.jsonl``): claims go to ``OUT``,
documents that could not be processed to ``OUT.errors.jsonl``, and the id of
every finished document to ``OUT.done``. A document is marked done only after its claims are
flushed to disk, so after a crash a re-run drops any claims (and any half-written
line) of unfinished documents and processes those again: no loss, no duplicates.
For ``.csv``/``.parquet`` output the claims are journalled to
``OUT.journal.jsonl`` and the table is written from it at the end.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .errors import ConfigError
from .extractor import Extractor
from .io import InputFailure, read_claims, write_claims
from .types import Claim, Document, DocumentResult, ErrorKind, Label

logger = logging.getLogger(__name__)

ClaimFilter = Callable[[Claim], bool]


@dataclass
class JobSummary:
    """What a run did.

    Attributes:
        documents: Documents read in this run (not counting ones already done).
        claims: Claims written.
        labels: Claims written per label.
        failed: (document id, reason) of each document sent to the errors file.
        already_done: Documents skipped because an earlier run finished them.
        model_failures: How many of ``failed`` were model failures (not bad input).
        seconds: Wall time of the run.
    """

    documents: int = 0
    claims: int = 0
    labels: Counter[str] = field(default_factory=Counter)
    failed: list[tuple[str, str]] = field(default_factory=list)
    already_done: int = 0
    model_failures: int = 0
    seconds: float = 0.0

    def format(self) -> str:
        rate = self.documents / self.seconds if self.seconds else 0.0
        lines = [
            f"documents read: {self.documents} (already done before: {self.already_done})",
            f"claims written: {self.claims} ("
            + ", ".join(f"{label.value}: {self.labels.get(label.value, 0)}" for label in Label)
            + ")",
            f"documents failed: {len(self.failed)}",
        ]
        reasons = Counter(reason.split(":")[0] for _, reason in self.failed)
        lines += [f"  {n} x {reason}" for reason, n in reasons.most_common()]
        lines.append(f"time: {self.seconds:.1f} s ({rate:.2f} documents/s)")
        return "\n".join(lines)


def _complete_lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return [line for line in lines if line.endswith("\n")]


def _rewrite(path: Path, lines: list[str]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(lines), encoding="utf-8")
    os.replace(tmp, path)


def _load_id(line: str) -> str | None:
    try:
        return str(json.loads(line))
    except ValueError:  # not a record this module wrote: treat the document as not done
        return None


def _doc_id_of(line: str) -> str | None:
    try:
        value = json.loads(line).get("doc_id")
    except (ValueError, AttributeError):
        return None
    return None if value is None else str(value)


class JobOutput:
    """The files of one resumable run (see the module docstring)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.suffix not in {".jsonl", ".csv", ".parquet"}:
            raise ConfigError(f"output must end in .jsonl, .csv or .parquet, got {self.path.name!r}")
        # Side files are named after the whole output name, so out.jsonl and out.csv never share one.
        self.journal = self.path if self.path.suffix == ".jsonl" else Path(f"{self.path}.journal.jsonl")
        self.errors = Path(f"{self.path}.errors.jsonl")
        self.done_file = Path(f"{self.path}.done")
        self._claims: IO[str] | None = None
        self._errors: IO[str] | None = None
        self._done: IO[str] | None = None

    def resume(self) -> set[str]:
        """Open for appending; return ids already finished, after dropping unfinished records."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        done_lines = _complete_lines(self.done_file)
        done = {doc_id for doc_id in map(_load_id, done_lines) if doc_id is not None}
        for path in (self.journal, self.errors):
            if path.exists():
                lines = _complete_lines(path)
                kept = [line for line in lines if _doc_id_of(line) in done]
                if kept != lines or path.stat().st_size != sum(len(x.encode("utf-8")) for x in lines):
                    logger.info("dropping %d unfinished records from %s", len(lines) - len(kept), path)
                    _rewrite(path, kept)
        if self.done_file.exists():
            _rewrite(self.done_file, done_lines)
        self._claims = self.journal.open("a", encoding="utf-8")
        self._errors = self.errors.open("a", encoding="utf-8")
        self._done = self.done_file.open("a", encoding="utf-8")
        return done

    def write(self, doc_id: str, claims: Iterable[Claim], error: dict[str, Any] | None) -> None:
        """Write one document's records, then mark it done (in that order)."""
        assert self._claims and self._errors and self._done, "call resume() first"
        text = "".join(json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in claims)
        if text:
            self._claims.write(text)
            _sync(self._claims)
        if error is not None:
            self._errors.write(json.dumps(error, ensure_ascii=False) + "\n")
            _sync(self._errors)
        self._done.write(json.dumps(doc_id, ensure_ascii=False) + "\n")  # ids may hold newlines
        _sync(self._done)

    def close(self) -> None:
        for f in (self._claims, self._errors, self._done):
            if f is not None:
                f.close()
        self._claims = self._errors = self._done = None

    def finish(self) -> None:
        """Close, and write the CSV/Parquet table from the journal."""
        self.close()
        if self.journal != self.path:
            write_claims(read_claims(self.journal), self.path)


def _sync(f: IO[str]) -> None:
    f.flush()
    os.fsync(f.fileno())


def _progress(iterable: Iterable[Any], quiet: bool) -> Iterable[Any]:
    if quiet or not sys.stderr.isatty():
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, unit="doc", file=sys.stderr, desc="claimx")


Processor = Callable[[Iterable[Document]], Iterable[DocumentResult]]


def run_job(
    extractor: Extractor | Processor,
    inputs: Iterable[Document | InputFailure],
    output: JobOutput,
    *,
    keep: ClaimFilter | None = None,
    quiet: bool = False,
) -> JobSummary:
    """Process ``inputs`` into ``output``, skipping documents an earlier run finished.

    ``extractor`` is an :class:`Extractor` or any function from documents to one
    :class:`DocumentResult` each, in any order (e.g. :func:`claimx.ray.processor`).
    """
    process = extractor.process if isinstance(extractor, Extractor) else extractor
    started = time.perf_counter()
    summary = JobSummary()
    done = output.resume()
    seen: set[str] = set()

    def documents() -> Iterator[Document]:
        for item in inputs:
            if item.id in done:
                summary.already_done += 1
                continue
            summary.documents += 1
            if isinstance(item, InputFailure):
                _fail(output, summary, item.id, item.source, item.reason)
                continue
            if item.id in seen:
                reason = "duplicate document id (an earlier document has the same id)"
                _fail(output, summary, item.id, item.metadata.get("source", ""), reason)
                continue
            seen.add(item.id)
            yield item

    try:
        for result in _progress(process(documents()), quiet):
            _write_result(result, output, summary, keep)
    finally:
        summary.seconds = time.perf_counter() - started
        output.close()
    output.finish()
    return summary


def _fail(
    output: JobOutput, summary: JobSummary, doc_id: str, source: str, reason: str, warnings: Iterable[str] = ()
) -> None:
    """Record one document in the errors file and the summary (the one shape of an error record)."""
    output.write(doc_id, (), {"doc_id": doc_id, "source": source, "reason": reason, "warnings": list(warnings)})
    summary.failed.append((doc_id, reason))


def _write_result(result: DocumentResult, output: JobOutput, summary: JobSummary, keep: ClaimFilter | None) -> None:
    if result.error:
        summary.model_failures += result.error_kind is ErrorKind.MODEL
        source = result.metadata.get("source", "")
        _fail(output, summary, result.doc_id, source, result.error, result.warnings)
        return
    claims = [c for c in result.claims if keep is None or keep(c)]
    summary.claims += len(claims)
    summary.labels.update(c.label.value for c in claims)
    output.write(result.doc_id, claims, None)
