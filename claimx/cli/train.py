"""``claimx train``: a stance head on a labelled corpus, with grouped cross-validation figures first."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import ConfigError

EXAMPLES = """examples:
  claimx train corpus/parts -o my-head       grouped 5-fold CV figures, then a head on every row
  claimx train corpus/parts corrections.tsv -o my-head --weight-corrections 3
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
    tr.add_argument("-o", "--output", type=Path, required=True, help="folder to write the head to")
    tr.add_argument("--encoder", metavar="REF", help="sentence encoder (default: multilingual-e5-small)")
    tr.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    tr.add_argument("--threads", type=int, help="CPU threads for the encoder")


def run(args: argparse.Namespace) -> int:
    import logging

    from ..encoders import load_encoder
    from ..train import train_from_corpus

    if args.threads is not None and args.threads < 1:
        raise ConfigError(f"--threads must be >= 1, got {args.threads}")
    for path in args.corpus:
        if not path.exists():
            raise ConfigError(f"no corpus at {path}")
    logging.getLogger("claimx.train").setLevel(logging.INFO)  # progress: read, encode, cross-validate, save
    encoder = load_encoder(args.encoder, threads=args.threads)
    head = train_from_corpus(
        args.corpus, args.output, encoder=encoder, seed=args.seed, extra_weight=args.weight_corrections
    )
    print(head.summary())
    print(f"head written to {args.output}; use it with: claimx extract ... --head {args.output}")
    return 0
