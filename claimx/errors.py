"""Exceptions raised by claimx.

Hierarchy::

    ClaimxError
    ├── InputError              bad input: empty, undecodable, malformed record
    ├── ModelError              a model could not be used
    │   ├── ModelNotAvailableError   not found locally and no hub access
    │   └── UnsafeModelError         pickled weights or remote code refused
    ├── ConfigError             bad labels/hypotheses or options
    └── OutputError             an output that cannot be written safely: another run holds it,
                                it holds another configuration's claims, or it is not claimx's
"""

from __future__ import annotations


class ClaimxError(Exception):
    """Base class of every error claimx raises on purpose."""


class InputError(ClaimxError, ValueError):
    """An input document or record cannot be processed."""


class ConfigError(ClaimxError, ValueError):
    """An option or label configuration is invalid."""


class ModelError(ClaimxError, RuntimeError):
    """A model failed to load or to run."""


class ModelNotAvailableError(ModelError):
    """A model is neither in a local folder nor reachable on the hub."""


class UnsafeModelError(ModelError):
    """A model folder would need pickle loading or remote code."""


class OutputError(ClaimxError):
    """A batch output cannot be (re)opened without mixing or losing records."""
