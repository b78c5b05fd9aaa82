"""Helpers shared by the renderers at the level of the file format (a zip of XML parts)."""
from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from pathlib import Path
from collections.abc import Callable


def write_stamped(blob: bytes, path: Path, when: dt.date,
                  transform: Callable[[str, bytes], bytes] | None = None) -> None:
    """Write the package with every zip entry dated `when`: the same plan gives the same bytes.

    `transform(part_name, data)` may rewrite a part on the way (the checked workbook fills in
    formula values there).

    Each part is compressed once: a part the library already deflated (python-pptx and python-docx
    save deflated, at zlib's default level, as this does) is copied as it is, under its new date, and
    only a part stored uncompressed (`workbook_bytes`) or rewritten by `transform` is deflated here.
    """
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, stamp)
            if transform is None and _raw_copy(blob, info, target, entry):
                continue
            data = source.read(info.filename)
            if transform is not None:
                changed = transform(info.filename, data)
                if changed is data and _raw_copy(blob, info, target, entry):
                    continue
                data = changed
            target.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)


_LOCAL_HEADER = struct.Struct("<4s5H3L2H")     # the zip format's local file header, 30 bytes
_LOCAL_SIGNATURE = b"PK\x03\x04"


def _raw_copy(blob: bytes, info: zipfile.ZipInfo, target: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    """Write a deflated entry of `blob` into `target` as `entry` without inflating and deflating it again:
    the same bytes `target.writestr(entry, data)` writes, whose deflate stream is the source's when both
    use zlib's default level. False (nothing written) for an entry that is not plainly deflated."""
    if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:       # stored, or encrypted
        return False
    header = blob[info.header_offset:info.header_offset + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        return False
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != _LOCAL_SIGNATURE:
        return False
    start = info.header_offset + _LOCAL_HEADER.size + fields[-2] + fields[-1]   # past the name and extra field
    raw = blob[start:start + info.compress_size]
    if len(raw) != info.compress_size:
        return False
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.file_size = info.file_size                # as writestr sets it: decides zip64 before writing
    with target.open(entry, mode="w") as handle:
        if not all(hasattr(handle, name) for name in ("_compressor", "_crc", "_file_size")):
            handle.write(_inflate(raw))             # another zipfile: let it deflate (same bytes)
            return True
        handle._compressor = _AsIs()
        handle.write(raw)
        handle._crc, handle._file_size = info.CRC, info.file_size
    return True


class _AsIs:
    """A "compressor" that passes data already deflated through unchanged."""

    def compress(self, data: bytes) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""


def _inflate(raw: bytes) -> bytes:
    import zlib

    return zlib.decompress(raw, -15)


APP_PART = "docProps/app.xml"


def workbook_bytes(workbook, app_properties: bool = True) -> bytes:
    """An openpyxl workbook as .xlsx bytes, keeping the properties we set (`save()` stamps the clock).

    openpyxl writes its own name into the extended properties (`Application`, no setting for it): they
    name accountplan instead (`app_properties`). The parts are stored uncompressed: `write_stamped`
    compresses them, once.
    """
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    archive = _OwnArchive(buffer, "w", zipfile.ZIP_STORED, allowZip64=True)
    archive.app_properties = _app_properties() if app_properties else None
    ExcelWriter(workbook, archive).save()        # closes the archive
    return buffer.getvalue()


class _OwnArchive(zipfile.ZipFile):
    """The zip openpyxl writes a workbook into, which puts our extended properties in place of its own as
    it writes them (so the package is written once, not written and copied)."""

    app_properties: bytes | None = None

    def writestr(self, zinfo_or_arcname, data, *args, **kwargs):
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        if name == APP_PART and self.app_properties is not None:
            data = self.app_properties
        return super().writestr(zinfo_or_arcname, data, *args, **kwargs)


def _app_properties() -> bytes:
    """The extended properties of a workbook accountplan wrote: the application, nothing of openpyxl."""
    from openpyxl.packaging.extended import ExtendedProperties
    from openpyxl.xml.functions import tostring

    from . import PRODUCER

    props = ExtendedProperties()
    props.Application, props.AppVersion = PRODUCER, None   # AppVersion is Office's own "XX.YYYY" build
    return tostring(props.to_tree())


DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def theme_with_fonts(blob: bytes, heading: str, body: str, east_asian: str, complex_script: str) -> bytes:
    """A DrawingML theme part (a deck's master's or a document's: the same schema) whose heading and body
    fonts are `heading` and `body` for Latin text and the given fonts for East Asian and complex scripts, so
    text that follows the theme gets the brand's fonts in any script; a script the theme leaves out is added
    in the schema's order (latin, ea, cs)."""
    from lxml import etree

    root = etree.fromstring(blob)
    scripts = ("latin", "ea", "cs")
    for kind, latin in (("majorFont", heading), ("minorFont", body)):
        for fonts in root.iter(DRAWING + kind):
            for script, typeface in zip(scripts, (latin, east_asian, complex_script)):
                font = fonts.find(DRAWING + script)
                if font is None:
                    font = fonts.makeelement(DRAWING + script, {})
                    fonts.insert(scripts.index(script), font)
                font.set("typeface", typeface)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

