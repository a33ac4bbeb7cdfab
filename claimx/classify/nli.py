"""Zero-shot stance from any NLI sequence-classification model."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import ConfigError, ModelError
from ..labels import STANCE_LABELS, LabelConfig
from ..model_files import load_pretrained, load_tokenizer, pick_device, quantize_dynamic_int8
from ..oom import free_cached_memory, map_batches
from ..types import Label
from .base import Scores, stance_scores

logger = logging.getLogger(__name__)

DEFAULT_NLI_MODEL = "MoritzLaurer/deberta-v3-base-zeroshot-v2.0"


def entailment_probability(logits: np.ndarray, entail: int, contradict: int | None) -> np.ndarray:
    """P(entailment) per row: softmax over (contradiction, entailment), or over all
    classes when the model has no contradiction class (binary entail/not-entail models).

    >>> entailment_probability(np.array([[2.0, 0.0, 2.0]]), 0, 2).round(2).tolist()
    [0.5]
    """
    logits = logits.astype(np.float64)
    if contradict is not None:
        logits = logits[:, [contradict, entail]]
        entail = 1
    logits = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp[:, entail] / exp.sum(axis=1)


def _find_label(label2id: dict[str, int], prefix: str) -> int | None:
    for name, idx in label2id.items():
        if name.lower().startswith(prefix):
            return int(idx)
    return None


class NLIClassifier:
    """Zero-shot stance from any NLI sequence-classification model (loaded lazily).

    Every (sentence, hypothesis) pair of a batch goes through one forward pass;
    pairs are length-sorted so padding stays small.

    Args:
        model: Hub id or local folder of an NLI model with an ``entailment`` label.
        labels: Hypotheses per direction (their entailment scores are averaged).
        device: ``auto``, ``cpu``, ``cuda``, ...
        batch_size: Sentences per forward pass (times the number of hypotheses in pairs).
        allow_pickle: Accept ``.bin`` weights (unsafe; off by default).
        revision: Hub revision (commit) to pin.
        quantize: Dynamic int8 quantisation of the linear layers (CPU only; faster, slightly
            different scores). The model id on claims gets a ``+int8`` suffix.
    """

    default_threshold = 0.5

    def __init__(
        self,
        model: str = DEFAULT_NLI_MODEL,
        labels: LabelConfig | None = None,
        *,
        device: str = "auto",
        batch_size: int = 16,
        allow_pickle: bool = False,
        revision: str | None = None,
        quantize: bool = False,
    ) -> None:
        if batch_size < 1:
            raise ConfigError(f"batch_size must be >= 1, got {batch_size}")
        self.model_ref = str(model)
        self.model_id = f"{model}+int8" if quantize else str(model)
        self.revision = revision
        self.quantize = quantize
        self.labels = labels or LabelConfig()
        self.batch_size = batch_size
        self._device_request = device
        self.allow_pickle = allow_pickle
        self._parts: tuple[Any, Any, int, int | None] | None = None
        self._lock = threading.Lock()

    def load(self) -> NLIClassifier:
        """Load the model now (otherwise it loads on first use)."""
        with self._lock:
            if self._parts is None:
                from transformers import AutoModelForSequenceClassification, AutoTokenizer

                tokenizer = load_tokenizer(AutoTokenizer, self.model_ref, revision=self.revision)
                model = load_pretrained(
                    AutoModelForSequenceClassification,
                    self.model_ref,
                    revision=self.revision,
                    allow_pickle=self.allow_pickle,
                )
                label2id = {str(k): int(v) for k, v in model.config.label2id.items()}
                entail = _find_label(label2id, "entail")
                if entail is None:
                    raise ModelError(
                        f"{self.model_id} is not an NLI model: its labels {sorted(label2id)} have no 'entailment'"
                    )
                contradict = _find_label(label2id, "contradict")
                device = pick_device(self._device_request)
                model = model.to(device).eval()
                if self.quantize:
                    if device != "cpu":
                        raise ModelError(f"quantize=True runs on the CPU only, not on {device}")
                    model = quantize_dynamic_int8(model)
                elif device.startswith("cuda"):
                    model = model.half()
                logger.info("loaded NLI model %s on %s", self.model_id, device)
                self._parts = (tokenizer, model, entail, contradict)
        return self

    def close(self) -> None:
        """Let the model go (it loads again on next use)."""
        with self._lock:
            loaded, self._parts = self._parts is not None, None
        if loaded:
            free_cached_memory()

    def classify(self, texts: Sequence[str]) -> list[Scores]:
        if not texts:
            return []
        tokenizer, model, entail, contradict = self.load()._parts  # type: ignore[misc]
        hyps = [(label, h) for label in STANCE_LABELS for h in self.labels.hypotheses(label)]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))

        def run(rows: Sequence[int]) -> np.ndarray:
            premises = [texts[i] for i in rows for _ in hyps]
            hypotheses = [h for _ in rows for _, h in hyps]
            logits = self._forward(tokenizer, model, premises, hypotheses)
            return entailment_probability(logits, entail, contradict).reshape(len(rows), len(hyps))

        probs = np.zeros((len(texts), len(hyps)))
        probs[order] = np.array(map_batches(order, self.batch_size, run, what=f"NLI model {self.model_id}"))
        per_label = {
            label: probs[:, [j for j, (lab, _) in enumerate(hyps) if lab == label]].mean(axis=1)
            for label in STANCE_LABELS
        }
        return stance_scores(per_label[Label.RUSSIAN_GAIN], per_label[Label.RUSSIAN_LOSS])

    def _forward(self, tokenizer: Any, model: Any, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        import torch

        enc = tokenizer(premises, hypotheses, return_tensors="pt", padding=True, truncation="only_first")
        enc = {k: v.to(model.device) for k, v in enc.items()}
        with torch.inference_mode():
            return model(**enc).logits.float().cpu().numpy()
