"""The pipeline: the only place that knows the order of the steps.

prepare (language, boilerplate, sentences) → translate → classify → decide → claims.
The parts arrive ready, from :func:`claimx.builder.build_parts`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any, Literal

from .builder import build_parts, config_from_options
from .claims import ClaimList
from .classify.base import Classifier, verdicts
from .classify.decision import Decision
from .config import ExtractorConfig
from .documents import DocumentLike, as_document, id_of
from .errors import ClaimxError, ConfigError, InputError, ModelError, UnsafeModelError
from .labels import LabelConfig
from .parts import close_part, part_errors
from .places import sentence_places
from .prepare import PreparedDocument, prepare_document
from .translate.base import Translator
from .translate.step import translate_documents
from .types import Claim, Document, DocumentResult, ErrorKind

logger = logging.getLogger(__name__)

MODEL_FAILURE = "model failure"


class Extractor:
    """Extracts labelled claims from documents; models load on first use, once.

    Takes the fields of :class:`~claimx.config.ExtractorConfig` as keywords
    (``batch_size`` and ``chunk_size`` name ``sentences_per_batch`` and
    ``documents_per_chunk``), or a whole ``config``; ``translator`` and ``classifier``
    replace the backends the config names (``classifier`` may also name a kind:
    ``"nli"``, ``"embedding"``, ``"head"``). The most used:

    Args:
        translation_models: Source language -> hub id or local folder of a MarianMT model.
        classifier_model: Hub id or local folder of an NLI model.
        labels: What is looked for; ``decision``: when a stance wins over neutral.
        device: ``auto`` (cuda, then mps, then cpu), ``cpu``, ``cuda``, ...
        batch_size: Sentences per model call.
        untranslatable: ``"keep"`` classifies text with no translation model untranslated
            (``translated=False`` and a warning); ``"skip"`` leaves it out, recorded in ``dropped``.
        prefilter, cache_dir, threads, quantize: Speed options (see the config).

    >>> with Extractor(device="cpu") as ex:  # closes the cache and frees the models  # doctest: +SKIP
    ...     claims = ex.extract(["Russia opened a new military base in Mali."])
    """

    def __init__(
        self,
        translation_models: Mapping[str, str] | None = None,
        classifier_model: str | None = None,
        *,
        config: ExtractorConfig | None = None,
        translator: Translator | None = None,
        classifier: Classifier | str | None = None,
        **options: Any,
    ) -> None:
        if isinstance(classifier, str):  # a kind ("nli", "embedding", "head"), not a ready part
            options["classifier"], classifier = classifier, None
        if translation_models is not None:
            options["translation_models"] = translation_models
        if classifier_model is not None:
            options["classifier_model"] = classifier_model
        self.config = config_from_options(config, options)
        self.translator, self.classifier = build_parts(self.config, translator=translator, classifier=classifier)
        self._warned_languages: set[str] = set()

    def close(self) -> None:
        """Close the cache and let the models go; a later call loads them again."""
        close_part(self.classifier)
        close_part(self.translator)

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @classmethod
    def from_config(cls, config: ExtractorConfig | str, **parts: Any) -> Extractor:
        """An extractor for ``config`` (an :class:`ExtractorConfig` or a TOML/JSON file)."""
        if not isinstance(config, ExtractorConfig):
            config = ExtractorConfig.from_file(config)
        return cls(config=config, **parts)

    @property
    def labels(self) -> LabelConfig:
        return self.config.labels

    @property
    def decision(self) -> Decision:
        """The decision in force: the configured one, its threshold filled from the classifier's default."""
        return self.config.decision.with_default(self.classifier.default_threshold)

    @property
    def threshold(self) -> float:
        """The neutral threshold in force (configured, or the classifier's default)."""
        return float(self.decision.threshold)  # type: ignore[arg-type]

    def extract(
        self, documents: Iterable[DocumentLike] | DocumentLike, *, on_error: Literal["raise", "skip"] = "skip"
    ) -> ClaimList:
        """Claims of all ``documents``, in order.

        A document that cannot be processed (empty, unknown language, model failure) is
        logged and left out (``on_error="skip"``, the default); with ``"raise"`` it raises
        :class:`~claimx.errors.ClaimxError` naming it. :meth:`process` reports every
        document instead.
        """
        if on_error not in ("raise", "skip"):
            raise ConfigError(f"on_error must be 'raise' or 'skip', got {on_error!r}")
        claims = ClaimList()
        seen: set[str] = set()
        for result in self.process(documents):
            if result.doc_id in seen:  # their claims would read as one document's
                logger.warning("duplicate document id %r: give each document its own id", result.doc_id)
            seen.add(result.doc_id)
            if result.error:
                if on_error == "raise":
                    kind = ModelError if result.error_kind is ErrorKind.MODEL else InputError
                    raise kind(f"document {result.doc_id!r}: {result.error}")
                logger.warning("skipped document %r: %s", result.doc_id, result.error)
            claims.extend(result.claims)
        return claims

    def __call__(self, inputs: DocumentLike | Sequence[DocumentLike], **kwargs: Any) -> ClaimList | list[ClaimList]:
        """As a Hugging Face pipeline: a text gives its claims, a list one ClaimList per text."""
        if isinstance(inputs, (str, Document, Mapping)):
            return self.extract(inputs, **kwargs)
        return [self.extract(item, **kwargs) for item in inputs]

    def extract_dataset(
        self, dataset: Any, *, text_column: str = "text", id_column: str | None = None, rows_per_map: int = 256
    ) -> Any:
        """Claims of a ``datasets.Dataset``, as a new dataset with one row per claim.

        Maps over ``dataset`` in batches of ``rows_per_map`` rows (``Dataset.map(batched=True)``);
        the claim columns are those of :func:`claimx.to_dataset`. Rows that cannot be
        processed are logged and left out; use :meth:`process` to see every document's fate.
        """
        from .frames import COLUMNS, claim_rows

        def label_batch(batch: dict[str, list[Any]], indices: list[int]) -> dict[str, list[Any]]:
            ids = batch[id_column] if id_column else [f"row-{i}" for i in indices]
            docs = [
                Document(id=str(i), text=t if isinstance(t, str) else "")
                for i, t in zip(ids, batch[text_column], strict=True)
            ]
            rows = claim_rows(self.extract(docs, on_error="skip"))
            return {c: [r[c] for r in rows] for c in COLUMNS}

        return dataset.map(
            label_batch, batched=True, batch_size=rows_per_map, with_indices=True, remove_columns=dataset.column_names
        )

    def process(self, documents: Iterable[DocumentLike] | DocumentLike) -> Iterator[DocumentResult]:
        """One :class:`DocumentResult` per input document, in order, streaming.

        Problems with a document (bad input, a failing model) end up in that
        result's ``error`` and ``error_kind``; they never stop the other documents.
        """
        if documents is None:
            raise InputError("documents is None; pass texts, claimx.Document objects or mappings")
        if isinstance(documents, (bytes, bytearray)):
            raise InputError("documents are bytes; decode them first (claimx.io.decode_bytes does this safely)")
        if isinstance(documents, (str, Document, Mapping)):  # one document, not an iterable of characters
            documents = [documents]
        try:
            items = iter(documents)
        except TypeError as e:
            raise InputError(f"documents must be an iterable of documents, got {type(documents).__name__}") from e
        index = 0
        while chunk := list(islice(items, self.config.documents_per_chunk)):
            prepared: list[PreparedDocument | DocumentResult] = []
            for item in chunk:
                try:
                    prepared.append(
                        prepare_document(
                            as_document(item, index),
                            max_sentence_chars=self.config.max_sentence_chars,
                            max_document_chars=self.config.max_document_chars,
                        )
                    )
                except (ClaimxError, TypeError) as e:
                    prepared.append(DocumentResult(id_of(item, index), "und", (), error=str(e)))
                index += 1
            yield from self._finish_chunk(prepared)

    def _finish_chunk(self, items: list[PreparedDocument | DocumentResult]) -> list[DocumentResult]:
        todo = [p for p in items if isinstance(p, PreparedDocument) and not p.error]
        try:
            finished = dict(zip(map(id, todo), self._label(todo), strict=True))
        except UnsafeModelError:
            raise  # refused weights are the caller's choice to make (allow_pickle), not a failure to retry
        except ModelError as e:
            if len(todo) <= 1:
                finished = {id(p): _failed(p, f"{MODEL_FAILURE}: {e}", ErrorKind.MODEL) for p in todo}
            else:  # find which document breaks the model; the rest go through
                logger.warning("model failure in a chunk of %d documents, retrying one by one: %s", len(todo), e)
                finished = {id(p): self._finish_chunk([p])[0] for p in todo}
        out: list[DocumentResult] = []
        for item in items:
            if isinstance(item, DocumentResult):
                out.append(item)
            elif item.error:
                out.append(_failed(item, item.error, ErrorKind.INPUT))
            else:
                out.append(finished[id(item)])
        return out

    def _label(self, docs: Sequence[PreparedDocument]) -> list[DocumentResult]:
        ids = [p.document.id for p in docs]
        with part_errors("translator", ids):
            translated = translate_documents(
                [(p.sentences, p.model_texts) for p in docs], self.translator, self.config.untranslatable,
                self._warned_languages,
            )  # fmt: skip
        texts = list(dict.fromkeys(e.text for t in translated for e in t.english.values()))
        with part_errors(f"classifier {self.classifier.model_id}", ids):
            found = dict(zip(texts, verdicts(self.classifier, texts), strict=True))
        decision = self.decision
        results = []
        for p, t in zip(docs, translated, strict=True):
            claims: list[Claim] = []
            for j, s in enumerate(p.sentences):
                if j not in t.english:
                    continue
                english, verdict = t.english[j], found[t.english[j].text]
                label, score = decision.decide(verdict.scores)
                claims.append(
                    Claim(
                        doc_id=p.document.id,
                        sentence_index=len(claims),
                        text=s.text,
                        text_en=english.text,
                        language=s.language,
                        start=s.start,
                        end=s.end,
                        label=label,
                        score=score,
                        scores=verdict.scores,
                        translated=english.translated,
                        models=(*((english.model_id,) if english.model_id else ()), verdict.model_id),
                        note=verdict.note,
                        places=sentence_places(s.text, s.language, english.text),
                        actor=self.labels.actor,
                    )
                )
            results.append(
                DocumentResult(
                    doc_id=p.document.id,
                    language=p.language,
                    claims=tuple(claims),
                    dropped=(*p.dropped, *t.dropped),
                    metadata=p.metadata,
                    warnings=(*p.warnings, *t.warnings),
                )
            )
        return results


def _failed(p: PreparedDocument, error: str, kind: ErrorKind) -> DocumentResult:
    return DocumentResult(
        doc_id=p.document.id,
        language=p.language,
        claims=(),
        dropped=tuple(p.dropped),
        metadata=p.metadata,
        warnings=tuple(p.warnings),
        error=error,
        error_kind=kind,
    )


def extract(
    documents: Iterable[DocumentLike] | DocumentLike,
    *,
    on_error: Literal["raise", "skip"] = "skip",
    **options: Any,
) -> ClaimList:
    """Extract labelled claims from documents with the default models.

    Args:
        documents: Texts, :class:`Document` objects or ``{"id", "text", ...}`` mappings
            (one of them alone is accepted too).
        on_error: ``"skip"`` (default: logged and left out) or ``"raise"`` on documents
            that cannot be processed.
        **options: Passed to :class:`Extractor` (``device``, ``batch_size``, ``labels``, ...).

    Returns:
        One :class:`Claim` per kept sentence: its text as written and in English, its
        language, its span in the document, the label and every label's score.

    >>> claims = extract(["Russia opened a new military base in Mali."])  # offline: one warning, no NLI
    >>> claims[0].label
    <Label.RUSSIAN_GAIN: 'russian_gain'>
    """
    if on_error not in ("raise", "skip"):
        raise ConfigError(f"on_error must be 'raise' or 'skip', got {on_error!r}")
    return Extractor(**options).extract(documents, on_error=on_error)
