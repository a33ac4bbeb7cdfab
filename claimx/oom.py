"""Running a model over batches, shrinking the batch when memory runs out."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from .errors import ModelError

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


def is_out_of_memory(error: BaseException) -> bool:
    """True for allocation failures: ``MemoryError``, ``torch.OutOfMemoryError`` (CUDA), and the
    plain ``RuntimeError`` that MPS and older torch raise (told by its message)."""
    torch = sys.modules.get("torch")
    oom_type = getattr(torch, "OutOfMemoryError", None) if torch is not None else None
    if isinstance(error, MemoryError) or (oom_type is not None and isinstance(error, oom_type)):
        return True
    return type(error) is RuntimeError and "out of memory" in str(error).lower()


def map_batches(
    items: Sequence[T],
    batch_size: int,
    run: Callable[[Sequence[T]], Iterable[R]],
    *,
    what: str = "model",
) -> list[R]:
    """``run`` over consecutive batches of ``items``; outputs concatenated in order.

    When a batch does not fit in memory it is halved and retried, and later batches
    keep the smaller size; at one item the error becomes a :class:`ModelError`.
    Any other failure of ``run`` is raised as a :class:`ModelError` too.

    >>> map_batches([1, 2, 3, 4, 5], 2, lambda b: [x * 10 for x in b])
    [10, 20, 30, 40, 50]
    """
    out: list[R] = []
    start = 0
    size = max(1, batch_size)
    while start < len(items):
        batch = items[start : start + size]
        try:
            results = list(run(batch))
        except ModelError:
            raise
        except Exception as e:
            if not is_out_of_memory(e):
                raise ModelError(f"{what} failed on a batch of {len(batch)}: {type(e).__name__}: {e}") from e
            if size == 1:
                raise ModelError(
                    f"{what} ran out of memory on a single input; lower max_sentence_chars or use a larger device"
                ) from e
            size = max(1, size // 2)
            logger.warning("%s ran out of memory; batch size lowered to %d", what, size)
            free_cached_memory()
            continue
        if len(results) != len(batch):
            raise ModelError(f"{what} returned {len(results)} outputs for {len(batch)} inputs")
        out.extend(results)
        start += len(batch)
    return out


def free_cached_memory() -> None:
    """Hand the memory torch keeps cached on the GPU back to the device.

    Never imports torch: where it is not (fully) imported, no model holds GPU memory, and
    importing it again after an interrupted import (Ctrl-C while loading) crashes the process.
    """
    cuda = getattr(sys.modules.get("torch"), "cuda", None)
    if cuda is not None and getattr(cuda, "is_initialized", lambda: False)():
        cuda.empty_cache()
