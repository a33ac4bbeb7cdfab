"""Build tiny but real models for tests and demos, deterministically, in seconds.

    python models/build_tiny_models.py [OUT_DIR]     # default: models/tiny

Writes two folders that load through the same ``from_pretrained`` code as the
real models:

* ``opus-mt-de-en/``: MarianMT (the opus-mt architecture, scaled down, random
  weights) with a real sentencepiece tokenizer trained on the fixture texts and
  a ``vocab.json`` laid out as opus-mt's is: ``</s>`` = 0, ``<unk>`` = 1,
  ``<pad>`` last (so CTranslate2's converter accepts the folder too).
* ``nli/``: a BERT sequence classifier with ``entailment``/``neutral``/
  ``contradiction`` labels (random weights) and a WordPiece tokenizer trained on
  the same texts.

Random weights give arbitrary translations and near-uniform NLI scores: these
models test the code path, never label quality.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "seeds"
SEED = 0


def _corpus(language: str) -> list[str]:
    from claimx.language import detect_language  # noqa: PLC0415

    lines: list[str] = []
    for path in sorted(FIXTURES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if detect_language(text).code == language:
            lines += [line.strip() for line in text.splitlines() if line.strip()]
    if language == "en":
        lines += [
            "Russia gains power, influence or allies.",
            "Russia loses power, influence or allies.",
        ]
    return lines


def _train_spm(lines: list[str], prefix: Path, vocab_size: int) -> None:
    import sentencepiece as spm

    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        num_threads=1,
        bos_id=-1,
        eos_id=2,
        unk_id=1,
        pad_id=-1,
        minloglevel=2,
    )


def build_marian(out: Path) -> Path:
    """A de→en MarianMT with opus-mt's tokenizer layout."""
    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src, tgt = Path(tmp) / "source", Path(tmp) / "target"
        _train_spm(_corpus("de"), src, 300)
        _train_spm(_corpus("en"), tgt, 300)
        pieces: list[str] = []
        for prefix in (src, tgt):
            sp = spm.SentencePieceProcessor(model_file=f"{prefix}.model")
            pieces += [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
        vocab = {"</s>": 0, "<unk>": 1}
        for piece in pieces:
            if piece not in vocab and piece not in ("<s>", "</s>", "<unk>", "<pad>"):
                vocab[piece] = len(vocab)
        vocab["<pad>"] = len(vocab)
        (out / "source.spm").write_bytes(Path(f"{src}.model").read_bytes())
        (out / "target.spm").write_bytes(Path(f"{tgt}.model").read_bytes())
    vocab_file = out / "vocab.json"
    vocab_file.write_text(json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8")
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=512,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
    )
    torch.manual_seed(SEED)
    model = MarianMTModel(config).eval()
    model.generation_config = GenerationConfig(
        num_beams=4,
        max_length=64,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        bad_words_ids=[[pad]],
    )
    model.save_pretrained(out, safe_serialization=True)
    tokenizer = MarianTokenizer(
        source_spm=str(out / "source.spm"), target_spm=str(out / "target.spm"), vocab=str(vocab_file)
    )
    tokenizer.save_pretrained(out)
    return out


def build_nli(out: Path) -> Path:
    """A three-way NLI sequence classifier (BERT architecture)."""
    import torch
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    out.mkdir(parents=True, exist_ok=True)
    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    tok.train_from_iterator(_corpus("en"), trainers.WordPieceTrainer(vocab_size=600, special_tokens=special))
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)],
    )
    tokenizer = BertTokenizerFast(tokenizer_object=tok, model_max_length=512, do_lower_case=True)
    tokenizer.save_pretrained(out)
    config = BertConfig(
        vocab_size=tok.get_vocab_size(),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
        id2label={0: "entailment", 1: "neutral", 2: "contradiction"},
        label2id={"entailment": 0, "neutral": 1, "contradiction": 2},
    )
    torch.manual_seed(SEED)
    BertForSequenceClassification(config).eval().save_pretrained(out, safe_serialization=True)
    return out


def build_all(out_dir: Path) -> dict[str, Path]:
    """Build every tiny model under ``out_dir``; returns their folders by role."""
    return {
        "marian_de_en": build_marian(out_dir / "opus-mt-de-en"),
        "nli": build_nli(out_dir / "nli"),
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "models" / "tiny"
    for role, folder in build_all(target).items():
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"{role}: {folder} ({size:.2f} MB)")
