"""claimx on Ray Data: ``pip install 'claimx[ray]'``.

    import ray, claimx.scale.ray
    ds = ray.data.read_parquet("news/")                  # columns: id, text, ...
    claims = claimx.scale.ray.extract(ds, concurrency=4, num_cpus=2, documents_per_call=64,
                                      translation_models={"de": "/models/opus-mt-de-en"})
    claims.write_parquet("claims/")

Each actor of the pool builds one :class:`~claimx.Extractor` (models load once per
actor) and sets torch's thread count from its CPU share, so actors do not
oversubscribe the cores. :func:`process` keeps one row per document, failures
included, so nothing is lost; :func:`extract` flattens it to one row per claim.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ..builder import check_models, config_from_options
from ..config import ExtractorConfig
from ..errors import ConfigError
from ..frames import COLUMNS, claim_rows
from ..types import Document, DocumentResult
from .batch_function import ROW_COLUMNS, close_extractor, cpu_share, process_batch, process_extractor, result_to_row

if TYPE_CHECKING:
    import ray.data


def _require_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError as e:
        raise ConfigError("Ray is not installed: pip install 'claimx[ray]'") from e
    return ray


def _content_id(text: Any) -> str:
    import hashlib

    return "text-" + hashlib.sha256(str(text).encode("utf-8")).hexdigest()[:16]


class _DocumentMapper:
    """Ray actor: one Extractor per actor, built in the constructor."""

    def __init__(self, text_column: str, id_column: str | None, num_cpus: float | None, config: ExtractorConfig):
        from ..model_files import set_threads

        set_threads(cpu_share(num_cpus))  # this actor's share of the cores, no oversubscription
        self.text_column, self.id_column, self.config = text_column, id_column, config
        process_extractor(config)  # build now: the first batch should not pay for loading

    def __del__(self) -> None:  # the actor is going away: close the cache, free the models
        try:
            close_extractor(self.config)
        except Exception:  # noqa: S110 - at interpreter exit the module may already be gone
            pass

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, list[Any]]:
        texts = batch[self.text_column]
        ids = batch[self.id_column] if self.id_column and self.id_column in batch else None
        languages = batch.get("language")
        documents = [
            {
                # Ray gives a batch no global row number, so an id-less row is named by its text.
                "id": str(ids[i]) if ids is not None else _content_id(t),
                "text": t if isinstance(t, str) else "",
                "language": (str(languages[i]) or None) if languages is not None else None,
            }
            for i, t in enumerate(texts)
        ]
        rows = [result_to_row(r) for r in process_batch(documents, self.config)]
        return {c: [r[c] for r in rows] for c in ROW_COLUMNS}


def process(
    ds: ray.data.Dataset,
    *,
    text_column: str = "text",
    id_column: str | None = "id",
    concurrency: int = 1,
    num_cpus: float | None = 1,
    num_gpus: float | None = None,
    documents_per_call: int = 64,
    config: ExtractorConfig | None = None,
    **extractor_options: Any,
) -> ray.data.Dataset:
    """One row per input document, with the fields of :meth:`claimx.DocumentResult.to_dict`
    (``error_kind`` included; lists and mappings as JSON: see
    :func:`claimx.scale.batch_function.row_to_result`).

    Without an ``id_column`` in the data, a document's id is ``text-`` plus a hash of its
    text (stable across runs and batches). ``concurrency`` actors each load the models
    once; ``num_cpus``/``num_gpus`` are per actor (torch threads follow ``num_cpus``);
    ``documents_per_call`` documents per call. The extractor is ``config`` with
    ``extractor_options`` (keywords of :class:`~claimx.Extractor`) applied.
    """
    ray = _require_ray()

    if num_gpus and "device" not in extractor_options and (config is None or config.device == "auto"):
        extractor_options["device"] = "cuda"
    config = config_from_options(config, extractor_options)
    check_models(config)  # here, once: a missing model is one error, not one per actor and document
    resources: dict[str, Any] = {"num_cpus": num_cpus}
    if num_gpus:
        resources["num_gpus"] = num_gpus
    return ds.map_batches(
        _DocumentMapper,
        fn_constructor_kwargs={
            "text_column": text_column,
            "id_column": id_column,
            "num_cpus": num_cpus,
            "config": config,
        },
        batch_size=documents_per_call,
        batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=concurrency),
        **resources,
    )


def _flatten(batch: dict[str, np.ndarray]) -> dict[str, list[Any]]:
    import json

    from ..types import Claim

    claims = [Claim.from_dict(c) for payload in batch["claims"] for c in json.loads(payload)]
    rows = claim_rows(claims)
    return {c: [r[c] for r in rows] for c in COLUMNS}


def extract(ds: ray.data.Dataset, **options: Any) -> ray.data.Dataset:
    """One row per claim, with the columns of :func:`claimx.to_dataset`.

    Documents that could not be processed have no rows here; use :func:`process` to see them.
    """
    return process(ds, **options).map_batches(_flatten, batch_format="numpy")


def processor(
    *, address: str | None = None, window: int = 10_000, **options: Any
) -> Callable[[Iterable[Document]], Iterator[DocumentResult]]:
    """A document processor for :func:`claimx.job.run_job` that runs on a Ray cluster.

    Documents are sent in windows of ``window`` (so a million need not fit in the
    driver at once); results come back one per document, in completion order.
    """
    import itertools

    from .batch_function import row_to_result

    ray = _require_ray()

    if not ray.is_initialized():
        ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)

    def run(documents: Iterable[Document]) -> Iterator[DocumentResult]:
        items = iter(documents)
        while window_docs := list(itertools.islice(items, window)):
            metadata = {d.id: dict(d.metadata) for d in window_docs}
            rows = [{"id": d.id, "text": d.text, "language": d.language or ""} for d in window_docs]
            for row in process(ray.data.from_items(rows), **options).iter_rows():
                result = row_to_result(row)
                # Metadata (e.g. the source path) stays in the driver rather than travelling.
                yield replace(result, metadata={**metadata.get(result.doc_id, {}), **result.metadata})

    return run
