"""Labels, hypotheses and descriptions: the one place that says what is being looked for.

Changing the actor (say, to China) is a configuration change::

    >>> cfg = LabelConfig(actor="China")
    >>> cfg.hypotheses(Label.RUSSIAN_GAIN)[0]
    'China gains power, influence or allies.'
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .types import STANCE_NAMES, Label

STANCE_LABELS = (Label.RUSSIAN_GAIN, Label.RUSSIAN_LOSS)

_DEFAULT_HYPOTHESES: dict[Label, tuple[str, ...]] = {
    Label.RUSSIAN_GAIN: ("{actor} gains power, influence or allies.",),
    Label.RUSSIAN_LOSS: ("{actor} loses power, influence or allies.",),
}

# For the embedding classifier. Embeddings track topic far more than direction, so
# direction is read from minimal pairs: each pair says the same thing once as a gain
# and once as a loss, and only the difference between the two similarities counts.
# ``topic`` describes what any stance-bearing sentence is about; it gates relevance
# and sets the zero point of the direction score.
_DEFAULT_TOPIC: tuple[str, ...] = (
    "{actor}'s geopolitical influence, power and position in the world.",
    "{actor}'s alliances, partners and relations with other countries.",
    "{actor}'s military presence and bases abroad.",
    "{actor}'s standing and leverage in a region.",
)
_DEFAULT_DIRECTION_PAIRS: tuple[tuple[str, str], ...] = (
    ("{actor}'s influence grows.", "{actor}'s influence declines."),
    ("{actor} gains new allies and partners.", "{actor} loses its allies and partners."),
    ("{actor} is getting stronger.", "{actor} is getting weaker."),
    ("Countries move closer to {actor}.", "Countries move away from {actor}."),
    ("{actor} expands its military presence abroad.", "{actor} withdraws its military presence abroad."),
    ("{actor}'s position is secure and strong.", "{actor}'s position is under threat."),
    ("{actor} wins support from other nations.", "{actor} is isolated from other nations."),
    (
        "{actor} secures lucrative energy and arms deals abroad.",
        "{actor} loses energy customers and arms buyers abroad.",
    ),
    ("Sanctions against {actor} are failing.", "Sanctions are hurting {actor}."),
    ("{actor}'s military succeeds.", "{actor}'s military suffers setbacks."),
    ("Other governments support {actor} diplomatically.", "Other governments condemn {actor}."),
    (
        "{actor} keeps neighbouring countries in its sphere of influence.",
        "Neighbouring countries leave {actor}'s sphere of influence.",
    ),
)


def _strings(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not value:
        raise ConfigError(f"{name} must be a non-empty list of strings, got {value!r}")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ConfigError(f"{name} must hold non-empty strings, got {item!r}")
        try:
            item.format(actor="X")
        except (KeyError, IndexError, ValueError) as e:
            raise ConfigError(
                f"{name}: {item!r} has a placeholder other than {{actor}} ({e}); write {{actor}} or double the braces"
            ) from e
    return tuple(value)


@dataclass(frozen=True, slots=True)
class LabelConfig:
    """What to look for: the actor and how each stance is described.

    How sure to be is the :class:`~claimx.classify.decision.Decision` step's business.

    Attributes:
        actor: Who the stance is about; fills ``{actor}`` in hypotheses and descriptions.
        nli_hypotheses: Per stance label, NLI hypotheses (the sentence is the premise).
        topic: Embedding classifier: what a stance-bearing sentence is about.
        direction_pairs: Embedding classifier: (gain, loss) phrasings of the same statement.
    """

    actor: str = "Russia"
    nli_hypotheses: Mapping[Label, tuple[str, ...]] = field(default_factory=lambda: dict(_DEFAULT_HYPOTHESES))
    topic: tuple[str, ...] = _DEFAULT_TOPIC
    direction_pairs: tuple[tuple[str, str], ...] = _DEFAULT_DIRECTION_PAIRS

    def __post_init__(self) -> None:
        if not isinstance(self.actor, str) or not self.actor.strip():
            raise ConfigError(f"actor must be a non-empty string, got {self.actor!r}")
        if not isinstance(self.nli_hypotheses, Mapping):
            raise ConfigError(
                f"nli_hypotheses must be a table of label -> list of strings, got {self.nli_hypotheses!r}"
            )
        valid = {label.value for label in STANCE_LABELS}
        unknown = sorted(str(k) for k in self.nli_hypotheses if str(k) not in valid)
        if unknown:
            raise ConfigError(f"nli_hypotheses: unknown labels {unknown}; use {sorted(valid)}")
        hyps = {Label(k): _strings(f"nli_hypotheses.{k}", v) for k, v in self.nli_hypotheses.items()}
        if set(hyps) != set(STANCE_LABELS):
            raise ConfigError(
                "nli_hypotheses needs at least one hypothesis for each of "
                f"{[label.value for label in STANCE_LABELS]}, got {sorted(k.value for k in hyps)}"
            )
        if isinstance(self.direction_pairs, str) or not isinstance(self.direction_pairs, (list, tuple)):
            raise ConfigError(f"direction_pairs must be a list of [gain, loss] pairs, got {self.direction_pairs!r}")
        pairs = tuple(_strings("direction_pairs", p) for p in self.direction_pairs)
        if not pairs or any(len(p) != 2 for p in pairs):
            raise ConfigError(f"direction_pairs must be non-empty (gain, loss) pairs, got {self.direction_pairs!r}")
        object.__setattr__(self, "nli_hypotheses", hyps)
        object.__setattr__(self, "topic", _strings("topic", self.topic))
        object.__setattr__(self, "direction_pairs", pairs)

    def hypotheses(self, label: Label) -> list[str]:
        """NLI hypotheses for ``label`` with the actor filled in."""
        return [h.format(actor=self.actor) for h in self.nli_hypotheses[Label(label)]]

    def topic_descriptions(self) -> list[str]:
        """Topic descriptions with the actor filled in."""
        return [d.format(actor=self.actor) for d in self.topic]

    def direction_descriptions(self) -> tuple[list[str], list[str]]:
        """(gain phrasings, loss phrasings) with the actor filled in, pairwise aligned."""
        return (
            [g.format(actor=self.actor) for g, _ in self.direction_pairs],
            [lo.format(actor=self.actor) for _, lo in self.direction_pairs],
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain TOML/JSON-ready dict; ``LabelConfig(**d)`` inverts it."""
        return {
            "actor": self.actor,
            "nli_hypotheses": {k.value: list(v) for k, v in self.nli_hypotheses.items()},
            "topic": list(self.topic),
            "direction_pairs": [list(p) for p in self.direction_pairs],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "labels") -> LabelConfig:
        """Build from a dict with any of the fields above; unknown keys are refused."""
        unknown = set(data) - set(LABEL_KEYS)
        if unknown:
            raise ConfigError(f"unknown keys in {source}: {sorted(unknown)}; known: {sorted(LABEL_KEYS)}")
        return cls(**dict(data))


LABEL_KEYS = ("actor", "nli_hypotheses", "topic", "direction_pairs")
DECISION_KEYS = ("threshold", "margin")


def read_label_file(path: str | Path) -> tuple[LabelConfig, dict[str, Any]]:
    """Read a labels TOML file: the :class:`LabelConfig` fields, plus ``threshold`` and
    ``margin`` returned apart for the decision step.

    ``nli_hypotheses`` is a table of label -> list of strings, ``topic`` a list of
    strings, ``direction_pairs`` a list of [gain, loss] string pairs.
    """
    try:
        data: dict[str, Any] = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"cannot read label config {path}: {e}") from e
    decision = {k: data.pop(k) for k in DECISION_KEYS if k in data}
    unknown = set(data) - set(LABEL_KEYS)
    if unknown:
        raise ConfigError(f"unknown keys in {path}: {sorted(unknown)}; known: {sorted(LABEL_KEYS + DECISION_KEYS)}")
    return LabelConfig.from_dict(data, str(path)), decision


def stance_name(label: Label | str) -> str:
    """A label as the stance it names for the claim's actor (:data:`~claimx.types.STANCE_NAMES`).

    >>> stance_name("russian_gain")
    'gain'
    """
    return STANCE_NAMES[Label(label)]


def parse_label(value: Any, where: str) -> Label:
    """A :class:`Label` from its value or short name (``gain``, ``loss``, ``neutral``), any case;
    a one-item list (an annotation tool's answer) is its item. Raises ValueError, whose message
starts with ``where``.

    >>> parse_label("Gain", "--only").value
    'russian_gain'
    """
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, str):
        raise ValueError(f"{where}: the label must be one of {', '.join(Label)}, got {value!r}")
    text = value.strip().lower()
    for label in Label:
        if text in (label.value, STANCE_NAMES[label]):
            return label
    raise ValueError(f"{where}: unknown label {value!r}; use one of {', '.join(Label)} (or gain, loss)")
