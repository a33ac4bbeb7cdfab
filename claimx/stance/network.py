"""The encoder split in two: a frozen bottom whose outputs are computed once, a trainable top.

Fine-tuning only the top layers lets training compute the bottom once per sentence (and
once for every cross-validation fold), which is what makes grouped CV affordable on a
CPU. Inference runs the same two halves, so what was trained is what runs.

Works for any BERT-family ``AutoModel`` (``BertModel``, ``XLMRobertaModel``): an
``embeddings`` module and an ``encoder.layer`` list of blocks.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import torch
from torch import nn


def layer_blocks(model: Any) -> nn.ModuleList:
    """The transformer blocks of a BERT-family model, bottom first."""
    try:
        return model.encoder.layer
    except AttributeError as e:
        raise TypeError(f"{type(model).__name__} has no encoder.layer blocks: not a BERT-family encoder") from e


def run_blocks(
    blocks: Iterable[nn.Module], hidden: torch.Tensor, attention_mask: torch.Tensor, config: Any
) -> torch.Tensor:
    """``hidden`` through ``blocks``, with the mask the model itself would build."""
    from transformers.masking_utils import create_bidirectional_mask

    mask = create_bidirectional_mask(config=config, inputs_embeds=hidden, attention_mask=attention_mask)
    for block in blocks:
        hidden = block(hidden, mask)
    return hidden


def bottom_states(model: Any, input_ids: torch.Tensor, attention_mask: torch.Tensor, frozen: int) -> torch.Tensor:
    """Hidden states after the embeddings and the first ``frozen`` blocks (no gradients)."""
    with torch.no_grad():
        hidden = model.embeddings(input_ids=input_ids)
        return run_blocks(layer_blocks(model)[:frozen], hidden, attention_mask, model.config)


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)


class StanceTop(nn.Module):
    """The trainable part: copies of the top blocks, mean pooling, a linear head."""

    def __init__(self, blocks: Iterable[nn.Module], config: Any, classes: int) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(copy.deepcopy(list(blocks)))
        self.blocks.requires_grad_(True)  # the base was loaded for inference, with gradients off
        self.config = config
        self.head = nn.Linear(int(config.hidden_size), classes)

    def forward(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Logits, shape ``(batch, classes)``."""
        hidden = run_blocks(self.blocks, hidden, attention_mask, self.config)
        return self.head(mean_pool(hidden, attention_mask))


def block_deltas(top: StanceTop, base_blocks: Iterable[nn.Module], first: int) -> dict[str, np.ndarray]:
    """Fine-tuned minus base weights of every top block, keyed ``encoder.layer.<i>.<param>``, float16.

    A small difference keeps its precision in float16 where the weight itself would not, and
    halves the size of what ships."""
    deltas = {}
    for offset, (tuned, base) in enumerate(zip(top.blocks, base_blocks, strict=True)):
        base_params = dict(base.named_parameters())
        for name, param in tuned.named_parameters():
            delta = (param.detach() - base_params[name].detach()).cpu().numpy()
            deltas[f"encoder.layer.{first + offset}.{name}"] = delta.astype(np.float16)
    return deltas


def apply_deltas(top: StanceTop, deltas: Mapping[str, np.ndarray], first: int) -> None:
    """Add stored deltas to the copied blocks of ``top`` (in place)."""
    params = {
        f"encoder.layer.{first + i}.{name}": p for i, b in enumerate(top.blocks) for name, p in b.named_parameters()
    }
    missing = sorted(set(params) - set(deltas))
    extra = sorted(set(deltas) - set(params))
    if missing or extra:
        raise ValueError(f"stance weights do not fit the encoder: missing {missing[:3]}, unexpected {extra[:3]}")
    with torch.no_grad():
        for name, param in params.items():
            delta = torch.from_numpy(np.asarray(deltas[name], dtype=np.float32)).to(param.device)
            if delta.shape != param.shape:
                raise ValueError(
                    f"stance weight {name} has shape {tuple(delta.shape)}, the encoder {tuple(param.shape)}"
                )
            param.add_(delta)


def pad_batch(sequences: Sequence[Sequence[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Token id lists into ``(input_ids, attention_mask)``, right-padded."""
    width = max(len(s) for s in sequences)
    ids = torch.full((len(sequences), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(sequences), width), dtype=torch.long)
    for row, seq in enumerate(sequences):
        ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
        mask[row, : len(seq)] = 1
    return ids, mask


def pad_states(states: Sequence[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-sentence ``(length, dim)`` hidden states into a padded batch and its mask."""
    width = max(s.shape[0] for s in states)
    batch = states[0].new_zeros((len(states), width, states[0].shape[1]))
    mask = torch.zeros((len(states), width), dtype=torch.long)
    for row, s in enumerate(states):
        batch[row, : s.shape[0]] = s
        mask[row, : s.shape[0]] = 1
    return batch, mask
