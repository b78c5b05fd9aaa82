"""An upload read into memory: the workbook's bytes and a few small form fields, never a temporary file.

Starlette's own form parser spools files over 1 MB to disk; a plan must not touch the server's disk,
so the multipart body is parsed here with python-multipart's streaming parser straight into memory.
The request's total size is bounded before this by `app.LimitBody` (413); here a form may hold one
file (the field `file`) and a few short text fields.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import field
from urllib.parse import parse_qsl, unquote

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from ..records import record

FILE_FIELD = "file"
MAX_FIELDS = 16              # parts in one form
MAX_FIELD_BYTES = 4096       # a text field (as_of, strict, token)
MAX_NAME_CHARACTERS = 200    # a file name as the report shows it
MAX_HEADER_BYTES = 8192


class UploadError(Exception):
    """A request the server cannot take a workbook from (400)."""


@record(frozen=False)
class Upload:
    data: bytes | None = None                  # the workbook; None when no `file` part was sent
    filename: str = ""
    fields: dict[str, str] = field(default_factory=dict)


@record(frozen=False)
class _Part:
    name: str = ""
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)


async def read_form(request, max_bytes: int) -> Upload:
    """The form of `request`: multipart (a file and fields) or URL-encoded (fields only)."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    if kind == b"application/x-www-form-urlencoded":
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_FIELDS * MAX_FIELD_BYTES:
                raise UploadError("the form is too long")
        return Upload(fields=dict(parse_qsl(body.decode("utf-8", "replace"))))
    if kind != b"multipart/form-data" or not options.get(b"boundary"):
        raise UploadError(f"send the workbook as multipart/form-data, in the field '{FILE_FIELD}'")
    return await _multipart(request, options[b"boundary"], max_bytes)


async def _multipart(request, boundary: bytes, max_bytes: int) -> Upload:
    parts: list[_Part] = []
    header = {"name": bytearray(), "value": bytearray(), "disposition": b""}

    def begin():
        if len(parts) >= MAX_FIELDS:
            raise UploadError(f"the form has more than {MAX_FIELDS} parts")
        parts.append(_Part())

    def header_field(data, start, end):
        header["name"] += data[start:end]

    def header_value(data, start, end):
        header["value"] += data[start:end]
        if len(header["value"]) > MAX_HEADER_BYTES:
            raise UploadError("a part's header is too long")

    def header_end():
        if bytes(header["name"]).lower() == b"content-disposition":
            header["disposition"] = bytes(header["value"])
        header["name"], header["value"] = bytearray(), bytearray()

    def headers_finished():
        part = parts[-1]
        _, params = parse_options_header(header["disposition"])
        part.name = params.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in params:
            part.filename = params[b"filename"].decode("utf-8", "replace")
        else:
            extended = re.search(rb"filename\*\s*=\s*UTF-8''([^;\s]+)", header["disposition"], re.IGNORECASE)
            if extended:
                part.filename = unquote(extended.group(1).decode("ascii", "replace"))
        header["disposition"] = b""

    def data(chunk, start, end):
        part = parts[-1]
        limit = max_bytes if part.filename is not None or part.name == FILE_FIELD else MAX_FIELD_BYTES
        if len(part.data) + (end - start) > limit:
            raise UploadError(f"the field '{part.name}' is too long")
        part.data += chunk[start:end]

    callbacks = {"on_part_begin": begin, "on_header_field": header_field, "on_header_value": header_value,
                 "on_header_end": header_end, "on_headers_finished": headers_finished, "on_part_data": data}
    parser = MultipartParser(boundary, callbacks)
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        raise UploadError("the form could not be read (malformed multipart data)") from exc

    upload = Upload()
    for part in parts:
        if part.name == FILE_FIELD:
            if upload.data is not None:
                raise UploadError("send one workbook at a time")
            if not part.filename and not part.data:          # a file input left empty
                continue
            upload.data, upload.filename = bytes(part.data), safe_name(part.filename or "")
        elif part.filename is None:
            upload.fields[part.name] = part.data.decode("utf-8", "replace")
    return upload


def safe_name(filename: str) -> str:
    """The file's own name as the report shows it: no folders, no control characters, not too long."""
    name = re.split(r"[\\/]", filename)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).strip(". ")
    if len(name) > MAX_NAME_CHARACTERS:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[:MAX_NAME_CHARACTERS - len(suffix) - 1] + dot + suffix) if dot and len(suffix) < 10 \
            else name[:MAX_NAME_CHARACTERS]
    return name or "upload.xlsx"
