"""The ``claimx`` command: ``extract`` over many files, ``eval`` against a gold file, ``train``, ``report``.

Layout: this module (:func:`build_parser`, and :func:`main`: parse, dispatch, and turn a
failure into one line and an exit status), ``options`` (the model and speed flags shared by
``extract`` and ``eval``, and :func:`config_from_args`, the CLI's only say in building an
extractor), then one module per command, each with its ``EXAMPLES``, ``add_arguments`` and
``run``: ``extract``, ``evaluate`` (``claimx eval``), ``train``, and the analyst's loop
``select``, ``export``, ``import_labels``; ``claimx report`` is :mod:`claimx.reporting.cli`.
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from collections.abc import Callable, Sequence

from .. import __version__
from ..errors import ClaimxError
from . import evaluate, export, extract, import_labels, train
from . import select as select_command
from .options import config_from_args, model_options

__all__ = ["build_parser", "config_from_args", "main"]


def build_parser() -> argparse.ArgumentParser:
    from ..reporting import add_arguments as add_report_arguments

    parser = argparse.ArgumentParser(prog="claimx", description="Claims about Russia's geopolitical position in news.")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    parser.add_argument("--version", action="version", version=f"claimx {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    models = model_options()
    extract.add_arguments(_command(sub, "extract", "extract claims from files", extract.EXAMPLES, models))
    evaluate.add_arguments(_command(sub, "eval", "measure label quality on a gold TSV", evaluate.EXAMPLES, models))
    train.add_arguments(_command(sub, "train", "train a stance head on a labelled corpus", train.EXAMPLES))
    for name, module, help in _LOOP:
        module.add_arguments(_command(sub, name, help, module.EXAMPLES))
    add_report_arguments(sub.add_parser("report", help="write a self-contained HTML report of a claims file"))
    return parser


_LOOP = (  # the analyst's loop: pick, export, read corrections back
    ("select", select_command, "pick the claims worth checking, as tasks for an annotation tool"),
    ("export", export, "write claims as tasks for Label Studio, Argilla or Prodigy"),
    ("import-labels", import_labels, "read an annotation tool's export back as corrections (TSV)"),
)


def _command(sub, name: str, help: str, examples: str, *parents: argparse.ArgumentParser):  # type: ignore[no-untyped-def]
    return sub.add_parser(
        name, parents=list(parents), help=help, epilog=examples, formatter_class=argparse.RawDescriptionHelpFormatter
    )


def _report(args: argparse.Namespace) -> int:
    from ..reporting import run

    return run(args)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "extract": extract.run,
    "eval": evaluate.run,
    "train": train.run,
    "report": _report,
    "select": select_command.run,
    "export": export.run,
    "import-labels": import_labels.run,
}


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
        return int(COMMANDS[args.command](args))
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
        if isinstance(e, UnicodeDecodeError):  # a binary file where text was expected
            print(f"claimx: error: a file given is not UTF-8 text ({e.reason} at byte {e.start})", file=sys.stderr)
            return 2
        if isinstance(e, BrokenPipeError):
            return 0
        if isinstance(e, OSError):  # disk full, permissions: what was written stays valid
            print(f"claimx: error: {e}{hint}", file=sys.stderr)
            return 1
        raise
