"""claimx: claims about Russia's geopolitical position, pulled out of multilingual news.

Quickstart::

    import claimx
    claims = claimx.extract(["Russia opened a new military base in Mali."])
    for c in claims:
        print(c.label, round(c.score, 2), c.text_en)

    ex = claimx.Extractor(
        translation_models={"de": "Helsinki-NLP/opus-mt-de-en"},
        classifier_model="MoritzLaurer/deberta-v3-base-zeroshot-v2.0",
        device="cpu", batch_size=16,
    )
    for result in ex.process([claimx.Document(id="a", text="...")]):
        print(result.doc_id, result.language, len(result.claims), result.error)

    config = claimx.ExtractorConfig(device="cpu", decision=claimx.Decision(threshold=0.6))
    config.save("claimx.toml"); ex = claimx.Extractor.from_config("claimx.toml")

    claimx.places_summary(claims)          # per country / region: gain, loss, neutral, net stance
    claimx.report(claims).save("report.html")  # one self-contained page; shows inline in Jupyter

Each step is a swappable part: see :class:`claimx.translate.Translator` and
:class:`claimx.classify.Classifier`; :mod:`claimx.builder` is where parts are made.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

__version__ = "0.1.0"

# Public name -> module. Modules load on first use, so ``import claimx`` (and the command
# line, before it has parsed its arguments) costs almost nothing.
_EXPORTS = {
    "Claim": ".types",
    "ClaimList": ".claims",
    "ClaimxError": ".errors",
    "Classifier": ".classify",
    "ConfigError": ".errors",
    "Decision": ".classify",
    "Document": ".types",
    "DocumentResult": ".types",
    "EmbeddingClassifier": ".classify",
    "ErrorKind": ".types",
    "Extractor": ".extractor",
    "ExtractorConfig": ".config",
    "HeadClassifier": ".classify.head",
    "InputError": ".errors",
    "Label": ".types",
    "LabelConfig": ".labels",
    "MarianTranslator": ".translate",
    "ModelError": ".errors",
    "ModelNotAvailableError": ".errors",
    "NLIClassifier": ".classify",
    "OutputError": ".errors",
    "Report": ".reporting",
    "Segment": ".types",
    "Translator": ".translate",
    "UnsafeModelError": ".errors",
    "document_summary": ".frames",
    "evaluate": ".evaluation",
    "extract": ".extractor",
    "find_places": ".places",
    "from_dataset": ".frames",
    "from_pandas": ".frames",
    "load_gold": ".evaluation",
    "places_summary": ".places",
    "read_claims": ".io",
    "report": ".reporting",
    "to_dataset": ".frames",
    "to_pandas": ".frames",
    "write_claims": ".io",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> _typing.Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'claimx' has no attribute {name!r}")
    value = getattr(_importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


if _typing.TYPE_CHECKING:  # for type checkers and IDEs: the same names, imported eagerly
    from .claims import (
        ClaimList as ClaimList,
    )
    from .classify import (
        Classifier as Classifier,
    )
    from .classify import (
        Decision as Decision,
    )
    from .classify import (
        EmbeddingClassifier as EmbeddingClassifier,
    )
    from .classify import (
        NLIClassifier as NLIClassifier,
    )
    from .classify.head import (
        HeadClassifier as HeadClassifier,
    )
    from .config import (
        ExtractorConfig as ExtractorConfig,
    )
    from .errors import (
        ClaimxError as ClaimxError,
    )
    from .errors import (
        ConfigError as ConfigError,
    )
    from .errors import (
        InputError as InputError,
    )
    from .errors import (
        ModelError as ModelError,
    )
    from .errors import (
        ModelNotAvailableError as ModelNotAvailableError,
    )
    from .errors import (
        OutputError as OutputError,
    )
    from .errors import (
        UnsafeModelError as UnsafeModelError,
    )
    from .evaluation import (
        evaluate as evaluate,
    )
    from .evaluation import (
        load_gold as load_gold,
    )
    from .extractor import (
        Extractor as Extractor,
    )
    from .extractor import (
        extract as extract,
    )
    from .frames import (
        document_summary as document_summary,
    )
    from .frames import (
        from_dataset as from_dataset,
    )
    from .frames import (
        from_pandas as from_pandas,
    )
    from .frames import (
        to_dataset as to_dataset,
    )
    from .frames import (
        to_pandas as to_pandas,
    )
    from .io import (
        read_claims as read_claims,
    )
    from .io import (
        write_claims as write_claims,
    )
    from .labels import (
        LabelConfig as LabelConfig,
    )
    from .places import (
        find_places as find_places,
    )
    from .places import (
        places_summary as places_summary,
    )
    from .reporting import (
        Report as Report,
    )
    from .reporting import (
        report as report,
    )
    from .translate import (
        MarianTranslator as MarianTranslator,
    )
    from .translate import (
        Translator as Translator,
    )
    from .types import (
        Claim as Claim,
    )
    from .types import (
        Document as Document,
    )
    from .types import (
        DocumentResult as DocumentResult,
    )
    from .types import (
        ErrorKind as ErrorKind,
    )
    from .types import (
        Label as Label,
    )
    from .types import (
        Segment as Segment,
    )
