"""The pipeline: the only place that knows the order of the parts."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Any, Literal

from .classify import Classifier, Scores, decide
from .defaults import default_classifier
from .errors import ClaimxError, ConfigError, InputError, ModelError
from .frames import ClaimList
from .labels import LabelConfig
from .models import set_threads
from .prepare import MAX_DOCUMENT_CHARS, PreparedDocument, prepare_document
from .segment import MAX_SENTENCE_CHARS
from .translate import MarianTranslator, Translator
from .types import Claim, Document, DocumentResult, Label, Segment

logger = logging.getLogger(__name__)

DocumentLike = Document | str | Mapping[str, Any]
Untranslatable = Literal["keep", "skip"]

ENGLISH = "en"
MODEL_FAILURE = "model failure"


def as_document(item: DocumentLike, index: int) -> Document:
    """Accept a Document, a plain string (id ``doc-<index>``) or a mapping with ``text``."""
    if isinstance(item, Document):
        return item
    if isinstance(item, str):
        return Document(id=f"doc-{index}", text=item)
    if isinstance(item, Mapping):
        from .io import document_from_record

        return document_from_record(dict(item), "", f"doc-{index}")
    raise InputError(f"item {index} is a {type(item).__name__}; expected claimx.Document, str or a mapping")


class Extractor:
    """Extracts labelled claims from documents; models load on first use, once.

    Args:
        translation_models: Source language -> hub id or local folder of a MarianMT
            model. Other languages try ``Helsinki-NLP/opus-mt-{lang}-en``.
        classifier_model: Hub id or local folder of an NLI model. ``None`` uses the
            default NLI model if it is available, else the packaged embedding model.
        translator: A ready :class:`~claimx.translate.Translator` (overrides ``translation_models``).
        classifier: A ready :class:`~claimx.classify.Classifier` (overrides ``classifier_model``).
        labels: Actor, hypotheses, descriptions and thresholds.
        device: ``auto`` (cuda, then mps, then cpu), ``cpu``, ``cuda``, ...
        batch_size: Sentences per model call.
        untranslatable: For text in a language with no translation model: ``"keep"``
            classifies it untranslated (claims have ``translated=False`` and the document
            a warning); ``"skip"`` leaves such sentences out, recorded in ``dropped``.
        allow_pickle: Accept pickled ``.bin`` weights (unsafe; off by default).
        chunk_size: Documents processed together, so batches span documents.
        max_sentence_chars: Longer sentences are cut at whitespace into pieces this long.
        max_document_chars: Longer documents are refused (recorded as errors), bounding cost.
        prefilter: Minimum relevance (cosine similarity to the topic descriptions, by the
            packaged MiniLM encoder) for a sentence to reach the classifier; the others are
            labelled neutral with a ``note``. ``None`` (default) sends every sentence.
        cache_dir: Folder of an on-disk cache of translations and scores keyed by
            (model, text), so re-runs and repeated sentences cost nothing.
        threads: ``torch.set_num_threads`` for this process (``None`` leaves torch's choice).

    >>> ex = Extractor(device="cpu")  # doctest: +SKIP
    >>> claims = ex.extract(["Russia opened a new military base in Mali."])  # doctest: +SKIP
    """

    def __init__(
        self,
        translation_models: Mapping[str, str] | None = None,
        classifier_model: str | None = None,
        *,
        translator: Translator | None = None,
        classifier: Classifier | None = None,
        labels: LabelConfig | None = None,
        device: str = "auto",
        batch_size: int = 16,
        untranslatable: Untranslatable = "keep",
        allow_pickle: bool = False,
        chunk_size: int = 32,
        max_sentence_chars: int = MAX_SENTENCE_CHARS,
        max_document_chars: int = MAX_DOCUMENT_CHARS,
        prefilter: float | None = None,
        cache_dir: str | Path | None = None,
        threads: int | None = None,
    ) -> None:
        if untranslatable not in ("keep", "skip"):
            raise ConfigError(f"untranslatable must be 'keep' or 'skip', got {untranslatable!r}")
        if batch_size < 1 or chunk_size < 1:
            raise ConfigError(f"batch_size and chunk_size must be >= 1, got {batch_size} and {chunk_size}")
        self.labels = labels or LabelConfig()
        self.translator: Translator = translator or MarianTranslator(
            translation_models, device=device, batch_size=batch_size, allow_pickle=allow_pickle
        )
        self.classifier: Classifier = classifier or default_classifier(
            classifier_model, self.labels, device=device, batch_size=batch_size, allow_pickle=allow_pickle
        )
        if threads is not None:
            set_threads(threads)
        if cache_dir is not None:
            from .cache import CachedClassifier, CachedTranslator, DiskCache

            cache = DiskCache(Path(cache_dir) / "claimx-cache.sqlite")
            self.translator = CachedTranslator(self.translator, cache)
            self.classifier = CachedClassifier(self.classifier, cache)
        self.prefilter = None
        if prefilter is not None:
            from .embed_classify import EmbeddingClassifier

            self.prefilter = RelevanceFilter(EmbeddingClassifier(labels=self.labels, device=device), prefilter)
        self.untranslatable = untranslatable
        self.chunk_size = chunk_size
        self.max_sentence_chars = max_sentence_chars
        self.max_document_chars = max_document_chars
        self._warned_languages: set[str] = set()

    @property
    def threshold(self) -> float:
        """The neutral threshold in force (configured, or the classifier's default)."""
        if self.labels.threshold is not None:
            return self.labels.threshold
        return self.classifier.default_threshold

    def extract(
        self, documents: Iterable[DocumentLike] | DocumentLike, *, on_error: Literal["raise", "skip"] = "raise"
    ) -> ClaimList:
        """Claims of all ``documents``, in order.

        With ``on_error="raise"`` a document that cannot be processed (empty, unknown
        language, model failure) raises :class:`~claimx.errors.ClaimxError` naming it;
        with ``"skip"`` it is logged and left out. :meth:`process` reports every
        document instead.
        """
        claims = ClaimList()
        for result in self.process(documents):
            if result.error:
                if on_error == "raise":
                    kind = ModelError if result.error.startswith(MODEL_FAILURE) else InputError
                    raise kind(f"document {result.doc_id!r}: {result.error}")
                logger.warning("skipped document %r: %s", result.doc_id, result.error)
            claims.extend(result.claims)
        return claims

    def extract_dataset(
        self, dataset: Any, *, text_column: str = "text", id_column: str | None = None, batch_size: int = 256
    ) -> Any:
        """Claims of a ``datasets.Dataset``, as a new dataset with one row per claim.

        Maps over ``dataset`` in batches (``Dataset.map(batched=True)``); the claim
        columns are those of :func:`claimx.to_dataset`. Rows that cannot be processed
        are logged and left out; use :meth:`process` to see every document's fate.
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
            label_batch, batched=True, batch_size=batch_size, with_indices=True, remove_columns=dataset.column_names
        )

    def process(self, documents: Iterable[DocumentLike] | DocumentLike) -> Iterator[DocumentResult]:
        """One :class:`DocumentResult` per input document, in order, streaming.

        Problems with a document (bad input, a failing model) end up in that
        result's ``error``; they never stop the other documents.
        """
        if isinstance(documents, (str, Document, Mapping)):  # one document, not an iterable of characters
            documents = [documents]
        items = iter(documents)
        index = 0
        while chunk := list(islice(items, self.chunk_size)):
            prepared: list[PreparedDocument | DocumentResult] = []
            for item in chunk:
                try:
                    doc = as_document(item, index)
                    prepared.append(
                        prepare_document(
                            doc,
                            max_sentence_chars=self.max_sentence_chars,
                            max_document_chars=self.max_document_chars,
                        )
                    )
                except (ClaimxError, TypeError) as e:
                    prepared.append(DocumentResult(doc_id=_id_of(item, index), language="und", claims=(), error=str(e)))
                index += 1
            yield from self._finish_chunk(prepared)

    def _finish_chunk(self, items: list[PreparedDocument | DocumentResult]) -> list[DocumentResult]:
        todo = [p for p in items if isinstance(p, PreparedDocument) and not p.error]
        notes_before = {id(p): (list(p.warnings), list(p.dropped)) for p in todo}
        try:
            finished = dict(zip(map(id, todo), self._label(todo), strict=True))
        except ModelError as e:
            for p in todo:  # a failed attempt must not leave its notes behind for the retry
                p.warnings[:], p.dropped[:] = notes_before[id(p)]
            if len(todo) <= 1:
                finished = {id(p): _failed(p, f"{MODEL_FAILURE}: {e}") for p in todo}
            else:  # find which document breaks the model; the rest go through
                logger.warning("model failure in a chunk of %d documents, retrying one by one: %s", len(todo), e)
                finished = {id(p): self._finish_chunk([p])[0] for p in todo}
        out: list[DocumentResult] = []
        for item in items:
            if isinstance(item, DocumentResult):
                out.append(item)
            elif item.error:
                out.append(_failed(item, item.error))
            else:
                out.append(finished[id(item)])
        return out

    def _score(self, texts: list[str]) -> tuple[dict[str, Scores], dict[str, str]]:
        """Scores per text, and for texts the pre-filter kept from the classifier, a note."""
        notes: dict[str, str] = {}
        to_classify = texts
        if self.prefilter is not None:
            relevance = self.prefilter.relevance(texts)
            floor = self.prefilter.min_relevance
            notes = {
                t: f"pre-filter: relevance {r:.2f} < {floor:.2f}, classifier skipped"
                for t, r in zip(texts, relevance, strict=True)
                if r < floor
            }
            to_classify = [t for t in texts if t not in notes]
        scores = dict(zip(to_classify, self.classifier.classify(to_classify), strict=True))
        scores.update({t: dict(IRRELEVANT) for t in notes})
        return scores, notes

    def _label(self, docs: Sequence[PreparedDocument]) -> list[DocumentResult]:
        english = self._translate(docs)
        texts = list(dict.fromkeys(t for per_doc in english for t, _, _ in per_doc.values()))
        scores, notes = self._score(texts)
        threshold, margin = self.threshold, self.labels.margin
        results = []
        for p, per_doc in zip(docs, english, strict=True):
            claims: list[Claim] = []
            for s in p.sentences:
                if id(s) not in per_doc:
                    continue
                text_en, translated, model = per_doc[id(s)]
                label, score = decide(scores[text_en], threshold, margin)
                claims.append(
                    Claim(
                        doc_id=p.document.id,
                        sentence_index=len(claims),
                        text=s.text,
                        text_en=text_en,
                        language=s.language,
                        start=s.start,
                        end=s.end,
                        label=label,
                        score=score,
                        scores=scores[text_en],
                        translated=translated,
                        models=(
                            *((model,) if model else ()),
                            self.prefilter.model_id if text_en in notes else self.classifier.model_id,  # type: ignore[union-attr]
                        ),
                        note=notes.get(text_en, ""),
                    )
                )
            results.append(
                DocumentResult(
                    doc_id=p.document.id,
                    language=p.language,
                    claims=tuple(claims),
                    dropped=tuple(p.dropped),
                    metadata=p.metadata,
                    warnings=tuple(p.warnings),
                )
            )
        return results

    def _translate(self, docs: Sequence[PreparedDocument]) -> list[dict[int, tuple[str, bool, str]]]:
        """Per document: sentence id -> (English text, translated?, translation model id)."""
        english: list[dict[int, tuple[str, bool, str]]] = [{} for _ in docs]
        by_lang: dict[str, list[tuple[int, Segment, str]]] = defaultdict(list)
        for i, p in enumerate(docs):
            for s, text in zip(p.sentences, p.model_texts, strict=True):
                if s.language == ENGLISH:
                    english[i][id(s)] = (text, False, "")
                else:
                    by_lang[s.language].append((i, s, text))
        for lang, items in by_lang.items():
            if self.translator.can_translate(lang):
                model_id = self.translator.model_id(lang)
                unique = list(dict.fromkeys(text for _, _, text in items))
                done = dict(zip(unique, self.translator.translate(unique, lang), strict=True))
                for i, s, text in items:
                    english[i][id(s)] = (done[text], True, model_id)
                continue
            note = f"no translation model for language {lang!r} ({_model_hint(self.translator, lang)})"
            if lang not in self._warned_languages:
                self._warned_languages.add(lang)
                logger.warning("%s; %s", note, _UNTRANSLATABLE_NOTE[self.untranslatable])
            for i in sorted({i for i, _, _ in items}):
                docs[i].warnings.append(f"{note}; {_UNTRANSLATABLE_NOTE[self.untranslatable]}")
            for i, s, text in items:
                if self.untranslatable == "keep":
                    english[i][id(s)] = (text, False, "")
                else:
                    docs[i].dropped.append(Segment(s.start, s.end, s.text, s.language, "no translation model"))
        return english


IRRELEVANT: Scores = {Label.RUSSIAN_GAIN.value: 0.0, Label.RUSSIAN_LOSS.value: 0.0, Label.NEUTRAL.value: 1.0}


class RelevanceFilter:
    """Cheap gate before an expensive classifier: topic relevance by a sentence encoder.

    Args:
        encoder: The embedding classifier whose topic descriptions define relevance.
        min_relevance: Sentences below this cosine similarity skip the classifier.
    """

    def __init__(self, encoder: Any, min_relevance: float) -> None:
        self.encoder = encoder
        self.min_relevance = min_relevance
        self.model_id = f"{encoder.model_id} (relevance pre-filter)"

    def relevance(self, texts: Sequence[str]) -> list[float]:
        return [float(r) for r in self.encoder.relevance(texts)]


_UNTRANSLATABLE_NOTE = {"keep": "classified untranslated", "skip": "its sentences were left out"}


def _model_hint(translator: Translator, lang: str) -> str:
    try:
        return f"looked for {translator.model_id(lang)}"
    except ClaimxError as e:
        return str(e)


def _failed(p: PreparedDocument, error: str) -> DocumentResult:
    return DocumentResult(
        doc_id=p.document.id,
        language=p.language,
        claims=(),
        dropped=tuple(p.dropped),
        metadata=p.metadata,
        warnings=tuple(p.warnings),
        error=error,
    )


def _id_of(item: Any, index: int) -> str:
    if isinstance(item, Document):
        return item.id
    if isinstance(item, Mapping) and "id" in item:
        return str(item["id"])
    return f"doc-{index}"


def extract(
    documents: Iterable[DocumentLike] | DocumentLike,
    *,
    on_error: Literal["raise", "skip"] = "raise",
    **options: Any,
) -> ClaimList:
    """Extract labelled claims from documents with the default models.

    Args:
        documents: Texts, :class:`Document` objects or ``{"id", "text", ...}`` mappings
            (one of them alone is accepted too).
        on_error: ``"raise"`` (default) or ``"skip"`` documents that cannot be processed.
        **options: Passed to :class:`Extractor` (``device``, ``batch_size``, ``labels``, ...).

    Returns:
        One :class:`Claim` per kept sentence: its text as written and in English, its
        language, its span in the document, the label and every label's score.

    >>> claims = extract(["Russia opened a new military base in Mali."])  # doctest: +SKIP
    >>> claims[0].label  # doctest: +SKIP
    <Label.RUSSIAN_GAIN: 'russian_gain'>
    """
    return Extractor(**options).extract(documents, on_error=on_error)
