"""``claimx export``: claims as tasks for an annotation tool, with claimx's prediction pre-filled."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..annotation import FORMATS

if TYPE_CHECKING:
    from ..types import Claim

EXAMPLES = """examples:
  claimx export claims.jsonl -o tasks.json                       Label Studio (+ tasks.label_config.xml)
  claimx export claims.jsonl -o records.json --format argilla
  claimx export claims.jsonl -o tasks.jsonl --format prodigy
  claimx select claims.jsonl -n 200 -o tasks.json                only the claims worth checking first
"""


def add_format_arguments(parser: argparse.ArgumentParser) -> None:
    """``-o`` and ``--format``, shared with ``claimx select``."""
    parser.add_argument("claims", type=Path, help="claims file written by claimx extract (.jsonl, .csv, .parquet)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="file to write the tasks to")
    parser.add_argument(
        "--format", choices=FORMATS, default="label-studio", help="annotation tool (default: label-studio)"
    )
    parser.add_argument(
        "--context", type=int, default=1, metavar="N", help="sentences of context each side (default: 1)"
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``claimx export`` on ``parser``."""
    add_format_arguments(parser)


def read(path: Path) -> list[Claim]:
    """The claims of ``path``; a missing file is a usage error (exit 2)."""
    from ..errors import InputError
    from ..io import read_claims

    if not path.is_file():
        raise InputError(f"no claims file {path}")
    return read_claims(path)


def write(args: argparse.Namespace, claims: Sequence[Claim], every: Sequence[Claim]) -> int:
    """Write ``claims`` as the export ``args`` asks for (``every``: the whole file, for context)."""
    from ..annotation import export_tasks
    from ..errors import ConfigError

    if args.context < 0:
        raise ConfigError(f"--context must be >= 0, got {args.context}")
    n = export_tasks(claims, args.output, args.format, context=every, sentences=args.context)
    extra = (
        f" and {args.output.stem}.label_config.xml (the labelling interface)" if args.format == "label-studio" else ""
    )
    print(f"wrote {n} {args.format} tasks to {args.output}{extra}")
    print("after correcting, export from the tool and run: claimx import-labels EXPORT -o corrections.tsv")
    return 0


def run(args: argparse.Namespace) -> int:
    claims = read(args.claims)
    return write(args, claims, claims)
