"""Running a job: documents in, one manifest line each, claims and errors beside it (see :mod:`claimx.job`)."""

from __future__ import annotations

import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..extractor import Extractor
from ..io import claim_line
from ..readers import InputFailure
from ..types import Claim, Document, DocumentResult, ErrorKind
from .output import JobOutput
from .records import DUPLICATE, INPUT_ERROR, MODEL_ERROR, OK, error_line, manifest_line
from .resume import Resumed, text_hash
from .summary import JobSummary

ClaimFilter = Callable[[Claim], bool]
Processor = Callable[[Iterable[Document]], Iterable[DocumentResult]]


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
        hashes: dict[str, str] = {}
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
                    _check_unchanged(item, state, output)
                    summary.already_done += 1
                    continue
                summary.documents += 1
                if isinstance(item, InputFailure):
                    record = manifest_line(item.id, item.source, INPUT_ERROR, error=item.reason)
                    output.write(record, error=_failed(record, summary))
                    continue
                in_flight.add(item.id)
                hashes[item.id] = text_hash(item.text)
                yield item

        for result in _progress(process(documents()), quiet):
            source = first_source.get(result.doc_id) or _source(result)
            _write_result(result, source, output, summary, keep, hashes.pop(result.doc_id, None))
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


def _failed(record: dict[str, Any], summary: JobSummary) -> dict[str, Any]:
    """The errors-file line of a failed document (and its place in the summary)."""
    summary.failed.append((record["id"], record["error"]))
    return error_line(record)


def _duplicate(item: Document | InputFailure, first: str, summary: JobSummary) -> tuple[dict[str, Any], dict[str, Any]]:
    source = _source(item)
    reason = f"duplicate document id {item.id!r}: an earlier document ({first or 'unknown source'}) has it"
    if source != first and Path(source).suffix == ".txt":
        reason += "; pass --id-from path to use file paths as ids"
    record = manifest_line(item.id, source, DUPLICATE, error=reason)
    return record, _failed(record, summary)


def _check_unchanged(item: Document | InputFailure, state: Resumed, output: JobOutput) -> None:
    """Refuse to resume where an earlier run's record of ``item``'s id no longer fits it.

    Another source first (a new input sorted before the one done) would make a fresh run
    keep this one and list the other as its duplicate; a changed text would leave claims
    whose spans no longer index it. Either way the output cannot be resumed as it is.
    """
    before, source = state.done[item.id], _source(item)
    if before and before != source and os.path.realpath(before) != os.path.realpath(source):
        raise OutputError(
            f"document id {item.id!r} now comes first from {source or 'an unnamed source'}, but an earlier run "
            f"on {output.path} did it from {before or 'an unnamed source'}; give the inputs in their earlier "
            "order (new ones last), pass --restart to start afresh, or choose another -o"
        )
    stored = state.hashes.get(item.id)
    if stored and isinstance(item, Document) and text_hash(item.text) != stored:
        raise OutputError(
            f"document {item.id!r} ({source or 'no source'}) changed since an earlier run on {output.path} "
            "recorded it; pass --restart to redo the output, or give the edited text another id"
        )


def _write_result(
    result: DocumentResult,
    source: str,
    output: JobOutput,
    summary: JobSummary,
    keep: ClaimFilter | None,
    digest: str | None,
) -> None:
    claims = [c for c in result.claims if keep is None or keep(c)]
    error, kind = result.error, result.error_kind
    lines = "".join(map(claim_line, claims))
    if not error:
        try:  # a Python-made Document may still carry text no file can hold
            lines.encode("utf-8")
        except UnicodeEncodeError as e:
            error, kind = f"claims cannot be written as UTF-8: {e.reason}", ErrorKind.INPUT
    status = OK if not error else MODEL_ERROR if kind is ErrorKind.MODEL else INPUT_ERROR
    fields = {**result.to_dict(claims=False), "error_kind": kind.value if error and kind else None}
    del fields["doc_id"], fields["error"]  # the manifest names them id and error (maybe the UTF-8 one)
    record = manifest_line(
        result.doc_id,
        source,
        status,
        error=error,
        claims=0 if error else len(claims),
        **fields,
        **({"text_sha256": digest} if digest else {}),
    )
    if error:
        summary.model_failures += status == MODEL_ERROR
        output.write(record, error=_failed(record, summary))
        return
    summary.claims += len(claims)
    summary.labels.update(c.label.value for c in claims)
    summary.without_claims += not claims
    output.write(record, lines)
