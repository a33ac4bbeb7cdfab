"""The model and speed flags of ``extract`` and ``eval``, and the extractor configuration they describe."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..config import ExtractorConfig
from ..errors import ConfigError


def model_options() -> argparse.ArgumentParser:
    """A parent parser with the flags that shape an extractor (see :func:`config_from_args`)."""
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
        help="NLI model (hub id or folder); default: the NLI default if available, else the shipped stance model",
    )
    g.add_argument(
        "--embedding-model",
        metavar="REF",
        nargs="?",
        const="",
        help="zero-shot embedding classifier (no training, any actor), optionally with this encoder "
        "(default: packaged all-MiniLM-L6-v2; e.g. intfloat/multilingual-e5-small)",
    )
    g.add_argument(
        "--head",
        metavar="FOLDER",
        nargs="?",
        const="",
        help="a stance model or head from claimx train (no folder: the shipped logistic head)",
    )
    g.add_argument(
        "--encoder", metavar="REF", help="sentence encoder for --head (default: the one the model was trained on)"
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


def config_from_args(args: argparse.Namespace) -> ExtractorConfig:
    """The extractor configuration the command line describes (the CLI's only say in building one)."""
    from ..classify.decision import Decision
    from ..labels import read_label_file

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
    if args.embedding_model is not None and args.head is not None:
        raise ConfigError("--embedding-model and --head pick different classifiers; give one")
    if args.embedding_model is not None:
        changes.update(classifier="embedding", encoder=args.embedding_model or None)
    if args.head is not None:
        changes.update(classifier="head", head=args.head or None)
    if args.encoder is not None:
        changes.update(encoder=args.encoder)
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
        "cache_dir": args.cache_dir,
        "threads": args.threads,
    }
    changes.update({k: v for k, v in flags.items() if v is not None})
    return config.replace(**changes)
