"""A fine-tuned stance model as a :class:`~claimx.classify.Classifier`.

    from claimx.classify.stance import StanceModelClassifier
    from claimx.encoders import load_encoder
    from claimx.stance import load_stance_model, shipped_stance_model

    classifier = StanceModelClassifier(load_stance_model(shipped_stance_model()), load_encoder())
    classifier.classify(["Moskau verliert seinen Stützpunkt in Syrien."])

The base encoder's bottom blocks run as they are; the top blocks are copies with the model's
deltas added, so the encoder itself is left untouched (other parts may share it).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ConfigError
from ..oom import map_batches
from ..stance.calibration import softmax
from ..stance.files import StanceModel

if TYPE_CHECKING:
    from ..encoders import TransformersEncoder

__all__ = ["StanceModelClassifier"]


class StanceModelClassifier:
    """Fine-tuned stance model on its base encoder; reads any language the encoder reads.

    ``classify`` returns the model's three calibrated class probabilities (they sum to 1);
    ``default_threshold`` is the one chosen by cross-validation at training. ``quantize``
    runs int8 copies of the encoder and the tuned blocks (dynamic quantisation, CPU); it is
    off by default because it changes labels (``benchmarks/label_quality.py`` prints how many).

    Raises:
        ConfigError: the model was trained on another encoder (name, or weights, differ).
    """

    def __init__(
        self, model: StanceModel, encoder: TransformersEncoder, *, batch_size: int = 32, quantize: bool = False
    ) -> None:
        if model.encoder != encoder.name:
            raise ConfigError(
                f"this stance model was fine-tuned on the encoder {model.encoder!r}, but the encoder given is "
                f"{encoder.name!r} ({encoder.model_id}); train one for it with `claimx train --fine-tune`"
            )
        if batch_size < 1:
            raise ConfigError(f"batch_size must be >= 1, got {batch_size}")
        self.model = model
        self.encoder = encoder
        self.batch_size = batch_size
        self.quantize = quantize
        self.default_threshold = model.threshold
        self.model_id = f"{model.encoder} + stance {model.weights_sha256[:12]}"
        self._top: Any = None
        self._bottom: Any = None  # the encoder's model, or its int8 copy
        self._lock = threading.Lock()

    def load(self) -> StanceModelClassifier:
        """Load the encoder and build the tuned top now (otherwise on first use)."""
        with self._lock:
            if self._top is None:
                import torch

                from ..stance.network import StanceTop, apply_deltas, layer_blocks

                _, net, device = self.encoder.torch_parts()
                found = self.encoder.weights_sha256()
                if found != self.model.encoder_sha256:
                    raise ConfigError(
                        f"this stance model was fine-tuned on {self.model.encoder_model_id or self.model.encoder} "
                        f"with weights sha256 {self.model.encoder_sha256[:12]}…, but {self.encoder.model_id} has "
                        f"weights {found[:12]}…: a model tuned on one copy of an encoder is not valid on another; "
                        "train one for this encoder with `claimx train --fine-tune`"
                    )
                blocks = layer_blocks(net)
                first = self.model.first_tuned_layer
                if not 0 <= first < len(blocks):
                    raise ConfigError(f"the stance model tunes block {first}, the encoder has {len(blocks)}")
                top = StanceTop(blocks[first:], net.config, len(self.model.classes))
                apply_deltas(top, self.model.deltas, first)
                with torch.no_grad():
                    top.head.weight.copy_(torch.from_numpy(np.asarray(self.model.head_weight, dtype=np.float32)))
                    top.head.bias.copy_(torch.from_numpy(np.asarray(self.model.head_bias, dtype=np.float32)))
                top = top.to(device).eval()
                if self.quantize:  # int8 copies: the shared encoder stays fp32
                    import copy

                    from ..model_files import quantize_dynamic_int8

                    top, net = quantize_dynamic_int8(top), quantize_dynamic_int8(copy.deepcopy(net))
                self._top, self._bottom = top, net
        return self

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Uncalibrated logits, ``(len(texts), 3)``, in :data:`~claimx.classify.head.CLASSES` order."""
        from ..stance.train import _tokenise

        self.load()
        tokenizer, _, device = self.encoder.torch_parts()
        net = self._bottom
        ids = _tokenise(tokenizer, list(texts), self.model.prefix, self.model.max_length)
        out = np.zeros((len(ids), len(self.model.classes)))
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        if order:  # batches shrink when memory runs out (claimx.oom)
            out[order] = np.array(
                map_batches(
                    order,
                    self.batch_size,
                    lambda rows: self._forward(net, device, [ids[i] for i in rows], int(tokenizer.pad_token_id)),
                    what=f"stance model {self.model_id}",
                )
            )
        return out

    def _forward(self, net: Any, device: str, ids: list[list[int]], pad_id: int) -> np.ndarray:
        import torch

        from ..stance.network import bottom_states, pad_batch

        batch, mask = pad_batch(ids, pad_id)
        batch, mask = batch.to(device), mask.to(device)
        with torch.inference_mode():
            hidden = bottom_states(net, batch, mask, self.model.first_tuned_layer)
            return self._top(hidden, mask).float().cpu().numpy()

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated ``(len(texts), 3)`` probabilities."""
        if not texts:
            return np.zeros((0, len(self.model.classes)))
        return softmax(self.logits(texts) / self.model.temperature)

    def classify(self, texts: Sequence[str]) -> list[dict[str, float]]:
        classes = self.model.classes
        return [{label: float(p) for label, p in zip(classes, row, strict=True)} for row in self.probabilities(texts)]
