import shutil

import pytest

from claimx.errors import ModelNotAvailableError, UnsafeModelError
from claimx.model_files import check_safe, resolve_model
from claimx.translate import MarianTranslator


def test_missing_hub_model_says_what_to_download_and_where(monkeypatch, tmp_path):
    monkeypatch.setenv("CLAIMX_MODELS_DIR", str(tmp_path))
    with pytest.raises(ModelNotAvailableError) as info:
        resolve_model("Helsinki-NLP/opus-mt-xx-en")
    message = str(info.value)
    assert "Helsinki-NLP/opus-mt-xx-en" in message
    assert "huggingface-cli download" in message and "CLAIMX_MODELS_DIR" in message


def test_models_dir_is_searched_with_org_double_dash(monkeypatch, tmp_path, tiny_models):
    target = tmp_path / "Helsinki-NLP--opus-mt-de-en"
    shutil.copytree(tiny_models["marian_de_en"], target)
    monkeypatch.setenv("CLAIMX_MODELS_DIR", str(tmp_path))
    assert resolve_model("Helsinki-NLP/opus-mt-de-en") == target
    # The default template now finds German without any explicit argument.
    translator = MarianTranslator(device="cpu")
    assert translator.can_translate("de") and not translator.can_translate("fi")
    assert translator.translate(["Russland verliert Einfluss."], "de")[0]


def test_pickled_weights_are_refused_unless_allowed(tmp_path, tiny_models):
    folder = tmp_path / "pickled"
    shutil.copytree(tiny_models["nli"], folder)
    (folder / "model.safetensors").unlink()
    (folder / "pytorch_model.bin").write_bytes(b"not really a pickle")
    with pytest.raises(UnsafeModelError, match="pickled"):
        check_safe(folder)
    check_safe(folder, allow_pickle=True)


def test_pickle_refusal_reaches_the_user_through_the_classifier(tmp_path, tiny_models):
    import claimx

    folder = tmp_path / "pickled-nli"
    shutil.copytree(tiny_models["nli"], folder)
    (folder / "model.safetensors").unlink()
    (folder / "pytorch_model.bin").write_bytes(b"x")
    with pytest.raises(UnsafeModelError):
        claimx.NLIClassifier(str(folder), device="cpu").load()


def test_missing_local_folder_is_named(tmp_path):
    with pytest.raises(ModelNotAvailableError, match="does not exist"):
        resolve_model(str(tmp_path / "nope"))


def test_tiny_models_build_deterministically(tmp_path, tiny_builder, tiny_models):
    again = tiny_builder.build_all(tmp_path)
    for role, folder in tiny_models.items():
        for name in ("model.safetensors", "vocab.json", "source.spm", "tokenizer.json"):
            first, second = folder / name, again[role] / name
            if first.exists():
                assert first.read_bytes() == second.read_bytes(), (role, name)


def test_tiny_marian_vocab_layout_matches_opus_mt(tiny_models):
    import json

    vocab = json.loads((tiny_models["marian_de_en"] / "vocab.json").read_text(encoding="utf-8"))
    assert vocab["</s>"] == 0 and vocab["<unk>"] == 1 and vocab["<pad>"] == len(vocab) - 1


def test_unavailable_device_is_a_clear_error(tiny_models):
    import torch

    import claimx
    from claimx.errors import ConfigError

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(ConfigError, match="no CUDA GPU"):
        claimx.NLIClassifier(str(tiny_models["nli"]), device="cuda").load()
