"""Reading request bodies: within the size limit, by media type, as UTF-8."""

from __future__ import annotations

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
