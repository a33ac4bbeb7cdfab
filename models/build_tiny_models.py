"""Build tiny but real models for tests and demos, deterministically, in seconds.

    python models/build_tiny_models.py [OUT_DIR]     # default: models/tiny

Writes folders that load through the same ``from_pretrained`` code as the
real models:

* ``opus-mt-de-en/``: MarianMT (the opus-mt architecture, scaled down, random
  weights) with a real sentencepiece tokenizer trained on the fixture texts and
  a ``vocab.json`` laid out as opus-mt's is: ``</s>`` = 0, ``<unk>`` = 1,
  ``<pad>`` last (so CTranslate2's converter accepts the folder too).
* ``nli/``: a BERT sequence classifier with ``entailment``/``neutral``/
  ``contradiction`` labels (random weights) and a WordPiece tokenizer trained on
  the same texts.
* ``e5/``: an ``XLMRobertaModel`` shaped like multilingual-e5-small, scaled down
  (random weights), with an XLM-R sentencepiece tokenizer (``<s>`` 0, ``<pad>`` 1,
  ``</s>`` 2, ``<unk>`` 3) trained on the English and German fixture texts.

Random weights give arbitrary translations and near-uniform NLI scores: these
models test the code path, never label quality.
"""

from __future__ import annotations

import json
import sys
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


def train_spm(lines: list[str], vocab_size: int, model_type: str = "unigram") -> bytes:
    """A sentencepiece model, as bytes (a file path would be recorded inside it)."""
    import io

    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buffer,
        vocab_size=vocab_size,
        model_type=model_type,
        character_coverage=1.0,
        hard_vocab_limit=False,
        num_threads=1,
        bos_id=-1,
        eos_id=2,
        unk_id=1,
        pad_id=-1,
        minloglevel=2,
    )
    return buffer.getvalue()


def marian_vocab(out: Path, size: int | None = None) -> dict[str, int]:
    """vocab.json from the folder's source.spm and target.spm, laid out as opus-mt's:
    ``</s>`` = 0, ``<unk>`` = 1, ``<pad>`` last; padded with unused entries up to ``size``."""
    import sentencepiece as spm

    vocab = {"</s>": 0, "<unk>": 1}
    for name in ("source.spm", "target.spm"):
        sp = spm.SentencePieceProcessor(model_file=str(out / name))
        for i in range(sp.get_piece_size()):
            piece = sp.id_to_piece(i)
            if piece not in vocab and piece not in ("<s>", "<pad>"):
                vocab[piece] = len(vocab)
    while size is not None and len(vocab) < size - 1:
        vocab[f"<unused{len(vocab)}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8")
    return vocab


def save_marian(out: Path, *, d_model: int, layers: int, heads: int, ffn: int, vocab_size: int | None = None) -> Path:
    """A random-weight MarianMT (opus-mt's settings: swish, shared embeddings, beam 4) saved with
    its tokenizer; ``out`` must hold ``source.spm``, ``target.spm`` and ``vocab.json``."""
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    vocab = json.loads((out / "vocab.json").read_text(encoding="utf-8"))
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=vocab_size or len(vocab),
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn,
        decoder_ffn_dim=ffn,
        max_position_embeddings=512,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        activation_function="swish",
    )
    torch.manual_seed(SEED)
    model = MarianMTModel(config).eval()
    model.generation_config = GenerationConfig(
        num_beams=4,
        max_length=512,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        bad_words_ids=[[pad]],
    )
    model.save_pretrained(out, safe_serialization=True)
    MarianTokenizer(str(out / "source.spm"), str(out / "target.spm"), str(out / "vocab.json")).save_pretrained(out)
    return out


def build_marian(out: Path) -> Path:
    """A de→en MarianMT with opus-mt's tokenizer layout."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "source.spm").write_bytes(train_spm(_corpus("de"), 300))
    (out / "target.spm").write_bytes(train_spm(_corpus("en"), 300))
    marian_vocab(out)
    return save_marian(out, d_model=32, layers=2, heads=2, ffn=64)


def wordpiece_vocab(lines: list[str], size: int) -> list[str]:
    """BERT special tokens, every character (alone and as ``##`` continuation), then the
    most frequent lower-cased words; ties broken alphabetically so the build is repeatable.
    (The tokenizers WordPiece trainer orders equal-frequency merges differently from run to run.)"""
    import re
    from collections import Counter

    words = Counter(w for line in lines for w in re.findall(r"\w+|[^\w\s]", line.lower()))
    chars = sorted({ch for w in words for ch in w})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars, *(f"##{ch}" for ch in chars)]
    for word, _ in sorted(words.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(vocab) >= size:
            break
        if word not in vocab:
            vocab.append(word)
    return vocab


def build_nli(out: Path) -> Path:
    """A three-way NLI sequence classifier (BERT architecture) with a WordPiece tokenizer."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    out.mkdir(parents=True, exist_ok=True)
    vocab = wordpiece_vocab(_corpus("en"), 600)
    vocab_file = out / "vocab.txt"
    vocab_file.write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(vocab_file), do_lower_case=True, model_max_length=512)
    tokenizer.save_pretrained(out)
    config = BertConfig(
        vocab_size=len(vocab),
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


def train_xlmr_spm(lines: list[str], vocab_size: int) -> bytes:
    """A unigram sentencepiece model with sentencepiece's default special ids, as XLM-R's own
    ``sentencepiece.bpe.model`` has them: ``<unk>`` = 0, ``<s>`` = 1, ``</s>`` = 2. transformers'
    XLM-R converter drops those three pieces and lays the vocabulary out fairseq-style:
    ``<s>`` 0, ``<pad>`` 1, ``</s>`` 2, ``<unk>`` 3, then every other piece at its id + 1, ``<mask>`` last."""
    import io

    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buffer,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        num_threads=1,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        minloglevel=2,
    )
    return buffer.getvalue()


def build_e5(out: Path) -> Path:
    """An e5-like sentence encoder: a tiny ``XLMRobertaModel`` (multilingual-e5-small's architecture,
    scaled down, random weights) with an XLM-R sentencepiece tokenizer trained on English and German
    fixture text, loaded by ``AutoModel``/``AutoTokenizer`` as the real model is."""
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel, XLMRobertaTokenizer

    out.mkdir(parents=True, exist_ok=True)
    lines = [*_corpus("en"), *_corpus("de"), "query: passage:"]
    (out / "sentencepiece.bpe.model").write_bytes(train_xlmr_spm(lines, 400))
    tokenizer = XLMRobertaTokenizer.from_pretrained(str(out), model_max_length=512)
    tokenizer.save_pretrained(out)
    config = XLMRobertaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=514,  # XLM-R positions start after the padding index
        type_vocab_size=1,
        layer_norm_eps=1e-12,
        bos_token_id=tokenizer.bos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(SEED)
    XLMRobertaModel(config).eval().save_pretrained(out, safe_serialization=True)
    return out


def build_all(out_dir: Path) -> dict[str, Path]:
    """Build every tiny model under ``out_dir``; returns their folders by role."""
    return {
        "marian_de_en": build_marian(out_dir / "opus-mt-de-en"),
        "nli": build_nli(out_dir / "nli"),
        "e5": build_e5(out_dir / "e5"),
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "models" / "tiny"
    for role, folder in build_all(target).items():
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"{role}: {folder} ({size:.2f} MB)")
