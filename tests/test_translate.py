import pytest

from claimx.translate import MarianTranslator, Translator
from claimx.translate.base import _split_to_fit


@pytest.fixture(scope="module")
def translator(tiny_models):
    return MarianTranslator({"de": str(tiny_models["marian_de_en"])}, template=None, device="cpu", batch_size=2)


def test_is_a_translator(translator):
    assert isinstance(translator, Translator)
    assert translator.can_translate("de") and not translator.can_translate("fr")


@pytest.mark.slow
def test_translates_a_batch_in_order_through_generate(translator):
    texts = ["Russland verliert Einfluss.", "Die Lage ist angespannt.", "Russland verliert Einfluss.", "Ja."]
    out = translator.translate(texts, "de")
    assert len(out) == 4 and all(isinstance(t, str) and t for t in out)
    assert out[0] == out[2]  # same input, same output (deduplicated, deterministic)
    assert out == translator.translate(texts, "de")


def test_long_input_is_split_not_truncated(translator):
    tokenizer, _ = translator._load("de")
    text = " ".join(["Russland verliert in Zentralasien an Einfluss"] * 20)
    pieces = _split_to_fit(text, tokenizer, 40)
    assert len(pieces) > 1
    assert all(len(tokenizer(p)["input_ids"]) <= 40 for p in pieces)
    assert " ".join(pieces) == text


def test_unconfigured_language_is_reported_not_guessed(translator):
    from claimx.errors import ModelNotAvailableError

    with pytest.raises(ModelNotAvailableError, match="'fr'"):
        translator.model_id("fr")
