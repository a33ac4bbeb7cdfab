"""``claimx train``: a fine-tuned stance model or a logistic head on a labelled corpus, grouped CV figures first."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ConfigError

EXAMPLES = """examples:
  claimx train corpus/parts -o my-model --fine-tune    fine-tuned stance model (top encoder blocks)
  claimx train corpus/parts -o my-head                 logistic head on frozen e5 embeddings (faster)
  claimx train corpus/parts corrections.tsv -o my-model --fine-tune --weight-corrections 3
"""


def add_arguments(tr: argparse.ArgumentParser) -> None:
    """The arguments of ``claimx train`` on ``tr``."""
    tr.add_argument(
        "corpus", type=Path, nargs="+", help="TSV (group, language, label, certainty, text) or a folder of them"
    )
    tr.add_argument(
        "--weight-corrections",
        type=int,
        default=1,
        metavar="N",
        help="rows of the second and later corpus paths (your corrections) count N times (default: 1)",
    )
    tr.add_argument("-o", "--output", type=Path, required=True, help="folder to write the model or head to")
    tr.add_argument("--encoder", metavar="REF", help="sentence encoder (default: multilingual-e5-small)")
    tr.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    tr.add_argument("--threads", type=int, help="CPU threads")
    ft = tr.add_argument_group("fine-tuning")
    ft.add_argument("--fine-tune", action="store_true", help="fine-tune the encoder's top blocks and a head")
    ft.add_argument("--tuned-layers", type=int, help="top encoder blocks to tune (default: 4)")
    ft.add_argument("--epochs", type=int, help="passes over the corpus (default: 3)")
    ft.add_argument("--folds", type=int, help="grouped CV folds, 0 for none (default: 3)")


def run(args: argparse.Namespace) -> int:
    import logging

    from ..encoders import load_encoder

    if args.threads is not None and args.threads < 1:
        raise ConfigError(f"--threads must be >= 1, got {args.threads}")
    for path in args.corpus:
        if not path.exists():
            raise ConfigError(f"no corpus at {path}")
    tuning = {k: v for k, v in (("tuned_layers", args.tuned_layers), ("epochs", args.epochs), ("folds", args.folds))
              if v is not None}  # fmt: skip
    if tuning and not args.fine_tune:
        raise ConfigError(f"--{next(iter(tuning)).replace('_', '-')} applies to --fine-tune only")
    if args.fine_tune:
        from ..model_files import set_threads
        from ..stance.train import FineTuneSettings, fine_tune_from_corpus

        if args.threads is not None:
            set_threads(args.threads)
        model = fine_tune_from_corpus(
            args.corpus, args.output, encoder=load_encoder(args.encoder), settings=FineTuneSettings(**tuning),
            seed=args.seed, progress=lambda line: print(line, file=sys.stderr, flush=True),
            extra_weight=args.weight_corrections,
        )  # fmt: skip
        print(model.summary())
        print(f"stance model written to {args.output}; use it with: claimx extract ... --head {args.output}")
        return 0
    from ..train import train_from_corpus

    logging.getLogger("claimx.train").setLevel(logging.INFO)  # progress: read, encode, cross-validate, save
    encoder = load_encoder(args.encoder, threads=args.threads)
    head = train_from_corpus(
        args.corpus, args.output, encoder=encoder, seed=args.seed, extra_weight=args.weight_corrections
    )
    print(head.summary())
    print(f"head written to {args.output}; use it with: claimx extract ... --head {args.output}")
    return 0
