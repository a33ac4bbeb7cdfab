import numpy as np
import pytest

from claimx import Label, LabelConfig, NLIClassifier
from claimx.classify import Classifier, Decision, decide, stance_scores
from claimx.classify.nli import entailment_probability
from claimx.errors import ConfigError
from claimx.labels import read_label_file


def test_decide_reaches_neutral_when_neither_direction_passes():
    assert decide({"russian_gain": 0.3, "russian_loss": 0.4, "neutral": 0.6}, 0.5) == (Label.NEUTRAL, 0.6)
    assert decide({"russian_gain": 0.3, "russian_loss": 0.7, "neutral": 0.3}, 0.5) == (Label.RUSSIAN_LOSS, 0.7)


def test_margin_requires_a_clear_winner():
    scores = {"russian_gain": 0.72, "russian_loss": 0.7, "neutral": 0.28}
    assert decide(scores, 0.5)[0] is Label.RUSSIAN_GAIN
    assert decide(scores, 0.5, margin=0.1)[0] is Label.NEUTRAL


def test_entailment_probability_three_and_two_way():
    three = np.array([[3.0, 0.0, -3.0], [-3.0, 0.0, 3.0]])  # entail, neutral, contradiction
    p = entailment_probability(three, entail=0, contradict=2)
    assert p[0] > 0.99 and p[1] < 0.01
    two = np.array([[0.0, 0.0]])  # entailment, not_entailment
    assert entailment_probability(two, entail=0, contradict=None)[0] == pytest.approx(0.5)


def test_stance_scores_have_every_label():
    (s,) = stance_scores(np.array([0.8]), np.array([0.1]))
    assert s == pytest.approx({"russian_gain": 0.8, "russian_loss": 0.1, "neutral": 0.2})


def test_tiny_nli_through_the_real_loading_code(tiny_models):
    clf = NLIClassifier(str(tiny_models["nli"]), device="cpu", batch_size=3)
    assert isinstance(clf, Classifier)
    texts = [
        "Russia gains influence in Africa.",
        "It rained.",
        "Moscow loses allies.",
        "x",
        "Russia gains influence in Africa.",
    ]
    scores = clf.classify(texts)
    assert len(scores) == 5
    for s in scores:
        assert set(s) == {"russian_gain", "russian_loss", "neutral"}
        assert all(0.0 <= v <= 1.0 for v in s.values())
    assert scores[0] == pytest.approx(scores[4])  # batch position and padding do not change a score
    # Random weights: entailment vs contradiction is close to a coin flip.
    assert all(abs(s["russian_gain"] - 0.5) < 0.2 for s in scores)


def test_actor_is_configuration():
    cfg = LabelConfig(actor="China")
    assert all("China" in h for h in cfg.hypotheses(Label.RUSSIAN_GAIN) + cfg.hypotheses(Label.RUSSIAN_LOSS))
    gains, losses = cfg.direction_descriptions()
    assert all("China" in t for t in gains + losses + cfg.topic_descriptions())


def test_bad_label_config_is_refused():
    with pytest.raises(ConfigError):
        LabelConfig(nli_hypotheses={Label.RUSSIAN_GAIN: ("x",)})
    with pytest.raises(ConfigError):
        Decision(threshold=1.5)


def test_label_config_from_toml(tmp_path):
    path = tmp_path / "labels.toml"
    path.write_text(
        'actor = "Turkey"\nthreshold = 0.6\n[nli_hypotheses]\nrussian_gain = ["{actor} wins."]\n'
        'russian_loss = ["{actor} loses."]\n',
        encoding="utf-8",
    )
    cfg, decision = read_label_file(path)
    assert cfg.actor == "Turkey" and decision == {"threshold": 0.6}
    assert cfg.hypotheses(Label.RUSSIAN_LOSS) == ["Turkey loses."]
    path.write_text("colour = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="colour"):
        read_label_file(path)
