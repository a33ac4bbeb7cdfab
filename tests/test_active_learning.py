"""The seeded simulation in benchmarks/active_learning.py: 200 rows by uncertainty against 200 at random."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
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


@pytest.mark.slow
@pytest.mark.xfail(
    strict=False,
    reason="measured: ahead on 9 of 10 seeds on a 5,506-row corpus, 3 of 10 on this 3,171-row one "
    "(benchmarks/active_learning.py docstring)",
)
def test_uncertainty_teaches_more_than_random_on_the_corpus(benchmark):
    x, y, groups = benchmark.load(CORPUS, "encoder", threads=2)  # cached after the first run
    runs = benchmark.simulate(x, y, groups, range(10), start=300)
    uncertain, random = (np.array([getattr(r, k) for r in runs]) for k in ("uncertainty", "random"))
    assert uncertain.mean() > random.mean() and (uncertain > random).sum() >= 6, benchmark.report(runs)


def test_the_benchmark_reads_the_corpus_it_names(benchmark):
    assert Path(benchmark.CORPUS) == CORPUS
