"""Reading what a request carries: its body (within the size limit, by media type, as UTF-8) and parameters.

Parameters are percent-decoded as UTF-8 strictly: a byte sequence that is not UTF-8 is a 400,
never a replacement character silently queried for.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import parse_qsl

from fastapi import Request

from ..errors import ProtocolError


async def read_body(request: Request, limit: int) -> bytes:
    """The request body; 413 when it is (or declares to be) longer than ``limit`` bytes."""
    too_large = ProtocolError(413, f"the request body is larger than the server's limit of {limit} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def charset_text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"the request body is not UTF-8 (byte {exc.start})") from exc


def form_fields(text: str) -> list[tuple[str, str]]:
    """The fields of a query string or form body; 400 when one is percent-encoded bytes that are not UTF-8."""
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"a parameter is percent-encoded bytes that are not UTF-8: {exc.reason}") from exc


def query_string_fields(request: Request) -> list[tuple[str, str]]:
    """The parameters of the request's URL, decoded strictly (see :func:`form_fields`)."""
    raw: bytes = request.scope.get("query_string", b"")
    return form_fields(raw.decode("latin-1"))


def single_values(request: Request, *, ignored: Collection[str] = ()) -> dict[str, str]:
    """The URL's parameters as name -> value, those in ``ignored`` left out; 400 when a name is given twice."""
    values: dict[str, str] = {}
    for name, value in query_string_fields(request):
        if name in ignored:
            continue
        if name in values:
            raise ProtocolError(400, f"parameter {name!r} is given more than once: give each parameter once")
        values[name] = value
    return values
