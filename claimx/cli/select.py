"""``claimx select``: the claims whose correction teaches most, as an export for an annotation tool."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..annotation import STRATEGIES
from . import export

EXAMPLES = """examples:
  claimx select claims.jsonl -n 200 -o tasks.json                    least certain first (Label Studio)
  claimx select claims.jsonl -n 200 --by diversity -o tasks.jsonl --format prodigy
  claimx select claims.jsonl -n 200 --by disagreement --against claims_nli.jsonl -o tasks.json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``claimx select`` on ``parser``."""
    export.add_format_arguments(parser)
    parser.add_argument("-n", type=int, default=200, help="how many claims (default: 200)")
    parser.add_argument(
        "--by",
        choices=STRATEGIES,
        default="uncertainty",
        help="uncertainty: smallest margin between the top two labels; disagreement: with --against; "
        "diversity: spread over documents, languages and places (default: uncertainty)",
    )
    parser.add_argument(
        "--against", type=Path, metavar="CLAIMS", help="another classifier's claims on the same documents"
    )


def run(args: argparse.Namespace) -> int:
    from ..annotation import select_claims

    claims = export.read(args.claims)
    other = export.read(args.against) if args.against is not None else []
    picked = select_claims(claims, args.n, args.by, other=other)
    print(f"picked {len(picked)} of {len(claims)} claims by {args.by}")
    return export.write(args, picked, claims)
