"""Time growth in one process: how much more 10x the input costs, robust to a busy machine."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def growth_ratio(run: Callable[[str], object], small: str, large: str, *, rounds: int = 5, tries: int = 3) -> float:
    """Best CPU time on ``large`` over best CPU time on ``small``, measured in alternation with the GC off.

    A try that lands at or above 12 (linear work gives about 10; a load spike can push one
    try higher) is measured again, up to ``tries`` times: quadratic work stays far above.
    """
    ratio = float("inf")
    for _ in range(tries):
        best_small = best_large = float("inf")
        gc.disable()
        try:
            for _ in range(rounds):
                started = time.process_time()
                run(small)
                best_small = min(best_small, time.process_time() - started)
                started = time.process_time()
                run(large)
                best_large = min(best_large, time.process_time() - started)
        finally:
            gc.enable()
        ratio = min(ratio, best_large / best_small)
        if ratio < 12:
            break
    return ratio
