"""Fine-tuned stance models: an encoder's top layers retrained for stance, with a linear head.

* :mod:`claimx.stance.network` — the encoder split in two (frozen bottom, trainable top),
  mean pooling and the head, in torch;
* :mod:`claimx.stance.files` — the :class:`StanceModel` record and its files
  (``stance.safetensors`` + ``stance.json``, no pickle);
* :mod:`claimx.stance.train` — fine-tuning with grouped cross-validation and calibration.

Classify with :class:`claimx.classify.stance.StanceModelClassifier`; train with
``claimx train CORPUS -o MODEL --fine-tune``.
"""

from .files import StanceModel, load_stance_model, save_stance_model, shipped_stance_model

__all__ = ["StanceModel", "load_stance_model", "save_stance_model", "shipped_stance_model"]
