"""What counts as a document: a :class:`~claimx.types.Document`, a string or a record."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .errors import InputError
from .types import Document

DocumentLike = Document | str | Mapping[str, Any]

_SURROGATE = re.compile("[\ud800-\udfff]")


def as_document(item: Any, index: int) -> Document:
    """Accept a Document, a plain string (id ``doc-<index>``) or a mapping with ``text``.

    Text or an id holding an unpaired surrogate (``"\\ud83d"``, valid in JSON, not in
    UTF-8) is refused: it could be neither written out nor read by a model.

    >>> as_document("Moscow opened a base.", 3).id
    'doc-3'
    """
    if isinstance(item, Document):
        doc = item
    elif isinstance(item, str):
        doc = Document(id=f"doc-{index}", text=item)
    elif isinstance(item, Mapping):
        from .readers import document_from_record

        doc = document_from_record(dict(item), "", f"doc-{index}")
    else:
        hint = " (decode bytes first, e.g. with claimx.io.decode_bytes)" if isinstance(item, (bytes, bytearray)) else ""
        raise InputError(f"item {index} is a {type(item).__name__}; expected claimx.Document, str or a mapping{hint}")
    for what, value in (("text", doc.text), ("id", doc.id)):
        if m := _SURROGATE.search(value):
            raise InputError(
                f"document {what} holds an unpaired surrogate {value[m.start()]!r} at character {m.start()}: "
                "not valid Unicode (a broken emoji or a bad decoder upstream)"
            )
    return doc


def id_of(item: Any, index: int) -> str:
    """The id ``item`` will have, without building it (for reporting failures)."""
    if isinstance(item, Document):
        return item.id
    if isinstance(item, Mapping) and "id" in item:
        return str(item["id"])
    return f"doc-{index}"
