"""``claimx eval``: label quality of the extractor against a gold TSV, and a calibrated threshold."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .options import config_from_args

EXAMPLES = """examples:
  claimx eval fixtures/gold/seeds.tsv --language en
  claimx eval fixtures/gold/seeds.tsv --calibrate
"""


def add_arguments(ev: argparse.ArgumentParser) -> None:
    """The arguments of ``claimx eval`` (besides the model options) on ``ev``."""
    ev.add_argument("gold", type=Path, help="TSV with columns doc, label, certainty, text")
    ev.add_argument(
        "--docs", type=Path, help="folder of the gold documents (default: ../<gold stem>/ beside the gold folder)"
    )
    ev.add_argument("--language", nargs="+", metavar="LANG", help="score only documents detected as these languages")
    ev.add_argument(
        "--calibrate", action="store_true", help="search the neutral threshold with the best clear-row macro-F1"
    )


def run(args: argparse.Namespace) -> int:
    from ..evaluation import calibrate, evaluate, load_gold
    from ..inputs import iter_inputs
    from ..readers import InputFailure

    gold = load_gold(args.gold)
    docs_dir = args.docs or args.gold.resolve().parent.parent / args.gold.stem
    if not docs_dir.is_dir():
        print(f"claimx: error: no document folder {docs_dir}; pass --docs", file=sys.stderr)
        return 2
    from ..extractor import Extractor

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
        claims, gold, threshold=extractor.threshold, margin=decision.margin, documents=ids, languages=languages
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
