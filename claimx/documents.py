"""What counts as a document: a :class:`~claimx.types.Document`, a string or a record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import InputError
from .types import Document

DocumentLike = Document | str | Mapping[str, Any]


def as_document(item: Any, index: int) -> Document:
    """Accept a Document, a plain string (id ``doc-<index>``) or a mapping with ``text``.

    >>> as_document("Moscow opened a base.", 3).id
    'doc-3'
    """
    if isinstance(item, Document):
        return item
    if isinstance(item, str):
        return Document(id=f"doc-{index}", text=item)
    if isinstance(item, Mapping):
        from .io import document_from_record

        return document_from_record(dict(item), "", f"doc-{index}")
    hint = " (decode bytes first, e.g. with claimx.io.decode_bytes)" if isinstance(item, (bytes, bytearray)) else ""
    raise InputError(f"item {index} is a {type(item).__name__}; expected claimx.Document, str or a mapping{hint}")


def id_of(item: Any, index: int) -> str:
    """The id ``item`` will have, without building it (for reporting failures)."""
    if isinstance(item, Document):
        return item.id
    if isinstance(item, Mapping) and "id" in item:
        return str(item["id"])
    return f"doc-{index}"
