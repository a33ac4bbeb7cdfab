"""``claimx report``: its arguments and what it does with them."""

from __future__ import annotations

from typing import Any

from .build import report


def add_arguments(parser: Any) -> Any:
    """The arguments of ``claimx report`` on ``parser``."""
    parser.add_argument("claims", help="claims file written by claimx (.jsonl, .csv or .parquet)")
    parser.add_argument("-o", "--output", default="report.html", help="HTML file to write (default: report.html)")
    parser.add_argument(
        "--manifest",
        help="per-document records (JSONL); default: CLAIMS.documents.jsonl, else CLAIMS.errors.jsonl, if there",
    )
    parser.add_argument("--config", help="the run's configuration (.toml or .json), shown as provenance")
    parser.add_argument(
        "--documents", nargs="*", help="the input documents (folders, .txt, .jsonl) for full text and dates"
    )
    parser.add_argument("--title", default="claimx report")
    parser.add_argument(
        "--keep-actor", "--keep-russia", dest="keep_actor", action="store_true",
        help="show the actor's country (RU for Russia) in the places charts too",
    )  # fmt: skip
    return parser


def run(args: Any) -> int:
    """Write the report the parsed ``args`` describe."""
    from pathlib import Path

    from ..errors import InputError

    if not Path(args.claims).is_file():  # a usage error (exit 2), like the other commands'
        raise InputError(f"no claims file {args.claims}")
    page = report(
        args.claims,
        manifest=args.manifest,
        config=args.config,
        documents=args.documents or None,
        title=args.title,
        exclude_places=() if args.keep_actor else None,
    )
    path = page.save(args.output)
    print(f"{path}: {page.n_claims} claims, {page.n_documents} documents, {len(page.html) / 1e6:.1f} MB")
    return 0
