import pandas as pd

import claimx
from claimx import Label
from tests.test_types import make_claim


def sample():
    return [
        make_claim(doc_id="a", sentence_index=0, label="russian_gain"),
        make_claim(doc_id="a", sentence_index=1, label="russian_gain"),
        make_claim(doc_id="a", sentence_index=2, label="neutral"),
        make_claim(doc_id="b", sentence_index=0, label="russian_loss"),
    ]


def test_pandas_round_trip_and_score_columns():
    claims = sample()
    df = claimx.to_pandas(claims)
    assert list(df["label"]) == ["russian_gain", "russian_gain", "neutral", "russian_loss"]
    assert {"score_russian_gain", "score_russian_loss", "score_neutral"} <= set(df.columns)
    assert claimx.from_pandas(df) == claims


def test_datasets_round_trip():
    claims = sample()
    ds = claimx.to_dataset(claims)
    assert ds.num_rows == 4 and "text_en" in ds.column_names
    assert claimx.from_dataset(ds) == claims
    assert claimx.to_dataset([]).num_rows == 0


def test_document_summary_counts_and_net_stance():
    summary = claimx.document_summary(sample())
    assert list(summary.index) == ["a", "b"]
    assert summary.loc["a", "claims"] == 3 and summary.loc["a", "russian_gain"] == 2
    assert summary.loc["a", "net_stance"] == 2 / 3 and summary.loc["b", "net_stance"] == -1.0


def test_claim_list_html_table():
    html = claimx.ClaimList(sample())._repr_html_()
    assert html.count("<tr>") == 5 and "russian_loss" in html and "<table>" in html
    assert "&lt;b&gt;" in claimx.ClaimList([make_claim(text="<b>bold</b>")])._repr_html_()


def test_extract_dataset(tiny_extractor):
    import datasets

    ds = datasets.Dataset.from_dict(
        {
            "url": ["u1", "u2"],
            "body": [
                "Russia has opened a new naval base on the Red Sea coast. It is large.",
                "Moscow lost its last military base in Syria this year.",
            ],
        }
    )
    out = tiny_extractor.extract_dataset(ds, text_column="body", id_column="url", rows_per_map=1)
    assert isinstance(out, datasets.Dataset)
    assert out["doc_id"] == ["u1", "u1", "u2"]
    assert out["label"][0] in {label.value for label in Label}
    assert isinstance(claimx.from_dataset(out)[0], claimx.Claim)
    assert isinstance(claimx.to_pandas(claimx.from_dataset(out)), pd.DataFrame)
