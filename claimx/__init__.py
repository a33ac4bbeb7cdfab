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

Each step is a swappable part: see :class:`claimx.translate.Translator` and
:class:`claimx.classify.Classifier`; :mod:`claimx.builder` is where parts are made.
"""

from __future__ import annotations

from .classify import Classifier, Decision, EmbeddingClassifier, NLIClassifier
from .config import ExtractorConfig
from .errors import ClaimxError, ConfigError, InputError, ModelError, ModelNotAvailableError, UnsafeModelError
from .evaluation import evaluate, load_gold
from .extractor import Extractor, extract
from .frames import ClaimList, document_summary, from_dataset, from_pandas, to_dataset, to_pandas
from .io import read_claims, write_claims
from .labels import LabelConfig
from .translate import MarianTranslator, Translator
from .types import Claim, Document, DocumentResult, ErrorKind, Label, Segment

__version__ = "0.1.0"

__all__ = [
    "Claim",
    "ClaimList",
    "ClaimxError",
    "Classifier",
    "ConfigError",
    "Decision",
    "Document",
    "DocumentResult",
    "EmbeddingClassifier",
    "ErrorKind",
    "Extractor",
    "ExtractorConfig",
    "InputError",
    "Label",
    "LabelConfig",
    "MarianTranslator",
    "ModelError",
    "ModelNotAvailableError",
    "NLIClassifier",
    "Segment",
    "Translator",
    "UnsafeModelError",
    "document_summary",
    "evaluate",
    "extract",
    "from_dataset",
    "from_pandas",
    "load_gold",
    "read_claims",
    "to_dataset",
    "to_pandas",
    "write_claims",
]
