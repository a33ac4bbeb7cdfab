"""The ``claimx`` command: ``extract`` over many files, ``eval`` against a gold file."""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .config import ExtractorConfig
from .errors import ClaimxError, ConfigError

EXTRACT_EXAMPLES = """examples:
  claimx extract fixtures/seeds                        print a table of claims
  claimx extract news/ --glob "*.txt" -o claims.jsonl  resumable: run it again after a kill
  claimx extract a.jsonl b.txt -o claims.parquet --only russian_gain russian_loss
  cat docs.jsonl | claimx extract - -o -               JSONL in, JSONL out
  claimx extract my_dataset/ --text-column body --id-column url -o out.csv
  claimx extract 2024/ 2025/ --id-from path -o claims.jsonl   equal file names in two folders

beside -o OUT: OUT.documents.jsonl (one line per input document: status, claims,
dropped text, warnings, error), OUT.errors.jsonl (failed documents), OUT.config.toml
(the configuration; a resume with another one refuses unless --restart), OUT.lock.

exit status: 0 when every document was processed or recorded as failed input,
1 when a model failed on some documents (a re-run with -o OUT retries them),
2 on bad arguments, unreadable paths, or an output in use or made with another
configuration, 130 when interrupted (Ctrl-C).
"""

TRAIN_EXAMPLES = """examples:
  claimx train corpus/parts -o my-head       grouped 5-fold CV figures, then a head on every row
"""

EVAL_EXAMPLES = """examples:
  claimx eval fixtures/gold/seeds.tsv --language en
  claimx eval fixtures/gold/seeds.tsv --calibrate
"""


def _model_options() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("models")
    g.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        help="an extractor configuration (.toml or .json, as written beside every -o output); flags override it",
    )
    g.add_argument(
        "--classifier-model",
        metavar="REF",
        help="NLI model (hub id or folder); default: the NLI default if available, else packaged MiniLM",
    )
    g.add_argument(
        "--embedding-model",
        metavar="REF",
        nargs="?",
        const="",
        help="use the embedding classifier (optionally with this encoder) instead of NLI",
    )
    g.add_argument(
        "--translation-model",
        metavar="LANG=REF",
        action="append",
        help="translation model for a source language, e.g. de=Helsinki-NLP/opus-mt-de-en (repeatable)",
    )
    g.add_argument("--device", help="auto, cpu, cuda, mps (default: auto)")
    g.add_argument("--batch-size", type=int, help="sentences per model call (default: 16)")
    g.add_argument("--labels", metavar="TOML", type=Path, help="actor, hypotheses, descriptions, thresholds")
    g.add_argument("--threshold", type=float, help="neutral threshold (overrides the labels file and defaults)")
    g.add_argument(
        "--untranslatable",
        choices=["keep", "skip"],
        help="text with no translation model: classify untranslated (keep) or leave out (skip)",
    )
    g.add_argument("--allow-pickle", action="store_true", default=None, help="accept pickled .bin weights (unsafe)")
    f = p.add_argument_group("speed")
    f.add_argument(
        "--ct2", action="store_true", default=None, help="translate with CTranslate2 int8 (pip install 'claimx[fast]')"
    )
    f.add_argument(
        "--quantize", action="store_true", default=None, help="dynamic int8 quantisation of the NLI model (CPU)"
    )
    f.add_argument(
        "--prefilter",
        type=float,
        metavar="MIN_RELEVANCE",
        help="skip the classifier for sentences less relevant than this (MiniLM; e.g. 0.25)",
    )
    f.add_argument("--cache-dir", type=Path, help="on-disk cache of translations and scores")
    f.add_argument("--threads", type=int, help="torch threads for this process")
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="claimx", description="Claims about Russia's geopolitical position in news.")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    sub = parser.add_subparsers(dest="command", required=True)
    models = _model_options()

    ex = sub.add_parser(
        "extract",
        parents=[models],
        help="extract claims from files",
        epilog=EXTRACT_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
        choices=["russian_gain", "russian_loss", "neutral"],
        help="write only claims with these labels",
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

    ev = sub.add_parser(
        "eval",
        parents=[models],
        help="measure label quality on a gold TSV",
        epilog=EVAL_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ev.add_argument("gold", type=Path, help="TSV with columns doc, label, certainty, text")
    ev.add_argument(
        "--docs", type=Path, help="folder of the gold documents (default: ../<gold stem>/ beside the gold folder)"
    )
    ev.add_argument("--language", nargs="+", metavar="LANG", help="score only documents detected as these languages")
    ev.add_argument(
        "--calibrate", action="store_true", help="search the neutral threshold with the best clear-row macro-F1"
    )
    tr = sub.add_parser(
        "train",
        help="train a stance head on a labelled corpus",
        epilog=TRAIN_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    tr.add_argument("corpus", type=Path, help="TSV (group, language, label, certainty, text) or a folder of them")
    tr.add_argument("-o", "--output", type=Path, required=True, help="folder to write the head to")
    tr.add_argument("--encoder", metavar="REF", help="sentence encoder (default: multilingual-e5-small)")
    tr.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    tr.add_argument("--threads", type=int, help="CPU threads for the encoder")

    rp = sub.add_parser("report", help="write a self-contained HTML report of a claims file")
    from .report import add_arguments as add_report_arguments

    add_report_arguments(rp)
    return parser


def config_from_args(args: argparse.Namespace) -> ExtractorConfig:
    """The extractor configuration the command line describes (the CLI's only say in building one)."""
    from .classify.decision import Decision
    from .labels import read_label_file

    config = ExtractorConfig.from_file(args.config) if args.config else ExtractorConfig()
    changes: dict[str, Any] = {}
    decision = config.decision
    if args.labels:
        labels, decision_keys = read_label_file(args.labels)
        changes["labels"] = labels
        decision = Decision(**{"threshold": decision.threshold, "margin": decision.margin, **decision_keys})
    if args.threshold is not None:
        decision = Decision(args.threshold, decision.margin)
    changes["decision"] = decision
    if args.translation_model:
        translation = dict(config.translation_models)
        for item in args.translation_model:
            lang, sep, ref = item.partition("=")
            if not sep or not lang or not ref:
                raise ConfigError(f"--translation-model wants LANG=REF, got {item!r}")
            translation[lang] = ref
        changes["translation_models"] = translation
    if args.embedding_model is not None:
        changes.update(classifier="embedding", encoder=args.embedding_model or None)
    if args.classifier_model is not None:
        changes.update(classifier_model=args.classifier_model)
    if args.ct2:
        changes["translation_backend"] = "ct2"
    flags = {
        "device": args.device,
        "sentences_per_batch": args.batch_size,
        "untranslatable": args.untranslatable,
        "allow_pickle": args.allow_pickle,
        "quantize": args.quantize,
        "prefilter": args.prefilter,
        "cache_dir": str(args.cache_dir) if args.cache_dir is not None else None,
        "threads": args.threads,
    }
    changes.update({k: v for k, v in flags.items() if v is not None})
    return config.replace(**changes)


def _print_table(results, out) -> int:  # type: ignore[no-untyped-def]
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


def _cmd_extract(args: argparse.Namespace) -> int:
    from .extractor import Extractor
    from .io import InputFailure, check_inputs, iter_inputs, quiet_progress_bars
    from .job import JobOutput, JobSummary
    from .types import ErrorKind

    # Every argument is checked before a file is read, an output touched or a model loaded.
    config = config_from_args(args)
    to_file = args.output not in (None, "-")
    if args.ray is not None and not to_file:
        raise ConfigError("--ray needs -o OUT (.jsonl, .csv or .parquet)")
    if args.restart and not to_file:
        raise ConfigError("--restart needs -o OUT: there is nothing to start afresh on stdout")
    if args.quiet:
        quiet_progress_bars()
    output = JobOutput(args.output, restart=args.restart) if to_file else None
    exclude = output.files() if output else ()
    check_inputs(args.inputs, glob=args.glob, exclude=exclude)
    inputs = iter_inputs(
        args.inputs,
        glob=args.glob,
        text_column=args.text_column,
        id_column=args.id_column,
        id_from=args.id_from,
        exclude=exclude,
    )
    first = next(inputs, None)
    if first is None:
        raise ConfigError(f"no input documents found in {' '.join(args.inputs)} (--glob {args.glob!r})")

    def all_inputs():  # type: ignore[no-untyped-def]
        yield first
        yield from inputs

    only = set(args.only or ())

    def keep(claim) -> bool:  # type: ignore[no-untyped-def]
        return claim.score >= args.min_score and (not only or claim.label.value in only)

    extractor = Extractor.from_config(config) if args.ray is None else None
    if output is None:
        summary = JobSummary()

        def failed(doc_id: str, reason: str) -> None:  # the first few on stderr, all in the summary
            summary.failed.append((doc_id, reason))
            if not args.quiet and len(summary.failed) <= 10:
                print(f"claimx: failed {doc_id}: {reason}", file=sys.stderr)

        def documents():  # type: ignore[no-untyped-def]
            for item in all_inputs():
                summary.documents += 1
                if isinstance(item, InputFailure):
                    failed(item.id, item.reason)
                else:
                    yield item

        def results():  # type: ignore[no-untyped-def]
            for r in extractor.process(documents()):
                if r.error:
                    summary.model_failures += r.error_kind is ErrorKind.MODEL
                    failed(r.doc_id, r.error)
                yield r

        if args.output == "-":
            from .io import write_jsonl

            for r in _filtered(results(), keep):
                write_jsonl(r.claims, sys.stdout)
                sys.stdout.flush()
        else:
            _print_table(_filtered(results(), keep), sys.stdout)
        if summary.failed and not args.quiet:
            print("\n".join(summary.failure_lines()), file=sys.stderr)
        return 1 if summary.model_failures else 0
    output.open(config)  # lock, resume, refuse a changed configuration: before any model loads
    try:
        if extractor is not None:
            return _run_job(args, extractor, all_inputs(), keep, output)
        from .scale.ray import processor

        runner = processor(
            address=args.ray or None,
            concurrency=args.ray_actors,
            num_cpus=args.ray_cpus,
            num_gpus=args.ray_gpus or None,
            documents_per_call=config.documents_per_chunk,
            config=config,
        )
        return _run_job(args, runner, all_inputs(), keep, output)
    finally:
        output.close()


def _run_job(args: argparse.Namespace, processor, inputs, keep, output) -> int:  # type: ignore[no-untyped-def]
    from .job import run_job

    summary = run_job(processor, inputs, output, keep=keep, quiet=args.quiet)
    if not args.quiet:
        print(summary.format(), file=sys.stderr)
        print(f"every document's outcome is listed in {output.manifest}", file=sys.stderr)
        if summary.failed:
            print(f"failed documents, with reasons, in {output.errors}", file=sys.stderr)
    return 1 if summary.model_failures else 0


def _filtered(results, keep):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    for r in results:
        yield replace(r, claims=tuple(c for c in r.claims if keep(c)))


def _cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation import calibrate, evaluate, load_gold
    from .io import InputFailure, iter_inputs

    gold = load_gold(args.gold)
    docs_dir = args.docs or args.gold.resolve().parent.parent / args.gold.stem
    if not docs_dir.is_dir():
        print(f"claimx: error: no document folder {docs_dir}; pass --docs", file=sys.stderr)
        return 2
    from .extractor import Extractor

    extractor = Extractor.from_config(config_from_args(args))
    documents = [d for d in iter_inputs([str(docs_dir)]) if not isinstance(d, InputFailure)]
    results = list(extractor.process(documents))
    if args.language:
        results = [r for r in results if r.language in set(args.language)]
    claims = [c for r in results for c in r.claims]
    ids = [r.doc_id for r in results]
    print(
        f"classifier: {extractor.classifier.model_id}; documents: {len(ids)} "
        f"({', '.join(f'{r.doc_id}:{r.language}' for r in results)})"
    )
    decision = extractor.decision
    languages = {r.doc_id: r.language for r in results}
    report = evaluate(
        claims, gold, threshold=decision.threshold, margin=decision.margin, documents=ids, languages=languages
    )
    print(report.format())
    if args.calibrate:
        best, best_report = calibrate(claims, gold, margin=decision.margin, documents=ids)
        print(
            f"\ncalibrated neutral threshold: {best:.2f} (clear macro-F1 {best_report.clear.macro_f1:.3f}, "
            f"all rows {best_report.overall.macro_f1:.3f})"
        )
        print(f"put `threshold = {best:.2f}` in a --labels TOML file, or pass --threshold {best:.2f}.")
        print("note: calibrating and reporting on the same gold file is optimistic; calibrate on held-out documents.")
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from .encoders import load_encoder
    from .head import train_from_corpus

    if args.threads is not None and args.threads < 1:
        raise ConfigError(f"--threads must be >= 1, got {args.threads}")
    if not args.corpus.exists():
        raise ConfigError(f"no corpus at {args.corpus}")
    head = train_from_corpus(
        args.corpus, args.output, encoder=load_encoder(args.encoder, threads=args.threads), seed=args.seed
    )
    print(head.summary())
    print(f"head written to {args.output}; use it with: claimx extract ... --head {args.output}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import run as run_report

    return run_report(args)


COMMANDS = {"extract": "_cmd_extract", "eval": "_cmd_eval", "train": "_cmd_train", "report": "_cmd_report"}


def main(argv: Sequence[str] | None = None) -> int:
    args: argparse.Namespace | None = None
    try:
        args = build_parser().parse_args(argv)
        level = [logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)]
        logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
        logging.captureWarnings(True)
        warnings.formatwarning = lambda message, category, *_a, **_k: f"{category.__name__}: {message}"
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # per-model "Loading weights" bars drown the claims
        return int(globals()[COMMANDS[args.command]](args))
    except (KeyboardInterrupt, Exception) as e:  # one line for a person, never a traceback for their mistake
        link: BaseException | None = e  # Ctrl-C, also where a library turned it into its own error (langdetect)
        while link is not None and not isinstance(link, KeyboardInterrupt):
            link = link.__context__
        resumable = args is not None and args.command == "extract" and args.output not in (None, "-")
        hint = "; re-run the same command to resume" if resumable else ""  # only where a re-run can
        if link is not None:
            print(f"claimx: interrupted{hint}", file=sys.stderr)
            return 130
        if isinstance(e, ClaimxError):
            print(f"claimx: error: {e}", file=sys.stderr)
            return 2
        if isinstance(e, UnicodeDecodeError):  # a binary file where text was expected: claimx eval /bin/ls
            print(f"claimx: error: a file given is not UTF-8 text ({e.reason} at byte {e.start})", file=sys.stderr)
            return 2
        if isinstance(e, BrokenPipeError):
            return 0
        if isinstance(e, OSError):  # disk full, permissions: what was written stays valid
            print(f"claimx: error: {e}{hint}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
