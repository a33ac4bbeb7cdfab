"""Random-weight models with the real architectures and sizes, for timing only.

The published weights cannot be downloaded here, but their cost can be measured: the
configs below are written from the published model facts, so matrix sizes, layer
counts and vocabulary sizes (hence FLOPs and memory) match the real models. Labels
from them are meaningless.

* opus-mt-de-en: Marian, d_model 512, 6+6 layers, 8 heads, FFN 2048, vocab 58,101, beam 4.
* deberta-v3-base / deberta-v3-xsmall: DeBERTa-v2 architecture, vocab 128,100.
* bart-large-mnli: BART, d_model 1024, 12+12 layers, 16 heads, FFN 4096, vocab 50,265.

Tokenizers are trained on the fixture texts with a vocabulary large enough that
news words stay whole (about one token per word, close to the real tokenizers'
1.2-1.4), and the rest of the embedding table is padded out to the real size.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / ".models"
SEEDS = ROOT / "fixtures" / "seeds"

_spec = importlib.util.spec_from_file_location("build_tiny_models", ROOT / "models" / "build_tiny_models.py")
tiny = importlib.util.module_from_spec(_spec)  # the tiny-model builder's tokenizer helpers, reused
_spec.loader.exec_module(tiny)  # type: ignore[union-attr]

NLI_LABELS = {
    "id2label": {0: "entailment", 1: "neutral", 2: "contradiction"},
    "label2id": {"entailment": 0, "neutral": 1, "contradiction": 2},
}


def _lines() -> list[str]:
    return [
        line.strip() for p in sorted(SEEDS.glob("*.txt")) for line in p.read_text("utf-8").splitlines() if line.strip()
    ]


def build_marian(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    lines = _lines()
    for name in ("source.spm", "target.spm"):  # BPE on this little text keeps news words whole
        (out / name).write_bytes(tiny.train_spm(lines, 8000, model_type="bpe"))
    tiny.marian_vocab(out, 58101)
    return tiny.save_marian(out, d_model=512, layers=6, heads=8, ffn=2048)


def _wordpiece(out: Path, size: int):  # type: ignore[no-untyped-def]
    from transformers import BertTokenizerFast

    lines = [*_lines(), "Russia gains power, influence or allies.", "Russia loses power, influence or allies."]
    (out / "vocab.txt").write_text("\n".join(tiny.wordpiece_vocab(lines, size)) + "\n", encoding="utf-8")
    tok = BertTokenizerFast(vocab_file=str(out / "vocab.txt"), do_lower_case=True, model_max_length=512)
    tok.save_pretrained(out)
    return tok


def build_deberta(out: Path, size: str) -> Path:
    import torch
    from transformers import DebertaV2Config, DebertaV2ForSequenceClassification

    dims = {"base": (768, 12, 12, 3072), "xsmall": (384, 12, 6, 1536)}[size]
    out.mkdir(parents=True, exist_ok=True)
    _wordpiece(out, 6000)
    config = DebertaV2Config(
        vocab_size=128100,
        hidden_size=dims[0],
        num_hidden_layers=dims[1],
        num_attention_heads=dims[2],
        intermediate_size=dims[3],
        max_position_embeddings=512,
        relative_attention=True,
        position_buckets=256,
        norm_rel_ebd="layer_norm",
        share_att_key=True,
        pos_att_type=["p2c", "c2p"],
        position_biased_input=False,
        max_relative_positions=-1,
        type_vocab_size=0,
        layer_norm_eps=1e-7,
        **NLI_LABELS,
    )
    torch.manual_seed(0)
    DebertaV2ForSequenceClassification(config).eval().save_pretrained(out)
    return out


def build_bart(out: Path) -> Path:
    import torch
    from transformers import BartConfig, BartForSequenceClassification

    out.mkdir(parents=True, exist_ok=True)
    tok = _wordpiece(out, 6000)
    config = BartConfig(
        vocab_size=50265,
        d_model=1024,
        encoder_layers=12,
        decoder_layers=12,
        encoder_attention_heads=16,
        decoder_attention_heads=16,
        encoder_ffn_dim=4096,
        decoder_ffn_dim=4096,
        max_position_embeddings=1024,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.sep_token_id,
        bos_token_id=tok.cls_token_id,
        decoder_start_token_id=tok.sep_token_id,
        **NLI_LABELS,
    )
    torch.manual_seed(0)
    BartForSequenceClassification(config).eval().save_pretrained(out)
    return out


BUILDERS = {
    "opus-mt-de-en": build_marian,
    "deberta-v3-base": lambda p: build_deberta(p, "base"),
    "deberta-v3-xsmall": lambda p: build_deberta(p, "xsmall"),
    "bart-large-mnli": build_bart,
}


def ensure(name: str) -> Path:
    """The folder of benchmark model ``name``, built on first use."""
    folder = OUT / name
    if not (folder / "model.safetensors").exists():
        print(f"building random-weight {name} in {folder} ...", file=sys.stderr, flush=True)
        BUILDERS[name](folder)
    return folder


if __name__ == "__main__":
    for name in sys.argv[1:] or BUILDERS:
        print(ensure(name))
