"""The embedding backend on the real packaged all-MiniLM-L6-v2 (small, offline)."""

import numpy as np

from claimx import EmbeddingClassifier, Label, LabelConfig
from claimx.classify import decide
from claimx.classify.embedding import embedding_stance_scores


def label_of(clf, text):
    return decide(clf.classify([text])[0], clf.default_threshold)[0]


def test_embeddings_are_real_and_normalised(minilm_classifier):
    x = minilm_classifier.embed(["Russia gains allies.", "Russia wins new partners.", "The recipe needs flour."])
    assert x.shape == (3, 384)
    assert np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5)
    assert x[0] @ x[1] > x[0] @ x[2] + 0.2  # a real encoder: paraphrases are closer than unrelated text


def test_off_topic_text_is_neutral(minilm_classifier):
    assert label_of(minilm_classifier, "The bakery on Main Street sells fresh bread every morning.") is Label.NEUTRAL


def test_direction_follows_the_sentence(minilm_classifier):
    gain = "Several African governments signed new defence agreements with Moscow, expanding Russian influence."
    loss = "Moscow's former allies are abandoning it, and Russian influence in the region is collapsing."
    s_gain, s_loss = minilm_classifier.classify([gain, loss])
    assert s_gain["russian_gain"] > s_gain["russian_loss"]
    assert s_loss["russian_loss"] > s_loss["russian_gain"]


def test_scores_from_similarities():
    topic = np.array([[0.8], [0.1]])
    gain = np.array([[0.6, 0.5], [0.2, 0.2]])
    loss = np.array([[0.4, 0.3], [0.2, 0.2]])
    s1, s2 = embedding_stance_scores(topic, gain, loss, zero_point=0.0, temperature=0.01)
    assert s1["russian_gain"] == 0.8 and s1["russian_loss"] < 0.01
    assert s2["russian_gain"] == s2["russian_loss"] == 0.1


def test_other_actor_changes_the_anchor_texts():
    clf = EmbeddingClassifier(labels=LabelConfig(actor="China"), device="cpu")
    assert all("China" in t for t in clf.labels.topic_descriptions())
