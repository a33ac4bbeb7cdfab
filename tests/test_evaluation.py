import pytest

from claimx import Claim, Label
from claimx.evaluation import GoldRow, calibrate, evaluate, load_gold, metrics


def claim(doc, text, gain, loss):
    scores = {"russian_gain": gain, "russian_loss": loss, "neutral": 1 - max(gain, loss)}
    return Claim(doc, 0, text, text, "en", 0, len(text), Label.NEUTRAL, scores["neutral"], scores, False, ("m",))


def test_metrics_by_hand():
    gold = ["russian_gain", "russian_gain", "russian_loss", "neutral", "neutral", "neutral"]
    pred = ["russian_gain", "neutral", "russian_loss", "neutral", "russian_loss", "missing"]
    m = metrics(gold, pred)
    assert m.accuracy == pytest.approx(3 / 6)
    # gain: P 1/1, R 1/2 -> F1 2/3; loss: P 1/2, R 1/1 -> 2/3; neutral: P 1/2, R 1/3 -> 0.4
    assert m.per_label["russian_gain"] == pytest.approx((1.0, 0.5, 2 / 3, 2))
    assert m.per_label["russian_loss"] == pytest.approx((0.5, 1.0, 2 / 3, 1))
    assert m.per_label["neutral"] == pytest.approx((0.5, 1 / 3, 0.4, 3))
    assert m.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 0.4) / 3)
    assert m.confusion["neutral"] == {"russian_gain": 0, "russian_loss": 1, "neutral": 1, "missing": 1}


def test_evaluate_matches_by_text_and_document_prefix():
    gold = [
        GoldRow("000", "russian_gain", "clear", "Russia “wins”  big."),
        GoldRow("000", "russian_loss", "ambiguous", "Moscow loses."),
        GoldRow("000", "neutral", "boilerplate", "Share."),
        GoldRow("001", "neutral", "clear", "Nothing here."),
        GoldRow("001", "russian_loss", "clear", "Never extracted."),
    ]
    claims = [
        claim("000_abc", 'Russia "wins" big.', 0.9, 0.1),
        claim("000_abc", "Moscow loses.", 0.2, 0.3),
        claim("001_def", "Nothing here.", 0.1, 0.2),
    ]
    report = evaluate(claims, gold, threshold=0.5)
    assert report.predictions == ("russian_gain", "neutral", "neutral", "neutral", "missing")
    assert [r.text for r in report.unmatched] == ["Never extracted."]
    assert report.overall.accuracy == pytest.approx(3 / 5)
    assert report.clear.n == 3 and report.clear.accuracy == pytest.approx(2 / 3)
    # Lower threshold: "Moscow loses." now passes as loss.
    assert evaluate(claims, gold, threshold=0.25).predictions[1] == "russian_loss"
    # A boilerplate row that did become a non-neutral claim is wrong.
    bad = evaluate([*claims, claim("000_abc", "Share.", 0.9, 0.0)], gold, threshold=0.5)
    assert bad.predictions[2] == "russian_gain"


def test_calibrate_finds_the_separating_threshold():
    gold = [GoldRow("d", "russian_gain", "clear", f"g{i}") for i in range(3)] + [
        GoldRow("d", "neutral", "clear", f"n{i}") for i in range(3)
    ]
    claims = [claim("d", f"g{i}", 0.7 + i / 100, 0.0) for i in range(3)] + [
        claim("d", f"n{i}", 0.3 + i / 100, 0.0) for i in range(3)
    ]
    best, report = calibrate(claims, gold)
    assert 0.32 < best <= 0.70 and report.clear.accuracy == 1.0


def test_gold_file_loads_and_is_validated(tmp_path, gold_rows):
    rows = load_gold("fixtures/gold/seeds.tsv")
    assert len(rows) == len(gold_rows) == 118
    bad = tmp_path / "bad.tsv"
    bad.write_text("doc\tlabel\ttext\n0\tneutral\tx\n", encoding="utf-8")
    with pytest.raises(Exception, match="certainty"):
        load_gold(bad)
