"""The translation step: sentences grouped by source language, English passed through,
and the policy for languages no model translates."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import ClaimxError
from ..types import Segment
from .base import Translator

logger = logging.getLogger(__name__)

ENGLISH = "en"
UNTRANSLATABLE_NOTE = {"keep": "classified untranslated", "skip": "its sentences were left out"}


@dataclass(frozen=True, slots=True)
class English:
    """One sentence as the classifier will read it."""

    text: str
    translated: bool
    model_id: str = ""


@dataclass(slots=True)
class TranslatedDocument:
    """Per kept sentence (by position) its English, plus what the step adds to the document's notes."""

    english: dict[int, English] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    dropped: list[Segment] = field(default_factory=list)


def translate_documents(
    documents: Sequence[tuple[Sequence[Segment], Sequence[str]]],
    translator: Translator,
    untranslatable: str,
    warned: set[str],
) -> list[TranslatedDocument]:
    """Translate every non-English sentence of ``documents`` ((sentences, model texts) pairs).

    Each language goes to the translator once, de-duplicated. A language with no model is
    kept untranslated or skipped (``untranslatable``), noted on each document it touches and
    logged once per process (``warned`` holds the languages already logged).
    """
    out = [TranslatedDocument() for _ in documents]
    by_lang: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for i, (sentences, texts) in enumerate(documents):
        for j, (s, text) in enumerate(zip(sentences, texts, strict=True)):
            if s.language == ENGLISH:
                out[i].english[j] = English(text, False)
            else:
                by_lang[s.language].append((i, j, text))
    for lang, items in by_lang.items():
        if translator.can_translate(lang):
            model_id = translator.model_id(lang)
            unique = list(dict.fromkeys(text for _, _, text in items))
            done = dict(zip(unique, translator.translate(unique, lang), strict=True))
            for i, j, text in items:
                out[i].english[j] = English(done[text], True, model_id)
            continue
        note = f"no translation model for language {lang!r} ({_model_hint(translator, lang)})"
        policy = UNTRANSLATABLE_NOTE[untranslatable]
        if lang not in warned:
            warned.add(lang)
            logger.warning("%s; %s", note, policy)
        for i in sorted({i for i, _, _ in items}):
            out[i].warnings.append(f"{note}; {policy}")
        for i, j, text in items:
            if untranslatable == "keep":
                out[i].english[j] = English(text, False)
            else:
                s = documents[i][0][j]
                out[i].dropped.append(Segment(s.start, s.end, s.text, s.language, "no translation model"))
    return out


def _model_hint(translator: Translator, lang: str) -> str:
    try:
        return f"looked for {translator.model_id(lang)}"
    except ClaimxError as e:
        return str(e)
