"""From a raw document to the sentences worth classifying: prelude, language, boilerplate, sentences."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .boilerplate import BoilerplateFilter, split_prelude
from .config import MAX_DOCUMENT_CHARS, MAX_SENTENCE_CHARS
from .language import detect_language
from .markup import analysis_view, model_text
from .segment import iter_lines, split_sentences
from .types import UNDETERMINED, Document, Segment

PARAGRAPH_MIN_LETTERS = 40
"""Lines with at least this many letters get their own language check."""

PARAGRAPH_MIN_PROBABILITY = 0.90


@dataclass(slots=True)
class PreparedDocument:
    """A document cut into the sentences to classify, and the stretches left out.

    ``model_texts[i]`` is what models read for ``sentences[i]``: the sentence itself, or,
    where markup or invisible characters were blanked, the cleaned sentence.
    """

    document: Document
    language: str
    sentences: list[Segment] = field(default_factory=list)
    model_texts: list[str] = field(default_factory=list)
    dropped: list[Segment] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str = ""


def _line_language(text: str, doc_language: str, forced: bool) -> str:
    if forced or sum(ch.isalpha() for ch in text) < PARAGRAPH_MIN_LETTERS:
        return doc_language
    guess = detect_language(text, min_probability=PARAGRAPH_MIN_PROBABILITY)
    return guess.code if guess.known else doc_language


def prepare_document(
    doc: Document,
    *,
    max_sentence_chars: int = MAX_SENTENCE_CHARS,
    max_document_chars: int = MAX_DOCUMENT_CHARS,
) -> PreparedDocument:
    """Split ``doc`` into kept sentences and dropped segments; never raises on bad text.

    Language is detected for the document and again for each substantial line, so
    a German paragraph inside an English article is treated as German. A
    caller-supplied ``doc.language`` wins everywhere.
    """
    original = doc.text
    if len(original) > max_document_chars:
        return PreparedDocument(
            doc,
            UNDETERMINED,
            metadata=dict(doc.metadata),
            error=f"document too large ({len(original):,} characters > {max_document_chars:,}); split it first",
        )
    text = analysis_view(original)  # same length: every offset below indexes the original too
    body_start, found = split_prelude(text)
    metadata = {**doc.metadata, **found}
    if not text[body_start:].strip():
        reason = "empty document" if not original.strip() else "no text besides markup or invisible characters"
        return PreparedDocument(doc, UNDETERMINED, metadata=metadata, error=reason)
    forced = bool(doc.language)
    language = doc.language.lower() if doc.language else detect_language(text[body_start:]).code
    prepared = PreparedDocument(doc, language, metadata=metadata)
    if body_start:
        prepared.dropped.append(
            Segment(0, body_start, original[:body_start], language, "date stamp, moved to metadata")
        )
    filt = BoilerplateFilter()
    for start, end in iter_lines(text, body_start):
        verdict = filt.judge_line(text[start:end])
        if not verdict.keep:  # no language check for what is dropped: comment sections can be long
            prepared.dropped.append(Segment(start, end, original[start:end], language, verdict.reason))
            continue
        line_lang = _line_language(text[start:end], language, forced)
        for sentence in split_sentences(text, line_lang, start=start, end=end, max_chars=max_sentence_chars):
            sentence_verdict = filt.judge_sentence(sentence.text)
            written = original[sentence.start : sentence.end]
            if sentence_verdict.keep:
                prepared.sentences.append(Segment(sentence.start, sentence.end, written, line_lang))
                prepared.model_texts.append(model_text(written, sentence.text))
            else:
                prepared.dropped.append(
                    Segment(sentence.start, sentence.end, written, line_lang, sentence_verdict.reason)
                )
    if language == UNDETERMINED:
        known = {s.language for s in prepared.sentences} - {UNDETERMINED}
        if not known:
            prepared.error = (
                "language could not be determined (too little text, or not natural language); "
                "set Document.language to force one"
            )
            return prepared
        prepared.language = max(
            known, key=lambda code: sum(len(s.text) for s in prepared.sentences if s.language == code)
        )
        prepared.sentences = [
            s if s.language != UNDETERMINED else Segment(s.start, s.end, s.text, prepared.language)
            for s in prepared.sentences
        ]
    if not prepared.sentences:
        prepared.warnings.append("no sentence left after boilerplate removal")
    return prepared
