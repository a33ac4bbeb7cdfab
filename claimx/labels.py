"""Labels, hypotheses and thresholds: the one place that says what is being looked for.

Changing the actor (say, to China) is a configuration change::

    >>> cfg = LabelConfig(actor="China")
    >>> cfg.hypotheses(Label.RUSSIAN_GAIN)[0]
    'China gains power, influence or allies.'
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .types import Label

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


@dataclass(frozen=True, slots=True)
class LabelConfig:
    """What to look for and how sure to be.

    Attributes:
        actor: Who the stance is about; fills ``{actor}`` in hypotheses and descriptions.
        nli_hypotheses: Per stance label, NLI hypotheses (the sentence is the premise).
        topic: Embedding classifier: what a stance-bearing sentence is about.
        direction_pairs: Embedding classifier: (gain, loss) phrasings of the same statement.
        threshold: A stance label is chosen only when its score reaches this, else neutral;
            ``None`` uses the classifier's own calibrated default.
        margin: ... and only when it beats the other stance's score by at least this much.
    """

    actor: str = "Russia"
    nli_hypotheses: Mapping[Label, tuple[str, ...]] = field(default_factory=lambda: dict(_DEFAULT_HYPOTHESES))
    topic: tuple[str, ...] = _DEFAULT_TOPIC
    direction_pairs: tuple[tuple[str, str], ...] = _DEFAULT_DIRECTION_PAIRS
    threshold: float | None = None
    margin: float = 0.0

    def __post_init__(self) -> None:
        hyps = {Label(k): tuple(v) for k, v in self.nli_hypotheses.items()}
        if set(hyps) != set(STANCE_LABELS) or not all(hyps.values()):
            raise ConfigError(
                "nli_hypotheses needs at least one hypothesis for each of "
                f"{[label.value for label in STANCE_LABELS]}, got {sorted(k.value for k in hyps)}"
            )
        pairs = tuple(tuple(p) for p in self.direction_pairs)
        if not pairs or any(len(p) != 2 for p in pairs):
            raise ConfigError(f"direction_pairs must be non-empty (gain, loss) pairs, got {self.direction_pairs!r}")
        if not self.topic:
            raise ConfigError("topic needs at least one description")
        if self.threshold is not None and not 0.0 <= self.threshold <= 1.0:
            raise ConfigError(f"threshold must be within [0, 1], got {self.threshold!r}")
        object.__setattr__(self, "nli_hypotheses", hyps)
        object.__setattr__(self, "topic", tuple(self.topic))
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

    def with_threshold(self, threshold: float | None, margin: float | None = None) -> LabelConfig:
        """A copy with other decision thresholds."""
        return replace(self, threshold=threshold, margin=self.margin if margin is None else margin)

    @classmethod
    def from_file(cls, path: str | Path) -> LabelConfig:
        """Read a TOML file with any of the fields above.

        ``nli_hypotheses`` is a table of label -> list of strings, ``topic`` a list of
        strings, ``direction_pairs`` a list of [gain, loss] string pairs.
        """
        try:
            data: dict[str, Any] = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"cannot read label config {path}: {e}") from e
        unknown = set(data) - {"actor", "nli_hypotheses", "topic", "direction_pairs", "threshold", "margin"}
        if unknown:
            raise ConfigError(f"unknown keys in {path}: {sorted(unknown)}")
        base = cls()
        return cls(
            actor=data.get("actor", base.actor),
            nli_hypotheses=data.get("nli_hypotheses", base.nli_hypotheses),
            topic=tuple(data.get("topic", base.topic)),
            direction_pairs=tuple(tuple(p) for p in data.get("direction_pairs", base.direction_pairs)),
            threshold=data.get("threshold", base.threshold),
            margin=float(data.get("margin", base.margin)),
        )
