"""Typed inputs and results: :class:`Document` in, :class:`Claim` out."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

UNDETERMINED = "und"
"""Language code used when the language of a text cannot be told."""


class Label(enum.StrEnum):
    """The stance a sentence takes on the actor's geopolitical position.

    The values keep their first names, from when the actor was always Russia, so every file
    written since reads the same; they mean gain, loss or neutral for the claim's ``actor``
    (:data:`STANCE_NAMES`, the one mapping): ``russian_gain`` with ``actor="China"`` is China's gain.
    """

    RUSSIAN_GAIN = "russian_gain"
    RUSSIAN_LOSS = "russian_loss"
    NEUTRAL = "neutral"


STANCE_NAMES: Mapping[Label, str] = {Label.RUSSIAN_GAIN: "gain", Label.RUSSIAN_LOSS: "loss", Label.NEUTRAL: "neutral"}
"""Each label as the stance it names for the claim's actor; files keep the label's value."""

DEFAULT_ACTOR = "Russia"
"""The actor of a claim read from a file written before claims carried one."""


class ErrorKind(enum.StrEnum):
    """Why a document has no result: its input, or a model (a re-run may help only the latter)."""

    INPUT = "input"
    MODEL = "model"


class FrozenScores(Mapping[str, float]):
    """A read-only, hashable ``label -> score`` mapping (what :attr:`Claim.scores` holds).

    >>> s = FrozenScores({"neutral": 1.0})
    >>> s["neutral"], s == {"neutral": 1.0}, hash(s) == hash(FrozenScores(s))
    (1.0, True, True)
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, float] | None = None) -> None:
        self._data = {str(k): float(v) for k, v in (data or {}).items()}

    def __getitem__(self, key: str) -> float:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __repr__(self) -> str:
        return repr(self._data)

    def __reduce__(self) -> tuple[Any, ...]:
        return FrozenScores, (self._data,)


@dataclass(frozen=True, slots=True)
class Document:
    """One input text.

    Attributes:
        id: Caller's identifier, copied onto every claim.
        text: The text exactly as read; spans of claims index into it.
        language: ISO 639-1 code if known; when given it wins over detection.
        metadata: Free-form facts about the document (source, date, ...).
    """

    id: str
    text: str
    language: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str):
            raise TypeError(f"Document.id must be a str, got {type(self.id).__name__}: {self.id!r}")
        if not isinstance(self.text, str):
            raise TypeError(
                f"Document.text must be a str, got {type(self.text).__name__}; "
                "decode bytes first (claimx.io.decode_bytes does this safely)"
            )
        if self.language is not None:
            check_language(self.language)
        object.__setattr__(self, "metadata", dict(self.metadata))


_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def check_language(code: object) -> None:
    """Raise for anything but a language code of BCP 47 shape (``de``, ``pt-BR``, ``zh-Hant``, ``und``).

    A code names model folders: nothing else may pass (``de-en/../../evil``).
    """
    from .errors import InputError

    if not isinstance(code, str):
        raise TypeError(f"Document.language must be a str or None, got {type(code).__name__}: {code!r:.60}")
    if not _LANGUAGE.fullmatch(code):
        raise InputError(f"language {code[:60]!r} is not a language code such as 'de' or 'pt-BR'")


@dataclass(frozen=True, slots=True)
class Claim:
    """One labelled sentence, traceable to its source.

    Attributes:
        doc_id: Id of the source document.
        sentence_index: Position among the document's kept sentences (0-based).
        text: The sentence as written, ``document.text[start:end]``.
        text_en: The sentence in English (equal to ``text`` when untranslated).
        language: ISO 639-1 code of ``text`` (``"und"`` if unknown).
        start: Character offset of the sentence in ``document.text``.
        end: Character offset one past the sentence's end.
        label: The chosen label.
        score: Score of ``label``.
        scores: Score of every label, keyed by label value (read-only; ``dict(claim.scores)`` copies it).
        translated: Whether ``text_en`` came from a translation model.
        models: Ids of the models that produced ``text_en`` and ``label``.
        note: Why the label did not come from the classifier (e.g. the relevance pre-filter); usually empty.
        places: Countries (ISO 3166 alpha-2) and named regions the sentence names, in order of first mention.
        actor: Whose gain or loss ``label`` is (``LabelConfig.actor``); :attr:`stance` reads it as
            ``gain``, ``loss`` or ``neutral``.
    """

    doc_id: str
    sentence_index: int
    text: str
    text_en: str
    language: str
    start: int
    end: int
    label: Label
    score: float
    scores: Mapping[str, float]
    translated: bool
    models: tuple[str, ...]
    note: str = ""
    places: tuple[str, ...] = ()
    actor: str = DEFAULT_ACTOR

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", Label(self.label))
        object.__setattr__(self, "places", tuple(self.places))
        object.__setattr__(self, "scores", FrozenScores(self.scores))
        object.__setattr__(self, "models", tuple(self.models))

    @property
    def stance(self) -> str:
        """``label`` for :attr:`actor`: ``"gain"``, ``"loss"`` or ``"neutral"``."""
        return STANCE_NAMES[self.label]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict; :meth:`from_dict` inverts it exactly."""
        return {
            "doc_id": self.doc_id,
            "sentence_index": self.sentence_index,
            "text": self.text,
            "text_en": self.text_en,
            "language": self.language,
            "start": self.start,
            "end": self.end,
            "label": self.label.value,
            "actor": self.actor,
            "stance": self.stance,  # derived, for readers of the file; from_dict ignores it
            "score": self.score,
            "scores": dict(self.scores),
            "translated": self.translated,
            "models": list(self.models),
            "note": self.note,
            "places": list(self.places),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Claim:
        """Build a claim from :meth:`to_dict` output (extra keys are ignored)."""
        return cls(
            doc_id=str(data["doc_id"]),
            sentence_index=int(data["sentence_index"]),
            text=data["text"],
            text_en=data["text_en"],
            language=data["language"],
            start=int(data["start"]),
            end=int(data["end"]),
            label=Label(data["label"]),
            score=float(data["score"]),
            scores=FrozenScores(data["scores"]),
            translated=bool(data["translated"]),
            models=tuple(data["models"]),
            note=str(data.get("note") or ""),
            places=tuple(data.get("places") or ()),
            actor=str(data.get("actor") or DEFAULT_ACTOR),
        )


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of a document's text: a sentence, or a dropped line.

    Attributes:
        start: Offset in the document's text.
        end: Offset one past the end.
        text: ``document.text[start:end]``.
        language: Language of the stretch (``"und"`` if unknown).
        reason: Why it was dropped; empty for kept sentences.
    """

    start: int
    end: int
    text: str
    language: str = UNDETERMINED
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict; :meth:`from_dict` inverts it."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Segment:
        """A segment from :meth:`to_dict` output (``text`` and ``language`` may be absent)."""
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            text=str(data.get("text") or ""),
            language=str(data.get("language") or UNDETERMINED),
            reason=str(data.get("reason") or ""),
        )


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """Everything the pipeline concluded about one document.

    Attributes:
        doc_id: Id of the document.
        language: Main language of the document (``"und"`` if unknown).
        claims: Labelled sentences in document order.
        dropped: Boilerplate and other stretches left out, each with a reason.
        metadata: The document's metadata plus what the pipeline found (e.g. ``date``).
        warnings: Human-readable notes (e.g. no translation model for the language).
        error: Why the document could not be processed; empty when it was.
        error_kind: :class:`ErrorKind` of ``error``; ``None`` when there is none.
    """

    doc_id: str
    language: str
    claims: tuple[Claim, ...]
    dropped: tuple[Segment, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    error: str = ""
    error_kind: ErrorKind | None = None

    def __post_init__(self) -> None:
        if self.error and self.error_kind is None:
            object.__setattr__(self, "error_kind", ErrorKind.INPUT)
        if self.error_kind is not None:
            object.__setattr__(self, "error_kind", ErrorKind(self.error_kind))

    @property
    def ok(self) -> bool:
        return not self.error

    def to_dict(self, *, claims: bool = True) -> dict[str, Any]:
        """Plain JSON-ready dict, the one shape of a document's result in every file and worker.

        ``claims=False`` leaves the claims out (the job writes them to their own file).
        :meth:`from_dict` inverts it exactly.
        """
        data: dict[str, Any] = {"doc_id": self.doc_id, "language": self.language}
        if claims:
            data["claims"] = [c.to_dict() for c in self.claims]
        data.update(
            dropped=[s.to_dict() for s in self.dropped],
            metadata=dict(self.metadata),
            warnings=list(self.warnings),
            error=self.error,
            error_kind=self.error_kind.value if self.error_kind else None,
        )
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DocumentResult:
        """A result from :meth:`to_dict` output (absent fields take their defaults)."""
        return cls(
            doc_id=str(data["doc_id"]),
            language=str(data.get("language") or UNDETERMINED),
            claims=tuple(Claim.from_dict(c) for c in data.get("claims") or ()),
            dropped=tuple(Segment.from_dict(s) for s in data.get("dropped") or ()),
            metadata=dict(data.get("metadata") or {}),
            warnings=tuple(data.get("warnings") or ()),
            error=str(data.get("error") or ""),
            error_kind=ErrorKind(data["error_kind"]) if data.get("error_kind") else None,
        )
