"""Source documents: reading a corpus file into checked, decoded text.

A document's offsets are character (code point) offsets into its decoded text, the same
offsets SPARQL's ``SUBSTR`` uses, so a quote can be checked inside the store.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from rdflib import URIRef

from graph.errors import LoaderError
from graph.namespaces import resource

DEFAULT_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
"""Documents larger than this are refused (the largest source page is a few hundred kB)."""

_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
"""C0 control characters other than tab, line feed, vertical tab, form feed and carriage return."""


@dataclass(frozen=True)
class Document:
    """A decoded source document."""

    id: str
    """Stable identifier: the file name without its extension, percent-encoded."""
    path: Path
    text: str
    sha256: str

    @property
    def iri(self) -> URIRef:
        return resource("doc", self.id)

    @property
    def file_name(self) -> str:
        return self.path.name

    def span_iri(self, start: int, end: int) -> URIRef:
        """The IRI of characters ``start`` to ``end`` (RFC 5147 ``char=`` fragment)."""
        return URIRef(f"{self.iri}#char={start},{end}")


def document_id(path: Path) -> str:
    return quote(path.stem, safe="")


def _line_of(data: bytes, byte_offset: int) -> int:
    return data.count(b"\n", 0, byte_offset) + 1


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Document:
    """Read and check one source file; raise :class:`LoaderError` naming the problem.

    Refused: a file that cannot be read, is larger than ``max_bytes``, is empty, holds binary
    data (a NUL byte or a control character), or is not UTF-8 (including one truncated inside
    a multi-byte character).
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LoaderError(path, f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes for one document")
        data = path.read_bytes()
    except OSError as exc:
        raise LoaderError(path, f"cannot read file: {exc.strerror or exc}") from exc
    if not data.strip():
        raise LoaderError(path, "document is empty")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise LoaderError(
            path, "binary data (NUL byte), not a text document", offset=nul, line=_line_of(data, nul), unit="byte"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        truncated = exc.end >= len(data) and exc.reason == "unexpected end of data"
        message = (
            "file is truncated inside a multi-byte UTF-8 character"
            if truncated
            else f"not valid UTF-8 ({exc.reason}, byte 0x{data[exc.start]:02x})"
        )
        raise LoaderError(path, message, offset=exc.start, line=_line_of(data, exc.start), unit="byte") from exc
    control = _CONTROL.search(text)
    if control:
        offset = control.start()
        raise LoaderError(
            path,
            f"control character U+{ord(control.group()):04X}: binary data, not a text document",
            offset=offset,
            line=text.count("\n", 0, offset) + 1,
        )
    return Document(id=document_id(path), path=path, text=text, sha256=hashlib.sha256(data).hexdigest())
