"""Looking at a file before openpyxl does, so a wrong or hostile file is refused in one clear line.

openpyxl trusts what it opens: it unpacks whole parts into memory, reads a .xlsm without a word,
and reads Strict Open XML as an empty workbook. `sniff` decides from the first bytes, the zip's
central directory and short streamed reads of each part (never a whole part), so even a zip bomb
is refused in milliseconds.
"""
from __future__ import annotations

import io
import os
import posixpath
import re
import struct
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException, ElementTree

from ..errors import (
    FileMissingError,
    HostileFileError,
    NotAWorkbookError,
    UnusableFileError,
    WrongFormatError,
)

MB = 1024 * 1024
MAX_ENTRIES = 10_000              # parts in the zip; a planning workbook has about 50
MAX_CENTRAL_DIRECTORY = 8 * MB    # bytes of the zip's table of contents
MAX_TOTAL_SIZE = 200 * MB         # all parts, unpacked
MAX_PART_SIZE = 50 * MB           # any one part, unpacked
MAX_RATIO = 200                   # unpacked : packed, for parts over RATIO_FROM
RATIO_FROM = 10 * MB
MAX_SMALL_PART = 5 * MB           # [Content_Types].xml and the package relationships: parsed whole
MAX_PROLOG = 64 * 1024            # bytes read from each part looking for a DOCTYPE
MAX_SHEETS = 300
MAX_WORKBOOK_EVENTS = 10 * MAX_SHEETS   # XML events read from the workbook part: <sheets> comes early
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000

SAVE_AS_XLSX = "open it in Excel and save it as Excel Workbook (.xlsx)"
GIVE_A_PLAN = "give the .xlsx account plan (a blank one comes from `accountplan new-template`)"
GIVE_THE_PATH = "give the path of the .xlsx workbook"
NOT_A_NORMAL_WORKBOOK = ("no planning workbook looks like this: check where the file came from, "
                         "or start from `accountplan new-template`")

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
OTHER_MAGICS = {b"%PDF": "a PDF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
                b"GIF8": "a GIF image", b"{\\rtf": "a rich-text (RTF) document"}

PROLOG_ITEMS = {"<?": "?>", "<!--": "-->"}     # what may come before the DOCTYPE: declarations, comments
UNFINISHED = "unfinished"                       # a prolog still going on where the bytes read end

NS_STRICT = "http://purl.oclc.org/ooxml/"
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def sniff(source: str | os.PathLike | bytes, name: str = "") -> None:
    """Raise one of our `UnusableFileError`s unless `source` looks like a plain, sane .xlsx.

    `source` is a path, or the file's bytes (an upload) with `name` to show in messages.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        _sniff_stream(io.BytesIO(source), Path(name or "upload.xlsx"))
        return
    path = Path(source)
    try:
        _sniff(path)
    except PermissionError:
        raise FileMissingError("this file cannot be opened (permission denied)", hint="check who may read it",
                               code="not-readable", file=str(path)) from None


def _sniff(path: Path) -> None:
    if path.is_dir():
        raise FileMissingError("this is a folder, not a file", hint=GIVE_THE_PATH, file=str(path))
    if not path.exists():
        raise FileMissingError("there is no file here", hint="check the name and the folder", file=str(path))
    if not path.is_file():
        raise FileMissingError("this is not a regular file", hint=GIVE_THE_PATH, file=str(path))
    with open(path, "rb") as f:
        _sniff_stream(f, path)


def _sniff_stream(f, path: Path) -> None:
    """Decide from the first bytes of the open binary stream `f`; `path` names the file in messages."""
    head = f.read(8)
    if head.startswith(OLE2_MAGIC):
        _sniff_ole2(f, path)
    elif head.startswith(ZIP_MAGICS):
        _sniff_zip(f, path)
    else:
        raise _not_a_workbook(head + f.read(4096 - len(head)), path)


def _not_a_workbook(head: bytes, path: Path) -> UnusableFileError:
    """What the first bytes say the file is, and what to give instead."""
    if not head:
        return NotAWorkbookError("the file is empty (0 bytes)", hint=GIVE_A_PLAN, file=str(path))
    for magic, kind in OTHER_MAGICS.items():
        if head.startswith(magic):
            return NotAWorkbookError(f"this is {kind}, not an Excel workbook", hint=GIVE_A_PLAN, file=str(path))
    if b"\0" in head:
        return NotAWorkbookError("this is not an Excel workbook", hint=GIVE_A_PLAN, file=str(path))
    if b"Excel.Sheet" in head and head.lstrip().startswith(b"<?xml"):
        return WrongFormatError("this is an Excel 2003 XML Spreadsheet", hint=SAVE_AS_XLSX, code="legacy-format",
                                file=str(path))
    if head.lstrip()[:14].lower().startswith((b"<html", b"<!doctype html")):
        return NotAWorkbookError("this is a web page (HTML) with an Excel name", hint=SAVE_AS_XLSX, file=str(path))
    return NotAWorkbookError("this is a text or CSV file, not an Excel workbook", hint=GIVE_A_PLAN, file=str(path))


# Office 97-2003 containers (OLE2): legacy .xls and password-encrypted workbooks ------------------

def _sniff_ole2(f, path: Path) -> None:
    try:
        names = {name.lower() for name in _ole2_entry_names(f)}
    except (ValueError, struct.error, OSError):
        raise NotAWorkbookError("this is a damaged Office 97-2003 file", hint=GIVE_A_PLAN, code="damaged",
                                file=str(path)) from None
    if "encryptedpackage" in names:
        raise WrongFormatError("this workbook is encrypted with a password",
                               hint="open it in Excel, remove the password (File > Info > Protect Workbook > "
                                    "Encrypt with Password) and save it again", code="encrypted", file=str(path))
    if names & {"workbook", "book"}:
        raise WrongFormatError("this is a legacy Excel 97-2003 workbook (.xls)", hint=SAVE_AS_XLSX,
                               code="legacy-format", file=str(path))
    raise NotAWorkbookError("this is an Office 97-2003 file that is not a workbook", hint=GIVE_A_PLAN,
                            file=str(path))


def _ole2_entry_names(f) -> list[str]:
    """The names in an OLE2 directory, following its sector chain through the FAT with bounded reads."""
    f.seek(0)
    header = f.read(512)
    if len(header) < 512:
        raise ValueError("short OLE2 header")
    shift = struct.unpack_from("<H", header, 0x1E)[0]
    if shift not in (9, 12):
        raise ValueError("bad OLE2 sector size")
    sector_size = 1 << shift
    fat_sectors = _ole2_fat_sectors(f, header, sector_size)
    per_sector = sector_size // 4
    names, sector, seen = [], struct.unpack_from("<I", header, 0x30)[0], set()
    while sector < 0xFFFFFFFA:                        # the special values (end of chain ...) lie above
        if sector in seen or len(seen) > 10_000:
            raise ValueError("looping directory chain")
        seen.add(sector)
        f.seek((sector + 1) * sector_size)
        data = f.read(sector_size)
        for at in range(0, len(data) - 127, 128):
            length, kind = struct.unpack_from("<HB", data, at + 64)
            if kind in (1, 2, 5) and 2 <= length <= 64:   # storage, stream, root
                names.append(data[at:at + length - 2].decode("utf-16-le", "replace"))
        index = sector // per_sector
        if index >= len(fat_sectors):
            raise ValueError("directory outside the FAT")
        f.seek((fat_sectors[index] + 1) * sector_size + (sector % per_sector) * 4)
        sector = struct.unpack("<I", f.read(4))[0]
    return names


def _ole2_fat_sectors(f, header: bytes, sector_size: int) -> list[int]:
    """Where the FAT's own sectors are: 109 listed in the header, the rest in a chain of DIFAT sectors."""
    count = struct.unpack_from("<I", header, 0x2C)[0]
    found = [s for s in struct.unpack_from("<109I", header, 0x4C) if s < 0xFFFFFFFA]
    difat, hops = struct.unpack_from("<I", header, 0x44)[0], 0
    while len(found) < count and difat < 0xFFFFFFFA and hops < 1_000:
        f.seek((difat + 1) * sector_size)
        entries = struct.unpack(f"<{sector_size // 4}I", f.read(sector_size))
        found += [s for s in entries[:-1] if s < 0xFFFFFFFA]
        difat, hops = entries[-1], hops + 1
    return found[:count]


# Zip packages ---------------------------------------------------------------------------------

def _sniff_zip(f, path: Path) -> None:
    _check_zip_directory(f, path)
    try:
        book = zipfile.ZipFile(f)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error, NotImplementedError):
        raise _damaged(path) from None
    with book:
        _check_sizes(book, f.seek(0, os.SEEK_END), path)
        _check_not_opendocument(book, path)
        _check_no_doctype(book, path)
        types = _content_types(book, path)
        _check_workbook(book, _workbook_part(book, types, path), path)
        _check_sheets(book, types, path)


def _damaged(path: Path) -> NotAWorkbookError:
    return NotAWorkbookError("the workbook is damaged or incomplete (its zip structure cannot be read)",
                             hint="copy or download it again, or open it in Excel and save it again",
                             code="damaged", file=str(path))


def _hostile(path: Path, what: str, advice: str = NOT_A_NORMAL_WORKBOOK) -> HostileFileError:
    return HostileFileError(f"refused: {what}", hint=advice, file=str(path))


def _check_zip_directory(f, path: Path) -> None:
    """Read the zip's end record ourselves: refuse a truncated file or a huge directory before zipfile loads it."""
    size = f.seek(0, os.SEEK_END)
    tail_start = max(0, size - (22 + 65_535))
    f.seek(tail_start)
    tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise _damaged(path)
    entries, directory_size, directory_offset = struct.unpack_from("<10xHLL", tail, at)   # total entries, size, offset
    zip64_locator = tail_start + at - 20
    if entries == 0xFFFF or 0xFFFFFFFF in (directory_size, directory_offset):
        entries, directory_size = _zip64_counts(f, zip64_locator, path)
    if entries > MAX_ENTRIES:
        raise _hostile(path, f"the zip holds {entries:,} parts (the limit is {MAX_ENTRIES:,})")
    if directory_size > MAX_CENTRAL_DIRECTORY:
        raise _hostile(path, f"the zip's directory is {directory_size / MB:,.0f} MB")


def _zip64_counts(f, locator_at: int, path: Path) -> tuple[int, int]:
    if locator_at < 0:
        raise _damaged(path)
    f.seek(locator_at)
    locator = f.read(20)
    if not locator.startswith(b"PK\x06\x07"):
        raise _damaged(path)
    f.seek(struct.unpack_from("<Q", locator, 8)[0])
    record = f.read(56)
    if len(record) < 56 or not record.startswith(b"PK\x06\x06"):
        raise _damaged(path)
    entries, directory_size = struct.unpack_from("<QQ", record, 32)
    return entries, directory_size


def _check_sizes(book: zipfile.ZipFile, file_size: int, path: Path) -> None:
    """The zip-bomb checks, from the sizes the central directory declares: nothing is unpacked."""
    parts = book.infolist()
    total = sum(p.file_size for p in parts)
    if total > MAX_TOTAL_SIZE:
        raise _hostile(path, f"it would unpack to {total / MB:,.0f} MB (the limit is {MAX_TOTAL_SIZE // MB} MB)")
    for part in parts:
        if part.file_size > MAX_PART_SIZE:
            raise _hostile(path, f"{part.filename} would unpack to {part.file_size / MB:,.0f} MB "
                                 f"(the limit is {MAX_PART_SIZE // MB} MB a part)")
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise _hostile(path, f"{part.filename} is compressed {part.file_size // max(part.compress_size, 1):,} "
                                 f"to 1 (a zip bomb; the limit is {MAX_RATIO} to 1)")
        if part.header_offset + part.compress_size > file_size:
            raise _damaged(path)


def _check_not_opendocument(book: zipfile.ZipFile, path: Path) -> None:
    if "mimetype" not in book.NameToInfo:
        return
    mimetype = _read_head(book, "mimetype", 200, path).decode("ascii", "replace").strip()
    if mimetype == "application/vnd.oasis.opendocument.spreadsheet":
        raise WrongFormatError("this is an OpenDocument spreadsheet (.ods)",
                               hint="open it in LibreOffice Calc or Excel and save it as Excel Workbook (.xlsx)",
                               code="opendocument", file=str(path))
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        raise NotAWorkbookError("this is an OpenDocument file, not a spreadsheet", hint=GIVE_A_PLAN, file=str(path))


def _check_no_doctype(book: zipfile.ZipFile, path: Path) -> None:
    """No part may declare a DOCTYPE or entity: the billion-laughs and external-entity tricks live there.

    A DOCTYPE can only stand in an XML document's prolog, before the first element, so only
    the prolog of each part is read, and at most MAX_PROLOG bytes of it.
    """
    for part in book.infolist():
        if part.is_dir():
            continue
        for limit in (4096, MAX_PROLOG):               # most prologs end within the first line
            head = _read_head(book, part.filename, limit, path)
            verdict = _prolog_verdict(_decode_xml_head(head), complete=len(head) < limit)
            if verdict is not UNFINISHED:
                break
        if verdict is UNFINISHED:
            verdict = f"starts with over {MAX_PROLOG // 1024} KB of preamble"
        if verdict:
            raise _hostile(path, f"{part.filename} {verdict}")


def _prolog_verdict(text: str, complete: bool) -> str | None:
    """Why the XML prolog at the start of `text` is refused; None when harmless or not XML; or UNFINISHED."""
    at = 0
    while True:
        at = len(text) - len(text[at:].lstrip())
        if text.startswith("<!", at) and not text.startswith("<!--", at):
            return "declares a DOCTYPE or entities (an XML entity trick)"
        opener = next((o for o in PROLOG_ITEMS if text.startswith(o, at)), None)
        if opener is None:
            return None                               # the first element, or not XML at all
        end = text.find(PROLOG_ITEMS[opener], at + len(opener))
        if end < 0:
            return None if complete else UNFINISHED
        at = end + len(PROLOG_ITEMS[opener])


def _decode_xml_head(head: bytes) -> str:
    """The start of a part as text, whatever of UTF-8 / UTF-16 it is written in."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\0", b"\0<"):
        encoding = "utf-16" if head[:1] in (b"\xff", b"\xfe") else ("utf-16-le" if head[:1] == b"<" else "utf-16-be")
        return head[:len(head) // 2 * 2].decode(encoding, "replace")
    return head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")


def _read_head(book: zipfile.ZipFile, name: str, limit: int, path: Path) -> bytes:
    """At most `limit` unpacked bytes from the start of a part, streamed."""
    try:
        with book.open(name) as part:
            return part.read(limit)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error):
        raise _damaged(path) from None
    except RuntimeError:                              # a zip-level password, which Excel never sets
        raise NotAWorkbookError("this file is locked with a zip password", hint=f"unlock it and {SAVE_AS_XLSX}",
                                code="encrypted", file=str(path)) from None
    except NotImplementedError:
        raise NotAWorkbookError("this file is packed with a compression Excel does not use", hint=SAVE_AS_XLSX,
                                file=str(path)) from None


def _read_small_part(book: zipfile.ZipFile, name: str, path: Path):
    """A small XML part, parsed (with defusedxml, though the DOCTYPE check has already run)."""
    if book.getinfo(name).file_size > MAX_SMALL_PART:
        raise _hostile(path, f"{name} is {book.getinfo(name).file_size / MB:,.0f} MB")
    data = _read_head(book, name, MAX_SMALL_PART + 1, path)
    try:
        return ElementTree.fromstring(data)
    except (ParseError, DefusedXmlException):
        raise NotAWorkbookError(f"the workbook is damaged ({name} cannot be read)", hint=f"{SAVE_AS_XLSX} again",
                                code="damaged", file=str(path)) from None


def _content_types(book: zipfile.ZipFile, path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Part name -> content type as [Content_Types].xml overrides it, and extension -> default type."""
    names = book.NameToInfo
    if "[Content_Types].xml" not in names:
        if "xl/workbook.xml" in names:
            raise NotAWorkbookError("the workbook is damaged (it has no [Content_Types].xml part)",
                                    hint=f"{SAVE_AS_XLSX} again", code="damaged", file=str(path))
        raise NotAWorkbookError("this is a zip archive, not an Excel workbook", hint=GIVE_A_PLAN, file=str(path))
    types = _read_small_part(book, "[Content_Types].xml", path)
    overrides = {o.get("PartName", "").lstrip("/").lower(): o.get("ContentType", "")
                 for o in types.iter(f"{CT_NS}Override")}
    defaults = {d.get("Extension", "").lower(): d.get("ContentType", "") for d in types.iter(f"{CT_NS}Default")}
    return overrides, defaults


def _workbook_part(book: zipfile.ZipFile, types: tuple[dict, dict], path: Path) -> str:
    """The workbook part's name, once we know the package is an Excel workbook we can read."""
    names = book.NameToInfo
    name = _main_part_name(book, path)
    overrides, defaults = types
    kind = overrides.get(name.lower()) or defaults.get(name.rpartition(".")[2].lower(), "")
    if "wordprocessingml" in kind or "presentationml" in kind:
        program = "Word document" if "wordprocessingml" in kind else "PowerPoint presentation"
        raise NotAWorkbookError(f"this is a {program}, not an Excel workbook", hint=GIVE_A_PLAN, file=str(path))
    if "binary" in kind or name.endswith(".bin") or "xl/workbook.bin" in names:
        raise WrongFormatError("this is an Excel Binary Workbook (.xlsb)", hint=SAVE_AS_XLSX, code="binary-workbook",
                               file=str(path))
    if "macroenabled" in kind.lower() or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise WrongFormatError("this is a macro-enabled workbook (.xlsm)",
                               hint="open it in Excel and save a copy as Excel Workbook (.xlsx) (the plan needs "
                                    "no macros)", code="macro-workbook", file=str(path))
    if name not in names:
        raise NotAWorkbookError(f"this package has no workbook part ({name} is missing)", hint=GIVE_A_PLAN,
                                file=str(path))
    return name


def _main_part_name(book: zipfile.ZipFile, path: Path) -> str:
    """Where the package's relationships say its main document is (xl/workbook.xml in practice)."""
    if "_rels/.rels" in book.NameToInfo:
        for rel in _read_small_part(book, "_rels/.rels", path).iter(f"{RELS_NS}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument") and rel.get("TargetMode") != "External":
                return posixpath.normpath(rel.get("Target", "").lstrip("/"))
    return "xl/workbook.xml"


def _check_workbook(book: zipfile.ZipFile, name: str, path: Path) -> None:
    """Transitional (not Strict) Open XML, and a sane number of sheets.

    The workbook part is streamed only up to the end of its <sheets> list, which comes before
    the defined names that can make it large.
    """
    root, sheets = _workbook_namespace_and_sheets(book, name, path)
    if root.startswith("{" + NS_STRICT):
        raise WrongFormatError("this workbook is saved as Strict Open XML, which cannot be read",
                               hint="open it in Excel and save it as Excel Workbook (.xlsx), not Strict Open XML",
                               code="strict-xml", file=str(path))
    if sheets > MAX_SHEETS:
        raise _hostile(path, f"it declares more than {MAX_SHEETS} sheets",
                       "delete the sheets the plan does not need in Excel and save it again")


def _workbook_namespace_and_sheets(book: zipfile.ZipFile, name: str, path: Path) -> tuple[str, int]:
    root, sheets = "", 0
    try:
        with book.open(name) as part:
            events = ElementTree.iterparse(part, events=("start", "end"))
            for count, (event, element) in enumerate(events):
                root = root or element.tag
                local = element.tag.rpartition("}")[2]
                if event == "end" and local == "sheet":
                    sheets += 1
                    element.clear()
                if (event == "end" and local == "sheets") or sheets > MAX_SHEETS or count > MAX_WORKBOOK_EVENTS:
                    break
    except (ParseError, DefusedXmlException, zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise NotAWorkbookError(f"the workbook is damaged ({name} cannot be read)", hint=f"{SAVE_AS_XLSX} again",
                                code="damaged", file=str(path)) from None
    return root, sheets


DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*?ref\s*=\s*[\"']([^\"']*)[\"']")
LAST_CELL = re.compile(r"([A-Za-z]{1,3})\$?(\d{1,7})$")


def _check_sheets(book: zipfile.ZipFile, types: tuple[dict, dict], path: Path) -> None:
    """Refuse a sheet whose declared used range no plan comes near: such a sheet is built to exhaust
    memory or time. The <dimension> element stands near the start of each worksheet part."""
    overrides = types[0]
    for part in book.infolist():
        if not (overrides.get(part.filename.lower(), "").endswith(".worksheet+xml")
                or re.fullmatch(r"xl/worksheets/[^/]+\.xml", part.filename)):
            continue
        match = DIMENSION.search(_read_head(book, part.filename, MAX_PROLOG, path))
        last = LAST_CELL.search(match.group(1).decode("latin-1")) if match else None
        if last is None:
            continue
        rows, columns = int(last.group(2)), _column_number(last.group(1))
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            raise _hostile(path, f"{part.filename} declares {rows:,} rows by {columns:,} columns "
                                 f"(the limit is {MAX_ROWS:,} by {MAX_COLUMNS:,})",
                           "delete the rows and columns beyond the plan in Excel and save it again")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
