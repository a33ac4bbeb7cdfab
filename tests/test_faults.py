"""Faults: failing models, a full disk, memory running out. Nothing written is lost or corrupted."""

from __future__ import annotations

import errno
import json
import shutil

import numpy as np
import pytest
import torch

import claimx
from claimx.cli import main
from claimx.errors import ModelError
from claimx.io import read_claims
from claimx.job import JobOutput, run_job
from claimx.oom import map_batches
from claimx.testing import FunctionClassifier, stance

ENGLISH = [f"Russia signed defence agreement number {i} with a partner state in Africa." for i in range(6)]


def exploding(texts):
    """A swapped-in classifier that fails on one input, like a model hitting a bad kernel."""
    if any("BOOM" in t for t in texts):
        raise ModelError("kernel exploded")
    return [stance(0.9, 0.1) for _ in texts]


def test_a_failing_batch_only_costs_the_document_that_breaks_it(tiny_models, tmp_path):
    docs = [claimx.Document(f"d{i}", t) for i, t in enumerate(ENGLISH)]
    docs.insert(3, claimx.Document("bad", "This sentence makes the model go BOOM in Moscow today."))
    docs.append(
        claimx.Document("fi", "Venäjä menettää vaikutusvaltaansa Keski-Aasiassa nopeasti, sanovat asiantuntijat.")
    )
    ex = claimx.Extractor(classifier=FunctionClassifier(exploding, model_id="exploding"), device="cpu")
    results = list(ex.process(docs))
    assert [r.doc_id for r in results if r.error] == ["bad"]
    assert "model failure: kernel exploded" in results[3].error
    assert len(results[-1].warnings) == 1  # the failed first attempt left no duplicate note
    with pytest.raises(ModelError, match="'bad'"):
        ex.extract(docs, on_error="raise")
    summary = run_job(ex, docs, JobOutput(tmp_path / "out.jsonl"), quiet=True)
    assert summary.model_failures == 1 and summary.claims == 7
    error = json.loads((tmp_path / "out.jsonl.errors.jsonl").read_text())
    assert error["doc_id"] == "bad" and "kernel exploded" in error["reason"]


def test_corrupt_translation_model_fails_its_documents_and_the_run(tiny_models, tmp_path, capsys):
    broken = tmp_path / "broken-de"
    shutil.copytree(tiny_models["marian_de_en"], broken)
    (broken / "model.safetensors").write_bytes(b"\x00" * 64)  # truncated download
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "en.txt").write_text(ENGLISH[0], encoding="utf-8")
    (folder / "de.txt").write_text(
        "Russland setzt seine Bemühungen fort, sich als Führer einer Koalition zu positionieren.", encoding="utf-8"
    )
    out = tmp_path / "claims.jsonl"
    args = ["extract", str(folder), "-o", str(out), "--classifier-model", str(tiny_models["nli"])]
    code = main([*args, "--translation-model", f"de={broken}", "--device", "cpu"])
    assert code == 1
    assert "documents failed: 1" in capsys.readouterr().err
    error = json.loads((tmp_path / "claims.jsonl.errors.jsonl").read_text())
    assert error["doc_id"] == "de" and "model failure" in error["reason"] and "broken-de" in error["reason"]
    assert {c.doc_id for c in read_claims(out)} == {"en"}


def test_disk_full_then_resume(tiny_extractor, tmp_path, monkeypatch):
    docs = [claimx.Document(f"d{i}", t) for i, t in enumerate(ENGLISH)]
    out = tmp_path / "claims.jsonl"
    original_write = JobOutput.write
    calls = {"n": 0}

    def full_disk(self, record, claims=(), error=None):
        calls["n"] += 1
        if calls["n"] == 4:  # half a record reaches the disk, then the device is full
            self._claims.write('{"doc_id": "d3", "sentence_index": 0, "te')
            self._claims.flush()
            raise OSError(errno.ENOSPC, "No space left on device")
        return original_write(self, record, claims, error)

    monkeypatch.setattr(JobOutput, "write", full_disk)
    with pytest.raises(OSError, match="No space left"):
        run_job(tiny_extractor, docs, JobOutput(out), quiet=True)
    monkeypatch.setattr(JobOutput, "write", original_write)
    summary = run_job(tiny_extractor, docs, JobOutput(out), quiet=True)
    assert summary.already_done == 3 and summary.documents == 3
    claims = read_claims(out)  # raises on any corrupt line
    assert sorted(c.doc_id for c in claims) == [f"d{i}" for i in range(6)]
    # A second run over the same output changes nothing.
    before = out.read_bytes()
    assert run_job(tiny_extractor, docs, JobOutput(out), quiet=True).already_done == 6
    assert out.read_bytes() == before


def test_out_of_memory_shrinks_the_batch():
    seen = []

    def forward(batch):
        seen.append(len(batch))
        if len(batch) > 2:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return [x * 2 for x in batch]

    assert map_batches(list(range(7)), 8, forward) == [x * 2 for x in range(7)]
    assert seen[:3] == [7, 4, 2] and max(seen[3:]) == 2


def test_out_of_memory_on_one_item_is_a_clear_error():
    def forward(batch):
        raise RuntimeError("DefaultCPUAllocator: not enough memory: you tried to allocate; out of memory")

    with pytest.raises(ModelError, match="out of memory on a single input"):
        map_batches([1, 2, 3], 4, forward)


def test_other_runtime_errors_become_model_errors():
    with pytest.raises(ModelError, match="shape mismatch"):
        map_batches([1], 1, lambda b: (_ for _ in ()).throw(RuntimeError("shape mismatch")))
    assert map_batches([], 4, lambda b: np.zeros(len(b))) == []


def test_odd_document_ids_resume_exactly(tiny_extractor, tmp_path):
    docs = [claimx.Document("line\nbreak", ENGLISH[0]), claimx.Document('quote " and \\ slash', ENGLISH[1])]
    out = tmp_path / "claims.jsonl"
    run_job(tiny_extractor, docs, JobOutput(out), quiet=True)
    again = run_job(tiny_extractor, docs, JobOutput(out), quiet=True)
    assert again.already_done == 2 and again.documents == 0
    assert sorted({c.doc_id for c in read_claims(out)}) == sorted(d.id for d in docs)
