"""Ray Data: the seeds through a local Ray instance give the single-process claims."""

from __future__ import annotations

import json

import pytest

import claimx

ray = pytest.importorskip("ray", reason="pip install 'claimx[ray]'")
pytestmark = pytest.mark.slow  # a local Ray instance and its actors


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def options(tiny_models):
    return {
        "translation_models": {"de": str(tiny_models["marian_de_en"])},
        "classifier_model": str(tiny_models["nli"]),
        "device": "cpu",
    }


def same_claims(a: list[claimx.Claim], b: list[claimx.Claim]) -> None:
    key = lambda c: (c.doc_id, c.sentence_index)  # noqa: E731
    a, b = sorted(a, key=key), sorted(b, key=key)
    assert [(c.doc_id, c.start, c.end, c.text, c.text_en, c.label, c.models) for c in a] == [
        (c.doc_id, c.start, c.end, c.text, c.text_en, c.label, c.models) for c in b
    ]
    for x, y in zip(a, b, strict=True):  # batch shapes may differ between processes: float noise only
        assert x.scores == pytest.approx(y.scores, abs=1e-5)


def test_pure_batch_function_reuses_one_extractor(options, seed_documents):
    from claimx.builder import config_from_options
    from claimx.scale.batch_function import extract_batch, process_extractor

    config = config_from_options(None, options)
    assert process_extractor(config) is process_extractor(config_from_options(None, options))
    same_claims(extract_batch(seed_documents, config), claimx.Extractor(**options).extract(seed_documents))


@pytest.mark.parametrize("actors", [1, 2])
def test_ray_equals_single_process(local_ray, options, seed_documents, actors):
    import claimx.scale.ray

    ds = ray.data.from_items([{"id": d.id, "text": d.text} for d in seed_documents])
    rows = claimx.scale.ray.extract(ds, concurrency=actors, num_cpus=1, documents_per_call=2, **options).take_all()
    ray_claims = claimx.from_pandas(__import__("pandas").DataFrame(rows))
    same_claims(ray_claims, claimx.Extractor(**options).extract(seed_documents))


def test_ray_process_keeps_failures(local_ray, options):
    import claimx.scale.ray
    from claimx.scale.batch_function import row_to_result

    ds = ray.data.from_items(
        [
            {"id": "ok", "text": "Russia has opened a new naval base on the Red Sea coast."},
            {"id": "empty", "text": "   "},
        ]
    )
    results = {r.doc_id: r for r in map(row_to_result, claimx.scale.ray.process(ds, **options).take_all())}
    assert results["ok"].claims and not results["ok"].error
    assert results["empty"].error == "empty document" and not results["empty"].claims


def test_cli_on_ray_writes_the_same_outputs(local_ray, tiny_models, tmp_path):
    from claimx.cli import main
    from claimx.io import read_claims

    model_args = [
        "--classifier-model",
        str(tiny_models["nli"]),
        "--device",
        "cpu",
        "--translation-model",
        f"de={tiny_models['marian_de_en']}",
    ]
    (tmp_path / "in").mkdir()
    for i, name in enumerate(["000_a", "001_b"]):
        (tmp_path / "in" / f"{name}.txt").write_text(f"Russia signed defence pact number {i} with Mali.", "utf-8")
    (tmp_path / "in" / "empty.txt").write_text("", "utf-8")
    single, on_ray = tmp_path / "single.jsonl", tmp_path / "ray.jsonl"
    assert main(["extract", str(tmp_path / "in"), "-o", str(single), "-q", *model_args]) == 0
    assert (
        main(["extract", str(tmp_path / "in"), "-o", str(on_ray), "-q", "--ray", "--ray-actors", "2", *model_args]) == 0
    )
    same_claims(read_claims(on_ray), read_claims(single))
    errors = [json.loads(line) for line in (tmp_path / "ray.jsonl.errors.jsonl").read_text().splitlines()]
    assert [e["doc_id"] for e in errors] == ["empty"]
    assert read_claims(on_ray)[0].doc_id in {"000_a", "001_b"}


def test_rows_without_ids_get_distinct_stable_ids(local_ray, options):
    import claimx.scale.ray
    from claimx.scale.batch_function import row_to_result

    texts = [f"Russia signed defence agreement number {i} with a partner state in Africa." for i in range(4)]
    ds = ray.data.from_items([{"text": t} for t in texts])
    ids = [row_to_result(r).doc_id for r in claimx.scale.ray.process(ds, documents_per_call=1, **options).take_all()]
    again = [row_to_result(r).doc_id for r in claimx.scale.ray.process(ds, documents_per_call=2, **options).take_all()]
    assert len(set(ids)) == 4 and sorted(ids) == sorted(again)


def test_a_model_failure_under_ray_is_model_error_and_exit_1(local_ray, tiny_models, tmp_path):
    import shutil

    from claimx.cli import main

    broken = tmp_path / "broken-nli"
    shutil.copytree(tiny_models["nli"], broken)
    (broken / "model.safetensors").write_bytes(b"\x00" * 64)  # found, but fails when it loads
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Russia signed a defence pact with Mali.", "utf-8")
    out = tmp_path / "out.jsonl"
    args = ["extract", str(tmp_path / "in"), "-o", str(out), "-q", "--ray", "--classifier-model", str(broken)]
    assert main([*args, "--device", "cpu"]) == 1
    (record,) = [json.loads(line) for line in (tmp_path / "out.jsonl.documents.jsonl").read_text().splitlines()]
    assert record["status"] == "model_error"


def test_a_missing_model_under_ray_fails_on_the_driver(local_ray, options):
    import claimx.scale.ray
    from claimx.errors import ModelNotAvailableError

    ds = ray.data.from_items([{"id": "a", "text": "Russia signed a pact."}])
    with pytest.raises(ModelNotAvailableError, match="/nope/nli"):
        claimx.scale.ray.process(ds, **{**options, "classifier_model": "/nope/nli"})
