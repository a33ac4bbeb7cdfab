"""What every part shares with the pipeline: the error boundary around each call, and closing.

A part is a translator, a classifier or a sentence encoder, the library's own or a
user's. Whatever a part raises reaches the pipeline as a :class:`~claimx.errors.ModelError`
(like httpx's ``map_httpcore_exceptions``), so one broken part fails the documents it
was working on, never the run.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from types import TracebackType
from typing import Protocol, runtime_checkable

from .errors import ClaimxError, ModelError

logger = logging.getLogger(__name__)


class part_errors:  # noqa: N801 - used like a function, as contextlib's managers are
    """Map any exception but claimx's own (and interrupts) to a :class:`ModelError` naming ``what`` and the documents.

    A class, not ``@contextmanager``: contextlib lets a ``StopIteration`` chained to a
    ``RuntimeError`` (as ModelError is) escape unmapped.

    >>> with part_errors("classifier fake", ["d1"]):
    ...     raise ValueError("bad shape")
    Traceback (most recent call last):
    claimx.errors.ModelError: classifier fake failed on document 'd1': ValueError: bad shape
    """

    def __init__(self, what: str, doc_ids: Sequence[str] = ()) -> None:
        self.what, self.doc_ids = what, doc_ids

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if error is None or isinstance(error, ClaimxError) or not isinstance(error, Exception):
            return
        raise ModelError(f"{self.what} failed{_on(self.doc_ids)}: {type(error).__name__}: {error}") from error


def _on(doc_ids: Sequence[str]) -> str:
    if not doc_ids:
        return ""
    if len(doc_ids) == 1:
        return f" on document {doc_ids[0]!r}"
    shown = ", ".join(map(repr, doc_ids[:3]))
    return f" on documents {shown}{', …' if len(doc_ids) > 3 else ''}"


@runtime_checkable
class Closeable(Protocol):
    """A part that holds files or models and can let them go."""

    def close(self) -> None: ...


def close_part(part: object) -> None:
    """Close ``part`` if it can be closed; a failure to close is logged, not raised."""
    if isinstance(part, Closeable):
        try:
            part.close()
        except Exception as e:  # closing must not hide the error that led here
            logger.warning("closing %s failed: %s", type(part).__name__, e)
