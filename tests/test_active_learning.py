"""The seeded simulation in benchmarks/active_learning.py: 200 rows by uncertainty against 200 at random."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

CORPUS = ROOT / "corpus" / "parts"


@pytest.fixture(scope="module")
def benchmark():
    spec = importlib.util.spec_from_file_location("active_learning", ROOT / "benchmarks" / "active_learning.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["active_learning"] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def test_the_simulation_is_seeded_and_scores_held_out_groups(benchmark):
    x, y, groups = benchmark.load(CORPUS, "hashing")
    runs = benchmark.simulate(x, y, groups, [0, 1])
    assert runs == benchmark.simulate(x, y, groups, [0, 1])  # same seeds, same figures
    assert all(0 < r.start < 1 and 0 < r.uncertainty < 1 and 0 < r.random < 1 for r in runs)
    assert "ahead on" in benchmark.report(runs)


def test_the_benchmark_reads_the_corpus_it_names(benchmark):
    assert Path(benchmark.CORPUS) == CORPUS
