"""Fine-tuning a stance model: the encoder's top blocks and a linear head, grouped CV, calibration.

from claimx.corpus import read_corpus
from claimx.encoders import load_encoder
from claimx.stance.train import fine_tune

model = fine_tune(read_corpus("corpus/parts"), load_encoder(), seed=0)

The bottom blocks stay frozen, so their outputs are computed once per sentence and shared by
every fold (see :mod:`claimx.stance.network`). Each of the ``folds`` grouped folds trains a
fresh copy of the top; its out-of-fold logits give the figures, and the temperature and the
decision threshold for each fold are chosen on the *other* folds' out-of-fold predictions
(cross-fitting), so the figures stay out-of-sample. The model that is returned is trained on
every row, with the temperature and threshold chosen on all out-of-fold predictions.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from ..classify.head import CLASSES, claimx_version
from ..corpus import CorpusRow, canonical_order, corpus_sha256
from ..errors import ConfigError, InputError
from ..train import _figures, _row_counts, _splits, choose_threshold, decide_many
from .calibration import expected_calibration_error, fit_temperature, softmax
from .files import StanceModel

if TYPE_CHECKING:
    import torch

    from ..encoders import SentenceEncoder, TransformersEncoder
    from .network import StanceTop

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class FineTuneSettings:
    """How a stance model is fine-tuned (the defaults trained the shipped model; see the README for why).

    Attributes:
        tuned_layers: Top encoder blocks that are trained (the rest stay the base's).
        epochs: Passes over the training rows.
        learning_rate: AdamW learning rate of the tuned blocks (linear warm-up, then linear decay).
        head_learning_rate: Learning rate of the linear head.
        batch_size: Sentences per step.
        weight_decay: AdamW weight decay.
        warmup: Share of the steps spent warming up.
        max_length: Tokens per sentence, longer ones are truncated.
        folds: Grouped cross-validation folds (0: none, no figures).
    """

    tuned_layers: int = 4
    epochs: int = 3
    learning_rate: float = 2e-4
    head_learning_rate: float = 5e-3
    batch_size: int = 16
    weight_decay: float = 0.01
    warmup: float = 0.06
    max_length: int = 128
    folds: int = 3

    def __post_init__(self) -> None:
        if self.tuned_layers < 1 or self.epochs < 1 or self.batch_size < 1 or self.max_length < 8:
            raise ConfigError(f"fine-tuning settings out of range: {self}")
        if self.folds == 1 or self.folds < 0:
            raise ConfigError(f"folds must be 0 (no cross-validation) or >= 2, got {self.folds}")
        if not (0 < self.learning_rate < 1 and 0 < self.head_learning_rate < 1 and 0 <= self.warmup < 1):
            raise ConfigError(f"learning rates must lie in (0, 1) and warmup in [0, 1): {self}")


def _log(progress: Progress | None, message: str) -> None:
    logger.info("%s", message)
    if progress is not None:
        progress(message)


def _tokenise(tokenizer: Any, texts: Sequence[str], prefix: str, max_length: int) -> list[list[int]]:
    encoded = tokenizer([prefix + t for t in texts], truncation=True, max_length=max_length)
    return [list(ids) for ids in encoded["input_ids"]]


def bottom_outputs(net: Any, ids: Sequence[Sequence[int]], frozen: int, pad_id: int, device: str) -> list[torch.Tensor]:
    """Per sentence, the ``(length, dim)`` hidden states after the frozen blocks (CPU float32)."""
    from .network import bottom_states, pad_batch

    out: list[Any] = [None] * len(ids)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    for start in range(0, len(order), 64):
        rows = order[start : start + 64]
        batch, mask = pad_batch([ids[i] for i in rows], pad_id)
        hidden = bottom_states(net, batch.to(device), mask.to(device), frozen).float().cpu()
        for j, i in enumerate(rows):
            out[i] = hidden[j, : len(ids[i])].clone()
    return out


def _batches(lengths: Sequence[int], rows: np.ndarray, size: int, generator: torch.Generator) -> list[np.ndarray]:
    """Shuffled batches of similar length: shuffle, sort chunks of 20 batches by length, shuffle the batches."""
    import torch

    shuffled = rows[torch.randperm(len(rows), generator=generator).numpy()]
    batches = []
    for start in range(0, len(shuffled), size * 20):
        chunk = sorted(shuffled[start : start + size * 20].tolist(), key=lambda i: lengths[i])
        batches += [np.array(chunk[k : k + size]) for k in range(0, len(chunk), size)]
    order = torch.randperm(len(batches), generator=generator).tolist()
    return [batches[k] for k in order]


def fit_top(
    states: Sequence[torch.Tensor], y: np.ndarray, rows: np.ndarray, base_blocks: Iterable[Any], config: Any,
    settings: FineTuneSettings, seed: int, device: str,
) -> StanceTop:  # fmt: skip
    """Train a fresh copy of the top blocks and a head on ``rows`` (indices into ``states``)."""
    import torch

    from .network import StanceTop, pad_states

    torch.manual_seed(seed)
    top = StanceTop(base_blocks, config, len(CLASSES)).to(device)
    torch.nn.init.normal_(top.head.weight, std=0.02)
    torch.nn.init.zeros_(top.head.bias)
    counts = np.bincount(y[rows], minlength=len(CLASSES)).astype(np.float64)
    weights = torch.tensor(len(rows) / (len(CLASSES) * np.maximum(counts, 1)), dtype=torch.float32, device=device)
    optimiser = torch.optim.AdamW(
        [
            {"params": list(top.blocks.parameters()), "lr": settings.learning_rate},
            {"params": list(top.head.parameters()), "lr": settings.head_learning_rate},
        ],
        weight_decay=settings.weight_decay,
    )
    generator = torch.Generator().manual_seed(seed)
    lengths = [int(s.shape[0]) for s in states]
    steps = settings.epochs * -(-len(rows) // settings.batch_size)
    warm = max(1, int(settings.warmup * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min((step + 1) / warm, max(0.0, (steps - step) / max(1, steps - warm)))
    )
    labels = torch.as_tensor(y, dtype=torch.long)
    top.train()
    for _ in range(settings.epochs):
        for batch in _batches(lengths, rows, settings.batch_size, generator):
            hidden, mask = pad_states([states[i] for i in batch])
            logits = top(hidden.to(device), mask.to(device))
            loss = torch.nn.functional.cross_entropy(logits, labels[batch].to(device), weight=weights)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(top.parameters(), 1.0)
            optimiser.step()
            schedule.step()
    return top.eval()


def top_logits(top: StanceTop, states: Sequence[torch.Tensor], rows: np.ndarray, device: str) -> np.ndarray:
    """Logits of ``rows`` (eval mode, length-sorted batches of 64)."""
    import torch

    from .network import pad_states

    out = np.zeros((len(rows), len(CLASSES)))
    order = sorted(range(len(rows)), key=lambda k: int(states[int(rows[k])].shape[0]))
    with torch.inference_mode():
        for start in range(0, len(order), 64):
            chunk = order[start : start + 64]
            hidden, mask = pad_states([states[rows[k]] for k in chunk])
            out[chunk] = top(hidden.to(device), mask.to(device)).float().cpu().numpy()
    return out


def _cross_fitted(logits: np.ndarray, y: np.ndarray, clear: np.ndarray, splits: list) -> tuple[np.ndarray, np.ndarray]:
    """Per row, probabilities and decisions with a temperature and threshold chosen on the other folds."""
    probabilities, predicted = np.zeros_like(logits), np.zeros(len(y), dtype=int)
    for _, test in splits:
        others = np.setdiff1d(np.arange(len(y)), test)
        temperature = fit_temperature(logits[others], y[others])
        pick = others[clear[others]] if clear[others].any() else others
        threshold = choose_threshold(softmax(logits[pick] / temperature), y[pick])
        probabilities[test] = softmax(logits[test] / temperature)
        predicted[test] = decide_many(probabilities[test], threshold)
    return probabilities, predicted


def _calibration(logits: np.ndarray, calibrated: np.ndarray, y: np.ndarray, languages: np.ndarray) -> dict:
    figures = {}
    for language in ["all", *sorted(set(languages.tolist()))]:
        mask = np.ones(len(y), bool) if language == "all" else languages == language
        figures[language] = MappingProxyType({
            "n": int(mask.sum()),
            "ece_raw": round(expected_calibration_error(softmax(logits[mask]), y[mask]), 4),
            "ece_calibrated": round(expected_calibration_error(calibrated[mask], y[mask]), 4),
        })  # fmt: skip
    return figures


def fine_tune(
    rows: Sequence[CorpusRow],
    encoder: TransformersEncoder,
    *,
    settings: FineTuneSettings | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> StanceModel:
    """Fine-tune a stance model on ``rows`` over ``encoder`` (a transformers encoder); see the module doc.

    Deterministic on one machine: rows are put in canonical order, and the folds, the
    initialisation, dropout and the batch order all come from ``seed``.
    """

    from .network import block_deltas, layer_blocks

    settings = settings or FineTuneSettings()
    rows = canonical_order(rows)
    missing = [label for label in CLASSES if not any(r.label.value == label for r in rows)]
    if missing:
        raise InputError(f"the corpus has no {', '.join(missing)} rows; a stance model needs every label")
    tokenizer, net, device = encoder.torch_parts()
    blocks = layer_blocks(net)
    if settings.tuned_layers > len(blocks):
        raise ConfigError(f"the encoder has {len(blocks)} blocks; cannot tune {settings.tuned_layers}")
    first = len(blocks) - settings.tuned_layers
    started = time.perf_counter()
    y = np.array([CLASSES.index(r.label.value) for r in rows])
    ids = _tokenise(tokenizer, [r.text for r in rows], encoder.prefix, settings.max_length)
    states = bottom_outputs(net, ids, first, int(tokenizer.pad_token_id), device)
    _log(
        progress,
        f"encoded {len(rows)} sentences through the {first} frozen blocks in {time.perf_counter() - started:.0f} s",
    )

    groups = np.array([r.group for r in rows])
    clear = np.array([r.certainty == "clear" for r in rows])
    languages = np.array([r.language for r in rows])
    all_rows = np.arange(len(rows))
    cv: tuple = ()
    calibration: dict = {}
    temperature, threshold = 1.0, 0.5
    n_folds = 0
    if settings.folds:
        splits = _splits(groups, settings.folds, seed)
        n_folds = len(splits)
        logits = np.zeros((len(rows), len(CLASSES)))
        for k, (train_rows, test_rows) in enumerate(splits, 1):
            fold_started = time.perf_counter()
            top = fit_top(states, y, train_rows, blocks[first:], net.config, settings, seed, device)
            logits[test_rows] = top_logits(top, states, test_rows, device)
            _log(progress, f"fold {k}/{n_folds} trained in {time.perf_counter() - fold_started:.0f} s")
        calibrated, predicted = _cross_fitted(logits, y, clear, splits)
        cv = _figures(y, predicted, rows)
        calibration = _calibration(logits, calibrated, y, languages)
        temperature = fit_temperature(logits, y)
        pick = clear if clear.any() else np.ones(len(rows), bool)
        threshold = choose_threshold(softmax(logits[pick] / temperature), y[pick])
    final_started = time.perf_counter()
    top = fit_top(states, y, all_rows, blocks[first:], net.config, settings, seed, device)
    _log(progress, f"final model trained on all {len(rows)} rows in {time.perf_counter() - final_started:.0f} s")
    return StanceModel(
        classes=CLASSES,
        deltas=MappingProxyType(block_deltas(top, blocks[first:], first)),
        head_weight=top.head.weight.detach().cpu().numpy().astype(np.float32),
        head_bias=top.head.bias.detach().cpu().numpy().astype(np.float32),
        encoder=encoder.name,
        encoder_model_id=encoder.model_id,
        encoder_sha256=encoder.weights_sha256(),
        first_tuned_layer=first,
        prefix=encoder.prefix,
        max_length=settings.max_length,
        temperature=float(temperature),
        threshold=float(threshold),
        corpus_sha256=corpus_sha256(rows),
        row_counts=_row_counts(rows),
        cv=cv,
        cv_folds=n_folds,
        calibration=MappingProxyType(calibration),
        settings=MappingProxyType(asdict(settings)),
        seed=int(seed),
        claimx_version=claimx_version(),
    )


def fine_tune_from_corpus(
    corpus_path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    out_folder: str | os.PathLike[str],
    *,
    encoder: SentenceEncoder | None = None,
    settings: FineTuneSettings | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    extra_weight: int = 1,
) -> StanceModel:
    """Read a corpus file or folder (or several, as :func:`claimx.train.read_training_rows`
    does, with ``extra_weight``), fine-tune a stance model, save it to ``out_folder``, return it.

    ``encoder`` None means :func:`claimx.encoders.load_encoder` (the default multilingual one).
    """
    from ..encoders import TransformersEncoder, load_encoder
    from ..train import read_training_rows
    from .files import save_stance_model

    rows = read_training_rows(corpus_path, extra_weight)
    found = encoder if encoder is not None else load_encoder()
    if not isinstance(found, TransformersEncoder):
        raise ConfigError(f"fine-tuning needs a transformers encoder; {found.model_id} is not one")
    settings = settings or FineTuneSettings()
    _log(progress, f"fine-tuning the top {settings.tuned_layers} blocks of {found.model_id} on {len(rows)} rows "
         f"({settings.folds}-fold grouped CV, then every row; seed {seed})")  # fmt: skip
    model = fine_tune(rows, found, settings=settings, seed=seed, progress=progress)
    save_stance_model(model, out_folder)
    return model
