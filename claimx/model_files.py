"""Where model folders come from, which device runs them, and what is trusted.

Resolution order for a model reference (hub id or path), documented once here:

1. an existing local folder, used as it is;
2. ``$CLAIMX_MODELS_DIR/<org>--<name>`` (or ``<org>/<name>``, or ``<name>``);
3. the Hugging Face cache, then the hub (unless ``HF_HUB_OFFLINE=1``), fetching
   only safetensors weights, configs and tokenizer files.

Whatever is found is loaded from the local folder with ``use_safetensors=True``
and ``trust_remote_code=False``: pickled ``.bin`` weights are refused unless the
caller opts in with ``allow_pickle=True``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from .errors import ConfigError, ModelError, ModelNotAvailableError, UnsafeModelError

logger = logging.getLogger(__name__)

MODELS_DIR_ENV = "CLAIMX_MODELS_DIR"

_FETCH_PATTERNS = ["*.json", "*.safetensors", "*.model", "*.spm", "*.txt", "*.tiktoken", "*.vocab"]


def _local_candidates(ref: str) -> list[Path]:
    root = os.environ.get(MODELS_DIR_ENV)
    if not root:
        return []
    base = Path(root).expanduser().resolve()
    candidates = [base / ref.replace("/", "--"), base / ref, base / ref.rsplit("/", 1)[-1]]
    # A ref is a name inside the models folder, never a way out of it ("../../evil").
    return [c for c in candidates if c.resolve().is_relative_to(base)]


def how_to_get(ref: str) -> str:
    """The instruction printed when ``ref`` is missing."""
    folder = ref.replace("/", "--")
    return (
        f"download it on a machine with hub access, e.g. "
        f"`huggingface-cli download {ref} --local-dir $CLAIMX_MODELS_DIR/{folder}`, "
        f"and set {MODELS_DIR_ENV} to that folder of models (or pass the local folder path instead of {ref!r})"
    )


def resolve_model(ref: str | os.PathLike[str], revision: str | None = None) -> Path:
    """Return a local folder holding model ``ref``; raise ModelNotAvailableError if there is none."""
    path = Path(ref).expanduser()
    if path.is_dir():
        return path
    ref = str(ref)
    for candidate in _local_candidates(ref):
        if candidate.is_dir():
            return candidate
    if path.is_absolute() or ref.startswith((".", "~")) or ref.count("/") > 1:
        raise ModelNotAvailableError(f"model folder {ref!r} does not exist")
    try:
        from huggingface_hub import snapshot_download

        offline = os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}
        folder = snapshot_download(ref, revision=revision, allow_patterns=_FETCH_PATTERNS, local_files_only=offline)
    except Exception as e:  # hub errors have no common base class worth naming
        raise ModelNotAvailableError(
            f"model {ref!r} is not available here ({type(e).__name__}); {how_to_get(ref)}"
        ) from e
    return Path(folder)


def check_safe(folder: Path, *, allow_pickle: bool = False) -> None:
    """Refuse folders whose weights would be unpickled, unless allowed."""
    if any(folder.glob("*.safetensors")):
        return
    pickled = [p.name for p in folder.glob("*") if p.suffix in {".bin", ".pt", ".pth", ".ckpt", ".pkl"}]
    if pickled and not allow_pickle:
        raise UnsafeModelError(
            f"{folder} holds only pickled weights ({', '.join(sorted(pickled))}); loading them can run "
            "arbitrary code. Convert them to safetensors, or pass allow_pickle=True if you trust the source"
        )
    if not pickled:
        raise ModelNotAvailableError(f"{folder} holds no model weights (*.safetensors)")


def pick_device(device: str | None = "auto") -> str:
    """``auto`` picks cuda, then mps, then cpu; an explicit device must exist here.

    >>> pick_device("cpu")
    'cpu'
    """
    import torch

    if device not in (None, "auto"):
        device = str(device)
        if device.startswith("cuda") and not torch.cuda.is_available():
            raise ConfigError(f"device {device!r} was asked for, but torch sees no CUDA GPU here; use 'cpu' or 'auto'")
        if device == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
            raise ConfigError("device 'mps' was asked for, but torch sees no Apple GPU here; use 'cpu' or 'auto'")
        return device

    if torch.cuda.is_available():
        chosen = "cuda"
    elif getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        chosen = "mps"
    else:
        chosen = "cpu"
    logger.info("claimx runs models on %s", chosen)
    return chosen


def load_pretrained(loader, ref: str, *, revision: str | None = None, allow_pickle: bool = False, **kwargs):  # type: ignore[no-untyped-def]
    """Resolve ``ref`` and call ``loader.from_pretrained`` on the local folder, safely."""
    folder = resolve_model(ref, revision)
    check_safe(folder, allow_pickle=allow_pickle)
    try:
        model = loader.from_pretrained(
            str(folder), use_safetensors=not allow_pickle or None, trust_remote_code=False, **kwargs
        )
        return model.requires_grad_(False)  # inference only: no autograd bookkeeping
    except Exception as e:  # corrupt files surface as SafetensorError, OSError, ValueError, KeyError, ...
        raise ModelError(f"could not load {ref!r} from {folder}: {type(e).__name__}: {e}") from e


def load_tokenizer(loader, ref: str, *, revision: str | None = None, **kwargs):  # type: ignore[no-untyped-def]
    """Resolve ``ref`` and load its tokenizer with remote code off."""
    folder = resolve_model(ref, revision)
    try:
        return loader.from_pretrained(str(folder), trust_remote_code=False, **kwargs)
    except Exception as e:  # a broken tokenizer file raises anything from OSError to a Rust panic
        raise ModelError(f"could not load the tokenizer of {ref!r} from {folder}: {type(e).__name__}: {e}") from e


def set_threads(threads: int) -> None:
    """Set torch's intra-op thread count (one process's share of the cores), logged."""
    import torch

    if threads < 1:
        raise ValueError(f"threads must be >= 1, got {threads}")
    torch.set_num_threads(threads)
    logger.info("torch uses %d threads", threads)


def quantize_dynamic_int8(model):  # type: ignore[no-untyped-def]
    """Dynamic int8 quantisation of a torch model's linear layers (CPU inference)."""
    import warnings

    import torch
    from torch.ao.quantization import quantize_dynamic

    # torch.ao.quantization is deprecated in favour of torchao, but it is the one dynamic-int8
    # path that ships with torch itself; the warning is noise for a claimx user.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)
        return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


_WEIGHTS_SHA: dict[tuple[str, int, int], str] = {}


def weights_sha256(folder: str | os.PathLike[str]) -> str:
    """sha256 of a model folder's weights: every tensor of its ``*.safetensors`` files, by name
    (name, dtype, shape and data; not the files' bytes, whose metadata header may differ for the
    same weights). Remembered per file state."""
    import hashlib

    from safetensors import safe_open

    files = sorted(Path(folder).glob("*.safetensors"))
    if not files:
        raise ModelError(f"{folder} holds no .safetensors weights")
    key = (str(Path(folder).resolve()), sum(f.stat().st_size for f in files), max(f.stat().st_mtime_ns for f in files))
    if key not in _WEIGHTS_SHA:
        tensors: dict[str, Any] = {}
        digest = hashlib.sha256()
        try:
            handles = [safe_open(str(f), framework="numpy") for f in files]
            for handle in handles:
                tensors.update({name: handle for name in handle.keys()})  # noqa: SIM118
            for name in sorted(tensors):
                array = tensors[name].get_tensor(name)
                digest.update(f"{name}|{array.dtype.str}|{array.shape}\n".encode())
                digest.update(array.tobytes())
        except Exception as e:  # a damaged file raises SafetensorError, OSError, ...
            raise ModelError(f"cannot read the weights in {folder}: {type(e).__name__}: {e}") from e
        _WEIGHTS_SHA[key] = digest.hexdigest()
    return _WEIGHTS_SHA[key]
