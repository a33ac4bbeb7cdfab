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
are not finished: a re-run retries them (bad input is not retried). A re-run with
another configuration refuses unless told ``restart``, which starts the output afresh.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .config import ExtractorConfig
from .errors import ClaimxError, ConfigError, OutputError
from .extractor import Extractor
from .io import InputFailure, read_claims, write_claims
from .types import Claim, Document, DocumentResult, ErrorKind, Label

logger = logging.getLogger(__name__)

ClaimFilter = Callable[[Claim], bool]
Processor = Callable[[Iterable[Document]], Iterable[DocumentResult]]

OK, INPUT_ERROR, MODEL_ERROR, DUPLICATE = "ok", "input_error", "model_error", "duplicate"
FINISHED = (OK, INPUT_ERROR, DUPLICATE)
"""Statuses a re-run keeps; ``model_error`` documents are tried again."""

SPEED_ONLY = ("threads", "cache_dir", "sentences_per_batch", "documents_per_chunk")
"""Config fields that change how fast claims come, not which: a resume may change them."""


@dataclass
class JobSummary:
    """What a run did.

    Attributes:
        documents: Documents read in this run (not counting ones already done).
        claims: Claims written.
        labels: Claims written per label.
        failed: (document id, reason) of each document sent to the errors file.
        already_done: Documents skipped because an earlier run finished them.
        model_failures: How many of ``failed`` were model failures (a re-run retries them).
        without_claims: Documents processed that gave no claim (all text dropped or filtered).
        seconds: Wall time of the run.
    """

    documents: int = 0
    claims: int = 0
    labels: Counter[str] = field(default_factory=Counter)
    failed: list[tuple[str, str]] = field(default_factory=list)
    already_done: int = 0
    model_failures: int = 0
    without_claims: int = 0
    seconds: float = 0.0

    def format(self, most: int = 10) -> str:
        """A few lines for a person."""
        rate = self.documents / self.seconds if self.seconds else 0.0
        lines = [
            f"documents read: {self.documents} (already done before: {self.already_done})",
            f"claims written: {self.claims} ("
            + ", ".join(f"{label.value}: {self.labels.get(label.value, 0)}" for label in Label)
            + ")",
            f"documents without claims: {self.without_claims}",
        ]
        lines += self.failure_lines(most)
        lines.append(f"time: {self.seconds:.1f} s ({rate:.2f} documents/s)")
        return "\n".join(lines)

    def failure_lines(self, most: int = 10) -> list[str]:
        """How many failed, grouped by reason without its particulars (3,000 bad lines are one line)."""
        lines = [f"documents failed: {len(self.failed)}"]
        groups = Counter(_reason_kind(reason) for _, reason in self.failed).most_common()
        lines += [f"  {n} x {reason}" for reason, n in groups[:most]]
        if len(groups) > most:
            lines.append(f"  ... and {sum(n for _, n in groups[most:])} more, for {len(groups) - most} other reasons")
        if self.model_failures:
            lines.append(f"model failures: {self.model_failures}; a re-run with -o OUT retries them")
        return lines


def _reason_kind(reason: str) -> str:
    """A reason without its particulars (numbers, quoted names), so like failures group."""
    kind = re.sub(r"\d+", "N", re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", reason))
    return kind if len(kind) <= 100 else kind[:99] + "…"


def _json_line(record: dict[str, Any]) -> str:
    line = json.dumps(record, ensure_ascii=False, default=str)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in an id: \\ud83d escapes read back to the same string
        line = json.dumps(record, default=str)
    return line + "\n"


def _records(path: Path) -> list[tuple[str, dict[str, Any] | None]]:
    """Complete lines of a JSONL side file, each with its record (``None``: not one of ours)."""
    if not path.exists():
        return []
    out: list[tuple[str, dict[str, Any] | None]] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True):
        if not line.endswith("\n"):
            continue  # cut short by a crash
        try:
            value = json.loads(line)
        except ValueError:
            value = None
        out.append((line, value if isinstance(value, dict) else None))
    return out


def _rewrite(path: Path, lines: list[str]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        f.write("".join(lines))
        _sync(f)
    os.replace(tmp, path)


def _sync(f: IO[str]) -> None:
    f.flush()
    os.fsync(f.fileno())


@dataclass
class Resumed:
    """What earlier runs finished: ids whose first occurrence is done, and duplicates recorded per id."""

    done: set[str] = field(default_factory=set)
    duplicates: Counter[str] = field(default_factory=Counter)


class JobOutput:
    """The files of one resumable run (see the module docstring).

    ``restart=True`` starts the output afresh instead of resuming it.
    """

    def __init__(self, path: str | Path, *, restart: bool = False) -> None:
        self.path = Path(path)
        if self.path.suffix not in {".jsonl", ".csv", ".parquet"}:
            raise ConfigError(f"output must end in .jsonl, .csv or .parquet, got {self.path.name!r}")
        # Side files are named after the whole output name, so out.jsonl and out.csv never share one.
        self.journal = self.path if self.path.suffix == ".jsonl" else Path(f"{self.path}.journal.jsonl")
        self.errors = Path(f"{self.path}.errors.jsonl")
        self.manifest = Path(f"{self.path}.documents.jsonl")
        self.config_file = Path(f"{self.path}.config.toml")
        self.lock_file = Path(f"{self.path}.lock")
        self.legacy_done = Path(f"{self.path}.done")  # the resume record of claimx before the manifest
        self.restart = restart
        self._lock: Any = None
        self._state: Resumed | None = None
        self._claims: IO[str] | None = None
        self._errors: IO[str] | None = None
        self._manifest: IO[str] | None = None

    def _data_files(self) -> list[Path]:
        return list(dict.fromkeys([self.path, self.journal, self.errors, self.manifest, self.config_file]))

    def files(self) -> list[Path]:
        """Every file a run writes or may leave behind (none of them may be read as input)."""
        data = [*self._data_files(), self.legacy_done]
        return [*data, self.lock_file, *(p.with_name(p.name + ".tmp") for p in data)]

    def open(self, config: ExtractorConfig | None = None) -> Resumed:
        """Lock the output, check ``config`` against the one it was written with, and resume.

        Returns what earlier runs finished; a second call returns the same.
        Raises OutputError when another run holds the output, when it holds claims of
        another configuration, or when it exists but was not written by a claimx run.
        """
        if self._state is not None:
            return self._state
        from filelock import FileLock, Timeout

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = FileLock(str(self.lock_file), timeout=0)
            lock.acquire()
        except Timeout as e:
            raise OutputError(
                f"another claimx run is writing {self.path} (it holds {self.lock_file.name}); "
                "wait for it to finish or choose another -o"
            ) from e
        except OSError as e:
            raise OutputError(f"cannot write beside {self.path}: {e}") from e
        self._lock = lock
        try:
            if self.restart:
                for p in (*self._data_files(), self.legacy_done):
                    p.unlink(missing_ok=True)
                self.restart = False  # once: a later open resumes what this run wrote
            self._refuse_foreign()
            state, kept = self._recover()
            if config is not None:
                self._check_config(config, finished=kept)
            self._claims = self.journal.open("a", encoding="utf-8")
            self._errors = self.errors.open("a", encoding="utf-8")
            self._manifest = self.manifest.open("a", encoding="utf-8")
        except BaseException:
            self.close()
            raise
        self._state = state
        return state

    def _refuse_foreign(self) -> None:
        if self.manifest.exists():
            return
        found = [p for p in (self.path, self.journal, self.errors, self.legacy_done) if _nonempty(p)]
        if found:
            older = " (or by a claimx older than the manifest)" if self.legacy_done.exists() else ""
            raise OutputError(
                f"{found[0]} exists but was not written by a resumable claimx run{older}: "
                f"there is no {self.manifest.name}; pass --restart to replace it, or choose another -o"
            )

    def _recover(self) -> tuple[Resumed, int]:
        """Drop records of unfinished documents (and of model failures, to retry them)."""
        state = Resumed()
        manifest: list[str] = []
        with_claims: set[str] = set()
        with_error: Counter[tuple[str, str]] = Counter()
        for line, record in _records(self.manifest):
            if record is None or record.get("status") not in FINISHED:
                continue
            doc_id, status = str(record.get("id")), record["status"]
            manifest.append(line)
            if status == DUPLICATE:
                state.duplicates[doc_id] += 1
            else:
                state.done.add(doc_id)
            if status == OK:
                with_claims.add(doc_id)
            else:
                with_error[(doc_id, status)] += 1
        claims = [line for line, r in _records(self.journal) if r is not None and str(r.get("doc_id")) in with_claims]
        errors = []
        for line, r in _records(self.errors):
            key = (str((r or {}).get("doc_id")), str((r or {}).get("status")))
            if with_error[key] > 0:
                with_error[key] -= 1
                errors.append(line)
        for path, lines in ((self.journal, claims), (self.errors, errors), (self.manifest, manifest)):
            # Kept lines are a subsequence of the file's: the same size means nothing to drop.
            if path.exists() and path.stat().st_size != sum(len(line.encode("utf-8")) for line in lines):
                logger.info("resuming %s: keeping %d records of finished documents", path, len(lines))
                _rewrite(path, lines)
        return state, len(manifest)

    def _check_config(self, config: ExtractorConfig, finished: int) -> None:
        if finished and self.config_file.exists():
            try:
                stored = ExtractorConfig.from_file(self.config_file).to_dict()
            except ClaimxError as e:
                raise OutputError(f"{e}; pass --restart to start {self.path} afresh") from e
            changes = _differences(stored, config.to_dict())
            if changes:
                raise OutputError(
                    f"{self.path} holds claims made with another configuration ({'; '.join(changes)}); "
                    f"re-run with the options it was started with (see {self.config_file.name}), "
                    "pass --restart to start it afresh, or choose another -o"
                )
            return
        tmp = self.config_file.with_name(self.config_file.name + ".tmp")
        config.save(tmp)
        os.replace(tmp, self.config_file)

    def write(self, record: dict[str, Any], claims: Iterable[Claim] = (), error: dict[str, Any] | None = None) -> None:
        """Write one document's claims and error record, then its manifest line (in that order).

        Claims reach the disk (fsync) before the manifest line is written. The manifest
        line carries the error too, so the errors file (a view for people) and the
        manifest line itself need only reach the OS: a killed process loses nothing, and
        a manifest line lost in a power cut only means the document is done again.
        """
        assert self._claims and self._errors and self._manifest, "call open() first"
        text = "".join(json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in claims)
        if text:
            self._claims.write(text)
            _sync(self._claims)
        if error is not None:
            self._errors.write(_json_line(error))
            self._errors.flush()
        self._manifest.write(_json_line(record))
        self._manifest.flush()

    def close(self) -> None:
        """Close the files and release the lock (a later open resumes)."""
        for f in (self._claims, self._errors, self._manifest):
            if f is not None:
                f.close()
        self._claims = self._errors = self._manifest = None
        self._state = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def finish(self) -> None:
        """Write the CSV/Parquet table from the journal (atomically), then close."""
        try:
            if self.journal != self.path:
                tmp = self.path.with_name(f".{self.path.stem}.tmp{self.path.suffix}")
                write_claims(read_claims(self.journal), tmp)
                os.replace(tmp, self.path)
        finally:
            self.close()


def _nonempty(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        return {k: v for key, value in data.items() for k, v in _flatten(value, f"{prefix}{key}.").items()}
    return {prefix[:-1]: data}


def _differences(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """``field: old -> new`` for every field that shapes claims and differs."""
    old, new = _flatten(before), _flatten(now)
    out = []
    for key in sorted(set(old) | set(new)):
        if key.split(".")[0] in SPEED_ONLY or old.get(key) == new.get(key):
            continue
        shown = [_short(d[key]) if key in d else "(default)" for d in (old, new)]
        out.append(f"{key}: {shown[0]} -> {shown[1]}")
    return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _progress(iterable: Iterable[Any], quiet: bool) -> Iterable[Any]:
    if quiet or not sys.stderr.isatty():
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, unit="doc", file=sys.stderr, desc="claimx")


def _source(item: Document | InputFailure | DocumentResult) -> str:
    if isinstance(item, InputFailure):
        return item.source
    return str(item.metadata.get("source", "") or "")


def run_job(
    extractor: Extractor | Processor,
    inputs: Iterable[Document | InputFailure],
    output: JobOutput,
    *,
    keep: ClaimFilter | None = None,
    quiet: bool = False,
) -> JobSummary:
    """Process ``inputs`` into ``output``, skipping documents an earlier run finished.

    ``extractor`` is an :class:`Extractor` (its config is written beside the output and
    checked on resume) or any function from documents to one :class:`DocumentResult`
    each, in any order (e.g. :func:`claimx.scale.ray.processor`). The second and later
    documents with one id are recorded as duplicates, each after the first is written,
    so a crash never marks an id done before its claims are on disk.
    """
    process: Processor = extractor.process if isinstance(extractor, Extractor) else extractor
    started = time.perf_counter()
    summary = JobSummary()
    try:
        state = output.open(extractor.config if isinstance(extractor, Extractor) else None)
        seen: Counter[str] = Counter()
        first_source: dict[str, str] = {}
        in_flight: set[str] = set()
        waiting: defaultdict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)

        def documents() -> Iterator[Document]:
            for item in inputs:
                seen[item.id] += 1
                if seen[item.id] > 1:
                    if seen[item.id] - 1 <= state.duplicates[item.id]:
                        summary.already_done += 1
                        continue
                    summary.documents += 1
                    record, error = _duplicate(item, first_source[item.id], summary)
                    if item.id in in_flight:  # written once the first is, never before
                        waiting[item.id].append((record, error))
                    else:
                        output.write(record, error=error)
                    continue
                first_source[item.id] = _source(item)
                if item.id in state.done:
                    summary.already_done += 1
                    continue
                summary.documents += 1
                if isinstance(item, InputFailure):
                    record = _record(item.id, item.source, INPUT_ERROR, error=item.reason)
                    output.write(record, error=_error_record(record, summary))
                    continue
                in_flight.add(item.id)
                yield item

        for result in _progress(process(documents()), quiet):
            _write_result(result, output, summary, keep)
            in_flight.discard(result.doc_id)
            for record, error in waiting.pop(result.doc_id, ()):
                output.write(record, error=error)
        for record, error in (r for pending in waiting.values() for r in pending):
            output.write(record, error=error)
        output.finish()
    finally:
        summary.seconds = time.perf_counter() - started
        output.close()
    return summary


def _record(doc_id: str, source: str, status: str, *, error: str = "", **fields: Any) -> dict[str, Any]:
    """The one shape of a manifest line."""
    record: dict[str, Any] = {"id": doc_id, "source": source, "status": status, "claims": 0}
    record.update({"dropped": [], "warnings": [], "error": error, "metadata": {}})
    record.update(fields)
    date = record["metadata"].get("date")
    if date is not None:
        record["date"] = date
    return record


def _error_record(record: dict[str, Any], summary: JobSummary) -> dict[str, Any]:
    """The errors-file line of a failed document (and its place in the summary)."""
    summary.failed.append((record["id"], record["error"]))
    return {
        "doc_id": record["id"],
        "reason": record["error"],
        **{k: record[k] for k in ("source", "status", "warnings")},
    }


def _duplicate(item: Document | InputFailure, first: str, summary: JobSummary) -> tuple[dict[str, Any], dict[str, Any]]:
    source = _source(item)
    reason = f"duplicate document id {item.id!r}: an earlier document ({first or 'unknown source'}) has it"
    if source != first and Path(source).suffix == ".txt":
        reason += "; pass --id-from path to use file paths as ids"
    record = _record(item.id, source, DUPLICATE, error=reason)
    return record, _error_record(record, summary)


def _write_result(result: DocumentResult, output: JobOutput, summary: JobSummary, keep: ClaimFilter | None) -> None:
    claims = [c for c in result.claims if keep is None or keep(c)]
    error, kind = result.error, result.error_kind
    if not error:
        try:  # a Python-made Document may still carry text no file can hold
            "".join(json.dumps(c.to_dict(), ensure_ascii=False) for c in claims).encode("utf-8")
        except UnicodeEncodeError as e:
            error, kind = f"claims cannot be written as UTF-8: {e.reason}", ErrorKind.INPUT
    status = OK if not error else MODEL_ERROR if kind is ErrorKind.MODEL else INPUT_ERROR
    record = _record(
        result.doc_id,
        _source(result),
        status,
        error=error,
        language=result.language,
        claims=0 if error else len(claims),
        dropped=[{"start": s.start, "end": s.end, "reason": s.reason} for s in result.dropped],
        warnings=list(result.warnings),
        metadata=dict(result.metadata),
    )
    if error:
        summary.model_failures += status == MODEL_ERROR
        output.write(record, error=_error_record(record, summary))
        return
    summary.claims += len(claims)
    summary.labels.update(c.label.value for c in claims)
    summary.without_claims += not claims
    output.write(record, claims)
