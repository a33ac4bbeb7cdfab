"""``claimx extract``: documents in; claims as a table, as JSONL on stdout, or into a resumable ``-o OUT``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from ..types import Label
from .options import config_from_args

if TYPE_CHECKING:
    from ..config import ExtractorConfig
    from ..extractor import Extractor
    from ..job import JobOutput
    from ..readers import InputFailure
    from ..types import Claim, Document, DocumentResult

EXAMPLES = """examples:
  claimx extract fixtures/seeds                        print a table of claims
  claimx extract news/ --glob "*.txt" -o claims.jsonl  resumable: run it again after a kill
  claimx extract a.jsonl b.txt -o claims.parquet --only russian_gain russian_loss
  cat docs.jsonl | claimx extract - -o -               JSONL in, JSONL out
  claimx extract my_dataset/ --text-column body --id-column url -o out.csv
  claimx extract 2024/ 2025/ --id-from path -o claims.jsonl   equal file names in two folders

beside -o OUT: OUT.documents.jsonl (one line per input document: status, claims,
dropped text, warnings, error), OUT.errors.jsonl (failed documents), OUT.config.toml
(the configuration, and --only/--min-score/--id-from; a resume with others refuses
unless --restart), OUT.lock.

exit status: 0 when every document was processed or recorded as failed input,
1 when a model failed on some documents (a re-run with -o OUT retries them),
2 on bad arguments, unreadable paths, refused pickled weights, or an output in use,
unwritable or made with other options (see OUT.config.toml), 130 when interrupted (Ctrl-C).
"""

Inputs = Iterable["Document | InputFailure"]
Keep = Callable[["Claim"], bool]


def _label_name(text: str) -> str:
    from ..labels import parse_label

    try:
        return parse_label(text, "--only").value
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e).removeprefix("--only: ")) from None


def add_arguments(ex: argparse.ArgumentParser) -> None:
    """The arguments of ``claimx extract`` (besides the model options) on ``ex``."""
    ex.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help=".txt files, folders, .jsonl files, saved datasets or .parquet/.csv/.arrow files; - for JSONL on stdin",
    )
    ex.add_argument(
        "-o", "--output", help="OUT.jsonl, OUT.csv, OUT.parquet, or - for JSONL on stdout; default: a table on stdout"
    )
    ex.add_argument(
        "--restart",
        action="store_true",
        help="start -o OUT afresh (its claims and records are deleted) instead of resuming it",
    )
    ex.add_argument("--glob", default="*.txt", help="files to take from folders (default: *.txt)")
    ex.add_argument(
        "--id-from",
        choices=["stem", "path"],
        default="stem",
        help="id of a .txt file: its stem (report) or its path (news/2024/report.txt); default: stem",
    )
    ex.add_argument("--text-column", default="text", help="text field of JSONL records and datasets")
    ex.add_argument("--id-column", default="id", help="id field of JSONL records and datasets")
    ex.add_argument("--min-score", type=float, default=0.0, help="write only claims whose label score is at least this")
    ex.add_argument(
        "--only",
        nargs="+",
        metavar="LABEL",
        type=_label_name,
        help="write only claims with these labels: gain, loss, neutral (or russian_gain, russian_loss)",
    )
    ex.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    ex.add_argument(
        "--ray",
        nargs="?",
        const="",
        metavar="ADDRESS",
        help="run on a Ray cluster (local when no address); needs -o OUT and pip install 'claimx[ray]'",
    )
    ex.add_argument("--ray-actors", type=int, default=2, help="Ray actors, each loading the models once (default: 2)")
    ex.add_argument("--ray-cpus", type=float, default=1, help="CPUs per Ray actor; sets its torch threads (default: 1)")
    ex.add_argument("--ray-gpus", type=float, default=0, help="GPUs per Ray actor (default: 0)")


def run(args: argparse.Namespace) -> int:
    from ..extractor import Extractor
    from ..inputs import iter_inputs, quiet_progress_bars
    from ..job import JobOutput

    # Every argument is checked before a file is read, an output touched or a model loaded.
    config = config_from_args(args)
    to_file = args.output not in (None, "-")
    if args.ray is not None and not to_file:
        raise ConfigError("--ray needs -o OUT (.jsonl, .csv or .parquet)")
    if args.restart and not to_file:
        raise ConfigError("--restart needs -o OUT: there is nothing to start afresh on stdout")
    if args.quiet:
        quiet_progress_bars()
    output = JobOutput(args.output, restart=args.restart, settings=job_settings(args)) if to_file else None
    inputs = iter_inputs(
        args.inputs,
        glob=args.glob,
        text_column=args.text_column,
        id_column=args.id_column,
        id_from=args.id_from,
        exclude=output.files() if output else (),
    )
    first = next(inputs, None)  # checks the paths (iter_inputs' check_inputs) before the output is opened
    if first is None:
        raise ConfigError(f"no input documents found in {' '.join(args.inputs)} (--glob {args.glob!r})")
    only = set(args.only or ())

    def keep(claim: Claim) -> bool:
        return claim.score >= args.min_score and (not only or claim.label.value in only)

    extractor = Extractor.from_config(config) if args.ray is None else None
    try:
        if output is None:
            assert extractor is not None
            return _to_stdout(args, extractor, _prepend(first, inputs), keep)
        return _to_output(args, config, extractor, _prepend(first, inputs), keep, output)
    finally:
        if extractor is not None:
            extractor.close()


def job_settings(args: argparse.Namespace) -> dict[str, Any]:
    """What ``-o OUT`` holds besides the extractor's making: checked on resume like the config."""
    labels = [label.value for label in Label]
    return {"only": sorted(args.only or labels), "min_score": float(args.min_score), "id_from": args.id_from}


def _prepend(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def _to_stdout(args: argparse.Namespace, extractor: Extractor, inputs: Inputs, keep: Keep) -> int:
    """A table, or JSONL with ``-o -``; the first few failures on stderr, all in the summary."""
    from ..job import JobSummary
    from ..readers import InputFailure
    from ..types import ErrorKind

    summary = JobSummary()

    def failed(doc_id: str, reason: str) -> None:
        summary.failed.append((doc_id, reason))
        if not args.quiet and len(summary.failed) <= 10:
            print(f"claimx: failed {doc_id}: {reason}", file=sys.stderr)

    first: dict[str, str] = {}

    def documents() -> Iterator[Document]:
        for item in inputs:
            summary.documents += 1
            source = str(item.source if isinstance(item, InputFailure) else item.metadata.get("source", ""))
            if item.id in first:  # as with -o OUT: the first document of an id is the one kept
                failed(item.id, f"duplicate document id {item.id!r}: an earlier document ({first[item.id]}) has it")
                continue
            first[item.id] = source or "unknown source"
            if isinstance(item, InputFailure):
                failed(item.id, item.reason)
            else:
                yield item

    def results() -> Iterator[DocumentResult]:
        for r in extractor.process(documents()):
            if r.error:
                summary.model_failures += r.error_kind is ErrorKind.MODEL
                failed(r.doc_id, r.error)
            yield r

    if args.output == "-":
        from ..io import write_jsonl

        for r in _filtered(results(), keep):
            write_jsonl(r.claims, sys.stdout)
            sys.stdout.flush()
    else:
        _print_table(_filtered(results(), keep), sys.stdout)
    if summary.failed and not args.quiet:
        print("\n".join(summary.failure_lines()), file=sys.stderr)
    return 1 if summary.model_failures else 0


def _to_output(
    args: argparse.Namespace,
    config: ExtractorConfig,
    extractor: Extractor | None,
    inputs: Inputs,
    keep: Keep,
    output: JobOutput,
) -> int:
    """The resumable job into ``-o OUT``, here or (``extractor`` None) on Ray."""
    output.open(config)  # lock, resume, refuse a changed configuration: before any model loads
    try:
        if extractor is not None:
            return _run_job(args, extractor, inputs, keep, output)
        from ..scale.ray import processor

        runner = processor(
            address=args.ray or None,
            concurrency=args.ray_actors,
            num_cpus=args.ray_cpus,
            num_gpus=args.ray_gpus or None,
            documents_per_call=config.documents_per_chunk,
            config=config,
        )
        return _run_job(args, runner, inputs, keep, output)
    finally:
        output.close()


def _run_job(args: argparse.Namespace, processor, inputs, keep, output) -> int:  # type: ignore[no-untyped-def]
    from ..job import run_job

    summary = run_job(processor, inputs, output, keep=keep, quiet=args.quiet)
    if not args.quiet:
        print(summary.format(), file=sys.stderr)
        print(f"every document's outcome is listed in {output.manifest}", file=sys.stderr)
        if summary.failed:
            print(f"failed documents, with reasons, in {output.errors}", file=sys.stderr)
    return 1 if summary.model_failures else 0


def _filtered(results: Iterable[DocumentResult], keep: Keep) -> Iterator[DocumentResult]:
    from dataclasses import replace

    for r in results:
        yield replace(r, claims=tuple(c for c in r.claims if keep(c)))


def _print_table(results: Iterable[DocumentResult], out: Any) -> int:
    n = 0
    for r in results:
        status = f"  ERROR: {r.error}" if r.error else ""
        out.write(f"\n== {r.doc_id} [{r.language}] {len(r.claims)} claims{status}\n")
        for w in r.warnings:
            out.write(f"   warning: {w}\n")
        for c in r.claims:
            text = c.text if c.text_en == c.text else f"{c.text_en}  <- {c.text}"
            out.write(f"{c.sentence_index:>4} {c.label.value:<13} {c.score:.2f}  {text}\n")
            n += 1
    return n
