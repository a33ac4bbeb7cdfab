"""``claimx import-labels``: an annotation tool's export back as corrections (corpus/gold TSV)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..annotation import FORMATS

EXAMPLES = """examples:
  claimx import-labels export.json -o corrections.tsv          format told from the content
  claimx eval corrections.tsv --docs news/                      the corrections as a gold file
  claimx train corpus/parts corrections.tsv -o my-head --weight-corrections 3
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``claimx import-labels`` on ``parser``."""
    parser.add_argument("export", type=Path, help="what Label Studio, Argilla or Prodigy exported")
    parser.add_argument("-o", "--output", type=Path, required=True, help="TSV to write the corrections to")
    parser.add_argument("--format", choices=FORMATS, help="the tool (default: told from the file)")


def run(args: argparse.Namespace) -> int:
    from ..annotation import read_export, write_corrections

    rows, skipped = read_export(args.export, args.format)
    n = write_corrections(rows, args.output)
    changed = sum(row.changed for row in rows)
    print(f"wrote {n} corrections to {args.output} ({changed} differ from claimx's label; {skipped} tasks unanswered)")
    return 0
