"""One frozen description of an extractor: which models, on what, how fast, how decided.

Everything that shapes claims lives here, so a run can write its configuration beside
its output and a resume can tell when it changed. :func:`claimx.builder.build_parts`
is the only place that turns a config into working parts.

>>> cfg = ExtractorConfig(device="cpu", decision=Decision(0.6))
>>> ExtractorConfig.from_dict(cfg.to_dict()) == cfg
True
"""

from __future__ import annotations

import json
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .builder import CLASSIFIERS
from .classify.decision import Decision
from .errors import ConfigError
from .labels import LabelConfig

MAX_SENTENCE_CHARS = 1000
"""Longer "sentences" (tables, run-on text) are cut at whitespace into pieces of at most this."""
MAX_DOCUMENT_CHARS = 1_000_000
"""Longer documents are refused: no news article comes close, and cost must stay bounded."""
_SPEED = {"speed_only": True}  # changes how fast claims come, not which: a resume may change it
TRANSLATION_BACKENDS = ("marian", "ct2")
UNTRANSLATABLE = ("keep", "skip")
DEVICES = ("auto", "cpu", "cuda", "mps")


@dataclass(frozen=True, slots=True)
class ExtractorConfig:
    """How an :class:`~claimx.Extractor` is built.

    Attributes:
        translation_models: Source language -> hub id or local folder of a MarianMT model;
            other languages try ``Helsinki-NLP/opus-mt-{lang}-en``.
        translation_backend: ``marian`` (transformers) or ``ct2`` (CTranslate2 int8).
        classifier: ``auto`` (the NLI model if it can be loaded, else the offline default, ``stance``),
            ``nli``, ``stance`` (fine-tuned stance model), ``head`` (logistic head on a sentence
            encoder) or ``embedding`` (zero-shot from a sentence encoder).
        classifier_model: NLI model (hub id or folder) for ``nli``/``auto``.
        encoder: Sentence encoder (hub id or folder) for ``stance``/``head``/``embedding``; ``None``:
            the one the model was trained on, or the default.
        head: Folder of a trained head (``head``) or fine-tuned stance model (``stance``; a stance
            model folder given with ``head`` is read as one); ``None``: the one shipped with claimx.
        device: ``auto`` (cuda, then mps, then cpu), ``cpu``, ``cuda``, ``cuda:1``, ``mps``.
        allow_pickle: Accept pickled ``.bin`` weights (unsafe).
        labels: What is looked for (actor, hypotheses, descriptions).
        decision: When a stance wins over neutral (threshold, margin).
        untranslatable: Text with no translation model: ``keep`` (classified untranslated)
            or ``skip`` (left out, recorded as dropped).
        sentences_per_batch: Sentences per model forward pass.
        documents_per_chunk: Documents prepared and labelled together (batches span them).
        max_sentence_chars: Longer sentences are cut at whitespace into pieces this long.
        max_document_chars: Longer documents are refused (recorded as errors).
        quantize: Dynamic int8 quantisation of the NLI model (CPU).
        prefilter: Minimum topic relevance (packaged MiniLM) for a sentence to reach the
            classifier; ``None`` sends every sentence.
        cache_dir: Folder of an on-disk cache of translations and scores.
        threads: ``torch.set_num_threads`` for this process (``None``: torch's choice).
    """

    translation_models: Mapping[str, str] = field(default_factory=dict)
    translation_backend: str = "marian"
    classifier: str = "auto"
    classifier_model: str | None = None
    encoder: str | None = None
    head: str | None = None
    device: str = "auto"
    allow_pickle: bool = False
    labels: LabelConfig = field(default_factory=LabelConfig)
    decision: Decision = field(default_factory=Decision)
    untranslatable: str = "keep"
    sentences_per_batch: int = field(default=16, metadata=_SPEED)
    documents_per_chunk: int = field(default=32, metadata=_SPEED)
    max_sentence_chars: int = MAX_SENTENCE_CHARS
    max_document_chars: int = MAX_DOCUMENT_CHARS
    quantize: bool = False
    prefilter: float | None = None
    cache_dir: str | None = field(default=None, metadata=_SPEED)
    threads: int | None = field(default=None, metadata=_SPEED)

    def __post_init__(self) -> None:
        _choice("translation_backend", self.translation_backend, TRANSLATION_BACKENDS)
        _choice("classifier", self.classifier, CLASSIFIERS)
        _choice("untranslatable", self.untranslatable, UNTRANSLATABLE)
        device = self.device.split(":")[0] if isinstance(self.device, str) else self.device
        _choice("device", device, DEVICES)
        if not isinstance(self.translation_models, Mapping) or not all(
            isinstance(k, str) and k and isinstance(v, str) and v for k, v in self.translation_models.items()
        ):
            raise ConfigError(
                f"translation_models must map language codes to model refs, got {self.translation_models!r}"
            )
        object.__setattr__(self, "translation_models", dict(self.translation_models))
        for name in ("sentences_per_batch", "documents_per_chunk", "max_sentence_chars", "max_document_chars"):
            _positive_int(name, getattr(self, name))
        if self.threads is not None:
            _positive_int("threads", self.threads)
            most = os.cpu_count() or 1
            if self.threads > most:  # torch crashes (segfault) on absurd counts
                raise ConfigError(f"threads must be at most the CPU count ({most}), got {self.threads}")
        for name in ("classifier_model", "encoder", "head"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, str) and value):
                raise ConfigError(f"{name} must be a model folder or hub id (a non-empty string), got {value!r}")
        for name in ("allow_pickle", "quantize"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(f"{name} must be true or false, got {getattr(self, name)!r}")
        if self.prefilter is not None and (
            isinstance(self.prefilter, bool)
            or not isinstance(self.prefilter, (int, float))
            or not math.isfinite(self.prefilter)
            or not -1.0 <= self.prefilter <= 1.0
        ):
            raise ConfigError(f"prefilter must be a number within [-1, 1], got {self.prefilter!r}")
        if self.cache_dir is not None:
            if not isinstance(self.cache_dir, (str, os.PathLike)) or not str(self.cache_dir).strip():
                raise ConfigError(f"cache_dir must be a folder path, got {self.cache_dir!r}")
            object.__setattr__(self, "cache_dir", str(self.cache_dir))
        if not isinstance(self.labels, LabelConfig):
            raise ConfigError(f"labels must be a LabelConfig, got {type(self.labels).__name__}")
        if not isinstance(self.decision, Decision):
            raise ConfigError(f"decision must be a Decision, got {type(self.decision).__name__}")
        if self.quantize and self.classifier in ("embedding", "head", "stance"):
            raise ConfigError(f"quantize applies to the NLI classifier, not to classifier={self.classifier!r}")

    def replace(self, **changes: Any) -> ExtractorConfig:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (TOML/JSON-ready: ``None`` fields are left out)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["labels"] = self.labels.to_dict()
        data["decision"] = {k: v for k, v in asdict(self.decision).items() if v is not None}
        data["translation_models"] = dict(self.translation_models)
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "config") -> ExtractorConfig:
        """Inverse of :meth:`to_dict`; unknown keys are refused, naming ``source``."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"unknown keys in {source}: {sorted(unknown)}; known: {sorted(known)}")
        values = dict(data)
        labels, decision = values.get("labels", {}), values.get("decision", {})
        if not isinstance(labels, (Mapping, LabelConfig)) or not isinstance(decision, (Mapping, Decision)):
            raise ConfigError(f"{source}: labels and decision must be tables")
        if isinstance(labels, Mapping):
            values["labels"] = LabelConfig.from_dict(labels, f"{source} [labels]")
        if isinstance(decision, Mapping):
            unknown = set(decision) - {"threshold", "margin"}
            if unknown:
                raise ConfigError(f"unknown keys in {source} [decision]: {sorted(unknown)}")
            values["decision"] = Decision(**decision)
        try:
            return cls(**values)
        except TypeError as e:
            raise ConfigError(f"{source}: {e}") from e

    @classmethod
    def from_file(cls, path: str | Path) -> ExtractorConfig:
        """Read a ``.toml`` or ``.json`` file written by :meth:`save` (or by hand)."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
        except (OSError, UnicodeDecodeError, ValueError) as e:  # TOMLDecodeError is a ValueError
            raise ConfigError(f"cannot read config {path}: {e}") from e
        if not isinstance(data, dict):
            raise ConfigError(f"config {path} must hold a table of options")
        data.pop("job", None)  # what a job wrote beside its output (--only, ...): not the extractor's
        return cls.from_dict(data, str(path))

    def dumps(self, fmt: str = "toml") -> str:
        """The config as TOML or JSON text."""
        if fmt == "json":
            return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        import tomli_w

        return tomli_w.dumps(self.to_dict())

    def save(self, path: str | Path) -> None:
        """Write to ``path`` (``.json`` for JSON, anything else TOML)."""
        path = Path(path)
        path.write_text(self.dumps("json" if path.suffix == ".json" else "toml"), encoding="utf-8")


SPEED_ONLY = tuple(f.name for f in fields(ExtractorConfig) if f.metadata.get("speed_only"))
"""Config fields that change how fast claims come, not which: a resume may change them."""


def _choice(name: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ConfigError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")


def _positive_int(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{name} must be a whole number >= 1, got {value!r}")
