"""Label quality of the offline classifiers, measured in one run (the README's tables).

    python benchmarks/label_quality.py            # about 10 minutes on 2 CPU cores

Four classifiers, all offline:
  zero-shot MiniLM   EmbeddingClassifier on the packaged all-MiniLM-L6-v2 (English encoder)
  zero-shot e5       EmbeddingClassifier on multilingual-e5-small (the packaged copy)
  head on e5         the logistic head shipped in claimx/heads/ (claimx.train), on the same encoder
  stance (shipped)   the fine-tuned stance model shipped in claimx/stance/ (the offline default)

Four measurements:
  seeds      fixtures/gold/seeds.tsv through the whole pipeline (fixtures/seeds, no translation
             model: German is read untranslated), per language, clear and all rows. Never trained
             or tuned on.
  corpus     the authored corpus: grouped cross-validation figures of the shipped head (5 folds,
             threshold chosen inside each training fold; head.json) and of the shipped stance
             model (stance.json), both written by `claimx train` on this corpus; for the
             zero-shot classifiers, which learn nothing, every row scored once.
  behaviour  benchmarks/behaviour/suite.tsv (minimal-pair scenarios, stated / reversed /
             neutral, written apart from the corpus): accuracy and contradiction rate.
  int8       the stance model with dynamic int8 linear layers against fp32, label agreement
             on every corpus row (a quantised path may be the default only at >= 99%).

The zero-shot classifiers' neutral threshold is chosen on the corpus (best clear-row macro-F1,
middle of ties), never on the seeds, so all three are tuned on the same data.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

import claimx  # noqa: E402
from claimx.behaviour import read_suite, score_suite  # noqa: E402
from claimx.classify.decision import decide  # noqa: E402
from claimx.classify.head import HeadClassifier, shipped_head  # noqa: E402
from claimx.corpus import canonical_order, read_corpus  # noqa: E402
from claimx.encoders import load_encoder  # noqa: E402
from claimx.evaluation import evaluate, load_gold, metrics  # noqa: E402
from claimx.head_files import load_head  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GRID = [round(0.05 + 0.01 * i, 2) for i in range(91)]


class RememberingEncoder:
    """An encoder that embeds each distinct text once (the corpus and seeds are read by several classifiers)."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.name, self.model_id = inner, inner.name, inner.model_id
        self.known: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.known))
        if missing:
            self.known.update(zip(missing, self.inner.encode(missing), strict=True))
        return np.array([self.known[t] for t in texts], dtype=np.float32).reshape(len(texts), -1)


def corpus_figures(scores: list[dict[str, float]], rows, threshold: float) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    predicted = [decide(s, threshold)[0].value for s in scores]
    gold = [r.label.value for r in rows]
    clear = [i for i, r in enumerate(rows) if r.certainty == "clear"]
    return metrics([gold[i] for i in clear], [predicted[i] for i in clear]).macro_f1, metrics(gold, predicted).macro_f1


def calibrated(scores: list[dict[str, float]], rows) -> float:  # type: ignore[no-untyped-def]
    results = [corpus_figures(scores, rows, t)[0] for t in GRID]
    best = max(results)
    tied = [t for t, r in zip(GRID, results, strict=True) if r == best]
    return tied[len(tied) // 2]


def seed_figures(classifier, threshold: float) -> dict[str, tuple[float, float, int, int]]:  # type: ignore[no-untyped-def]
    extractor = claimx.Extractor(classifier=classifier, device="cpu", translation_models={})
    documents = [
        claimx.Document(p.stem, p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
    ]
    results = list(extractor.process(documents))
    claims = [c for r in results for c in r.claims]
    report = evaluate(
        claims,
        load_gold(ROOT / "fixtures" / "gold" / "seeds.tsv"),
        threshold=threshold,
        languages={r.doc_id: r.language for r in results},
    )
    return {
        lang: (clear.macro_f1, every.macro_f1, clear.n, every.n) for lang, (every, clear) in report.by_language.items()
    }


def shipped_stance():  # type: ignore[no-untyped-def]
    from claimx.classify.stance import StanceModelClassifier
    from claimx.encoders import stance_base_encoder
    from claimx.stance import load_stance_model, shipped_stance_model

    model = load_stance_model(shipped_stance_model())
    return StanceModelClassifier(model, stance_base_encoder(model.encoder_sha256, device="cpu")), model


def quantised_stance(model):  # type: ignore[no-untyped-def]
    from claimx.classify.stance import StanceModelClassifier
    from claimx.encoders import stance_base_encoder

    return StanceModelClassifier(model, stance_base_encoder(model.encoder_sha256, device="cpu"), quantize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(ROOT / "corpus" / "parts"))
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    started = time.perf_counter()
    rows = canonical_order(read_corpus(args.corpus))
    texts = [r.text for r in rows]
    e5 = RememberingEncoder(load_encoder(threads=args.threads))
    table = []

    minilm = claimx.EmbeddingClassifier(device="cpu")
    zero_e5 = claimx.EmbeddingClassifier(device="cpu", encoder=e5)
    for name, classifier in (("zero-shot MiniLM", minilm), ("zero-shot e5", zero_e5)):
        scores = classifier.classify(texts)
        threshold = calibrated(scores, rows)
        corpus_clear, corpus_all = corpus_figures(scores, rows, threshold)
        table.append((name, threshold, seed_figures(classifier, threshold), corpus_clear, corpus_all, "all rows"))

    stance, stance_model = shipped_stance()
    head = load_head(shipped_head())
    cv = head.figure("all", "clear"), head.figure("all", "all")
    head_classifier = HeadClassifier(head, e5)
    table.append(
        ("head on e5", head.threshold, seed_figures(head_classifier, head.threshold), cv[0].macro_f1, cv[1].macro_f1,
         f"grouped {head.cv_folds}-fold CV, {head.row_counts['rows']} rows (head.json)")
    )  # fmt: skip
    stance_cv = stance_model.figure("all", "clear"), stance_model.figure("all", "all")
    table.append(
        ("stance (shipped)", stance_model.threshold, seed_figures(stance, stance_model.threshold),
         stance_cv[0].macro_f1, stance_cv[1].macro_f1,
         f"grouped {stance_model.cv_folds}-fold CV, {stance_model.row_counts['rows']} rows (stance.json)")
    )  # fmt: skip
    suite = read_suite(ROOT / "benchmarks" / "behaviour" / "suite.tsv")
    classifiers = {"zero-shot MiniLM": minilm, "zero-shot e5": zero_e5, "head on e5": head_classifier,
                   "stance (shipped)": stance}  # fmt: skip
    behaviour = {
        name: score_suite(
            suite, [decide(s, threshold)[0].value for s in classifiers[name].classify([r.text for r in suite])]
        )
        for name, threshold, *_ in table
    }

    print(f"corpus: {len(rows)} rows, {len({r.group for r in rows})} groups; encoder {e5.model_id}")
    print("macro-F1; seeds: fixtures/gold/seeds.tsv through the pipeline, German untranslated\n")
    print(
        "| classifier | threshold | seeds EN clear | seeds EN all | seeds DE clear | seeds DE all "
        "| corpus clear | corpus all | corpus measured by |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, threshold, seeds, c_clear, c_all, how in table:
        en, de = seeds.get("en", (0, 0, 0, 0)), seeds.get("de", (0, 0, 0, 0))
        print(
            f"| {name} | {threshold:.2f} | {en[0]:.3f} | {en[1]:.3f} | {de[0]:.3f} | {de[1]:.3f} "
            f"| {c_clear:.3f} | {c_all:.3f} | {how} |"
        )
    en, de = table[0][2].get("en", (0, 0, 0, 0)), table[0][2].get("de", (0, 0, 0, 0))
    print(f"\nseed rows: EN {en[2]} clear / {en[3]} all, DE {de[2]} clear / {de[3]} all")
    print("per language on the corpus (head, grouped CV, clear rows):", ", ".join(
        f"{f.language} {f.macro_f1:.3f} (n={f.n})" for f in head.cv if f.rows == "clear" and f.language != "all"
    ))  # fmt: skip
    print("per language on the corpus (stance model, grouped CV, clear rows):", ", ".join(
        f"{f.language} {f.macro_f1:.3f} (n={f.n})" for f in stance_model.cv if f.rows == "clear" and f.language != "all"
    ))  # fmt: skip
    print("\nbehavioural suite (benchmarks/behaviour/suite.tsv): accuracy / contradiction rate / sentences given the")
    print("opposite direction")
    print(
        "| classifier | EN accuracy | EN contradictions | EN flipped | DE accuracy | DE contradictions | DE flipped |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, scores in behaviour.items():
        en, de = scores["en"], scores["de"]
        print(f"| {name} | {en.accuracy:.3f} | {en.contradiction_rate:.3f} ({en.contradictions}/{en.scenarios}) "
              f"| {en.flipped} | {de.accuracy:.3f} | {de.contradiction_rate:.3f} ({de.contradictions}/{de.scenarios}) "
              f"| {de.flipped} |")  # fmt: skip
    print("\nstance model calibration (grouped CV, top-label ECE, 10 bins): before -> after temperature "
          f"{stance_model.temperature:.2f}")  # fmt: skip
    print(", ".join(f"{lang} {c['ece_raw']:.3f} -> {c['ece_calibrated']:.3f} (n={int(c['n'])})"
                    for lang, c in stance_model.calibration.items()))  # fmt: skip
    fp32 = [decide(s, stance_model.threshold)[0] for s in stance.classify(texts)]
    int8 = [decide(s, stance_model.threshold)[0] for s in quantised_stance(stance_model).classify(texts)]
    agree = sum(a == b for a, b in zip(fp32, int8, strict=True)) / len(texts)
    print(f"\nstance model, dynamic int8 against fp32: labels agree on {100 * agree:.2f}% of {len(texts)} corpus rows "
          f"({'may' if agree >= 0.99 else 'may not'} be the default: >= 99% needed)")  # fmt: skip
    print(f"time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
