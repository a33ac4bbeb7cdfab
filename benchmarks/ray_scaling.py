"""Documents per second on a local Ray instance with 1 and 2 actors, against one process.

    python benchmarks/ray_scaling.py [--copies 20]

Offline default models (packaged MiniLM classifier; opus-mt when available). Each
actor gets one CPU and sets torch to one thread; the single process uses all cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ray  # noqa: E402

import claimx  # noqa: E402
import claimx.scale.ray  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=60, help="how many times the seed documents are repeated")
    args = parser.parse_args()
    seeds = [(p.stem, p.read_text("utf-8")) for p in sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))]
    rows = [
        {"id": f"{k}-{i}", "text": f"Report {k}. {text}"}
        for k in range(args.copies)
        for i, (_, text) in enumerate(seeds)
    ]
    options = {"device": "cpu"}
    cores = os.cpu_count() or 1
    ray.init(num_cpus=cores, include_dashboard=False, log_to_driver=False)
    print(f"{len(rows)} documents, {cores} cores, offline default models")
    ex = claimx.Extractor(device="cpu", threads=cores)
    ex.extract(rows[:5])
    t0 = time.perf_counter()
    n = sum(len(r.claims) for r in ex.process(rows))
    single = len(rows) / (time.perf_counter() - t0)
    print(f"single process ({cores} threads): {single:.2f} documents/s ({n} claims)")
    for actors in range(1, cores + 1):
        ds = ray.data.from_items(rows)
        warm = claimx.scale.ray.process(
            ray.data.from_items(rows[: actors * 2]), concurrency=actors, num_cpus=1, batch_size=1, **options
        )
        warm.take_all()
        t0 = time.perf_counter()
        out = claimx.scale.ray.process(ds, concurrency=actors, num_cpus=1, documents_per_call=16, **options).take_all()
        rate = len(out) / (time.perf_counter() - t0)
        print(f"ray, {actors} actor(s) x 1 CPU: {rate:.2f} documents/s (includes actor start and model load)")
    ray.shutdown()


if __name__ == "__main__":
    main()
