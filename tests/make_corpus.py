"""A corpus of broken and hostile input files, built by code in a few seconds.

Each case is a file a rep (or an attacker) could hand the tool, with the error the tool must
answer with. `make_corpus(folder)` writes them all; `python tests/make_corpus.py DIR` too, for a
look by hand. Cases marked `via="reader"` pass the sniffing and are refused by `read_plan`.
"""
from __future__ import annotations

import io
import struct
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
CT_SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    error: str              # the exception class's name
    message: str            # a piece of its one-line message
    code: str = ""          # the refusal's stable code
    exit_code: int = 2
    via: str = "sniff"      # "reader": sniffing passes, generator.plan.reader.read_plan refuses


@dataclass(frozen=True)
class Recipe:
    file_name: str
    build: Callable[[Path], None]
    error: str
    message: str
    via: str = "sniff"


def make_corpus(folder: Path) -> list[Case]:
    """Write every case into `folder` and return what each must be refused with."""
    folder.mkdir(parents=True, exist_ok=True)
    cases = []
    for name, recipe in RECIPES.items():
        path = folder / recipe.file_name
        recipe.build(path)
        cases.append(Case(name, path, recipe.error, recipe.message, CODES[name], via=recipe.via))
    return cases


# A valid workbook, and zips derived from it -------------------------------------------------

def valid_xlsx_bytes() -> bytes:
    """A small, ordinary workbook as openpyxl writes it."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Plan"
    wb.active["A1"] = "Quarterly numbers"
    wb.active["B1"] = 42
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {name: book.read(name) for name in book.namelist()}


def write_zip(path: Path, parts: dict[str, bytes], level: int | None = None) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        for name, data in parts.items():
            book.writestr(name, data)


def edited(change: Callable[[dict[str, bytes]], None]) -> Callable[[Path], None]:
    """A builder: the valid workbook with `change(parts)` applied to its parts."""
    def build(path: Path) -> None:
        parts = parts_of(valid_xlsx_bytes())
        change(parts)
        write_zip(path, parts)
    return build


def with_big_part(name: str, size: int, start: bytes, filler: bytes) -> Callable[[Path], None]:
    """The valid workbook with part `name` made `size` bytes long, streamed so it costs little memory."""
    def build(path: Path) -> None:
        parts = parts_of(valid_xlsx_bytes())
        parts.pop(name, None)
        write_zip(path, parts)
        chunk = filler * (MB // len(filler))
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as book, book.open(name, "w") as part:
            part.write(start)
            for _ in range(-(-(size - len(start)) // len(chunk))):   # rounded up: at least `size` bytes
                part.write(chunk)
    return build


def raw(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def truncated(path: Path) -> None:
    data = valid_xlsx_bytes()
    path.write_bytes(data[:len(data) * 2 // 3])


def corrupt_directory(path: Path) -> None:
    """Every central-directory entry's signature overwritten, as a bad disk or transfer would."""
    path.write_bytes(valid_xlsx_bytes().replace(b"PK\x01\x02", b"XX\x01\x02"))


def zip_encrypted(path: Path) -> None:
    """The 'encrypted' flag set on every member, as a zip tool's password option would."""
    data = bytearray(valid_xlsx_bytes())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            data[at + flag_at] |= 1
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))


def a_folder(path: Path) -> None:
    path.mkdir(exist_ok=True)


def nothing(path: Path) -> None:
    """A missing file: build nothing."""


def many_entries(path: Path) -> None:
    parts = parts_of(valid_xlsx_bytes())
    parts.update({f"xl/media/note{i}.txt": b"x" for i in range(20_000)})
    write_zip(path, parts, level=1)


def random_files(path: Path) -> None:
    write_zip(path, {"notes.txt": b"call Dana on Monday\n", "numbers/q3.txt": b"950000\n"})


# Edits of the valid workbook's parts -------------------------------------------------------

def no_workbook_part(parts: dict[str, bytes]) -> None:
    del parts["xl/workbook.xml"]


def macro_enabled(parts: dict[str, bytes]) -> None:
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(CT_SHEET_MAIN.encode(),
                                                                        CT_MACRO_MAIN.encode())
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def binary_workbook(parts: dict[str, bytes]) -> None:
    workbook = parts.pop("xl/workbook.xml")
    parts["xl/workbook.bin"] = b"\x83\x01\x00" + workbook[:40]
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"xl/workbook.xml", b"xl/workbook.bin")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b'<Override PartName="/xl/workbook.xml" ContentType="' + CT_SHEET_MAIN.encode(),
        b'<Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main')


def strict(parts: dict[str, bytes]) -> None:
    for name in ("xl/workbook.xml", "xl/worksheets/sheet1.xml"):
        parts[name] = parts[name].replace(MAIN.encode(), STRICT_MAIN.encode())
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(
        OFFICE_DOCUMENT.encode(), b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")


def billion_laughs(parts: dict[str, bytes]) -> None:
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0"?>\n<!DOCTYPE sst [{entities}]>\n'
        f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>').encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                     b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                     b"</Types>")
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rId99" Target="sharedStrings.xml" Type="http://schemas.'
                             b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>')


def external_entity(parts: dict[str, bytes]) -> None:
    parts["xl/workbook.xml"] = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
                                b'<!DOCTYPE workbook [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
                                + parts["xl/workbook.xml"].replace(b'name="Plan"', b'name="&secret;"'))


def doctype_in_sheet(parts: dict[str, bytes]) -> None:
    parts["xl/worksheets/sheet1.xml"] = b"<!DOCTYPE worksheet>" + parts["xl/worksheets/sheet1.xml"]


def doctype_after_long_comment(parts: dict[str, bytes]) -> None:
    """The DOCTYPE pushed past the first few KB by a comment, where a naive look would stop."""
    parts["xl/styles.xml"] = (b'<?xml version="1.0"?><!--' + b" padding" * 2_000 + b' -->\n'
                              b'<!DOCTYPE styleSheet [<!ENTITY x "y">]>' + parts["xl/styles.xml"])


def doctype_in_utf16(parts: dict[str, bytes]) -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY x "y">]>' + parts["xl/styles.xml"].decode()
    parts["xl/styles.xml"] = text.encode("utf-16")


def endless_preamble(parts: dict[str, bytes]) -> None:
    parts["xl/styles.xml"] = b"<!--" + b" padding" * 20_000 + b" -->" + parts["xl/styles.xml"]


def many_sheets(parts: dict[str, bytes]) -> None:
    sheets = "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId1"/>' for i in range(1, 5_001))
    parts["xl/workbook.xml"] = (
        f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{sheets}</sheets></workbook>").encode()


def huge_dimension(parts: dict[str, bytes]) -> None:
    rows = "".join(f'<row r="{r}"><c r="XFD{r}"><v>{r}</v></c></row>' for r in range(1, 20_001))
    parts["xl/worksheets/sheet1.xml"] = (f'<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD1048576"/>'
                                         f"<sheetData>{rows}</sheetData></worksheet>").encode()


def word_document(parts: dict[str, bytes]) -> None:
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        CT_SHEET_MAIN.encode(), b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")


# Office 97-2003 compound files (OLE2) ---------------------------------------------------------

SECTOR = 512
FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def ole2(streams: dict[str, int], storages: tuple[str, ...] = ()) -> bytes:
    """A real compound file (version 3): header, one FAT sector, one directory sector, then the streams.

    Streams are given by name and size (at least 4096 bytes, so they live in ordinary sectors);
    the directory's red-black tree is a simple chain of right siblings under the root.
    """
    names = [*storages, *streams]
    if len(names) > 3:
        raise ValueError("one directory sector holds the root and three entries")
    fat, next_free, starts = [FAT_SECTOR, END_OF_CHAIN], 2, {}
    for name, size in streams.items():
        count = -(-size // SECTOR)
        starts[name] = next_free
        fat += [next_free + i + 1 for i in range(count - 1)] + [END_OF_CHAIN]
        next_free += count
    fat += [FREE] * (SECTOR // 4 - len(fat))
    entries = [_ole2_entry("Root Entry", 5, child=1)]
    for i, name in enumerate(names, start=1):
        right = i + 1 if i < len(names) else NO_STREAM
        kind = 1 if name in storages else 2
        entries.append(_ole2_entry(name, kind, right=right, start=starts.get(name, 0), size=streams.get(name, 0)))
    entries += [_ole2_entry("", 0, start=0)] * (SECTOR // 128 - len(entries))   # unused entries
    directory = b"".join(entries)
    header = struct.pack("<8s16sHHHHH6xIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", bytes(16), 0x3E, 3, 0xFFFE,
                         9, 6, 0, 1, 1, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
    header += struct.pack("<109I", 0, *[FREE] * 108)
    data = b"".join(bytes([i % 251]) * (-(-size // SECTOR) * SECTOR) for i, size in enumerate(streams.values()))
    return header + struct.pack(f"<{SECTOR // 4}I", *fat[:SECTOR // 4]) + directory + data


def _ole2_entry(name: str, kind: int, right: int = NO_STREAM, child: int = NO_STREAM,
                start: int = END_OF_CHAIN, size: int = 0) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, NO_STREAM, right, child,
                       bytes(16), 0, 0, 0, start, size)


# The cases ------------------------------------------------------------------------------------

def _reader_not_a_plan(path: Path) -> None:
    path.write_bytes(valid_xlsx_bytes())


def _reader_template_too_new(path: Path) -> None:
    import openpyxl

    from generator.plan.template import write_template

    write_template(path)
    wb = openpyxl.load_workbook(path)
    sheet, cell = next(iter(wb.defined_names["template_version"].destinations))
    wb[sheet][cell.replace("$", "")].value = "9.0"
    wb.save(path)


NA, WF, HF, FM = "NotAWorkbookError", "WrongFormatError", "HostileFileError", "FileMissingError"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

RECIPES: dict[str, Recipe] = {
    "empty": Recipe("empty.xlsx", raw(b""), NA, "empty"),
    "text named .xlsx": Recipe("notes.xlsx", raw(b"Account plan notes\nCall Dana on Monday\n"), NA, "text or CSV"),
    "csv": Recipe("pipeline.csv", raw(b"Opportunity,Stage,Value\nPlatform renewal,Secured,950000\n"),
                  NA, "text or CSV"),
    "html named .xls": Recipe("export.xls", raw(b"<html><body><table><tr><td>Platform</td></tr></table></body></html>"),
                              NA, "web page (HTML)"),
    "excel 2003 xml": Recipe("export.xml", raw(b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
                                               b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>'),
                             WF, "Excel 2003 XML Spreadsheet"),
    "pdf": Recipe("plan.pdf", raw(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"), NA, "PDF document"),
    "png": Recipe("logo.xlsx", raw(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(17)), NA, "PNG image"),
    "truncated": Recipe("truncated.xlsx", truncated, NA, "damaged or incomplete"),
    "corrupt central directory": Recipe("corrupt.xlsx", corrupt_directory, NA, "damaged or incomplete"),
    "zip-encrypted members": Recipe("zip-password.xlsx", zip_encrypted, NA, "locked with a zip password"),
    "no workbook part": Recipe("no-workbook.xlsx", edited(no_workbook_part), NA, "no workbook part"),
    "zip of text files": Recipe("archive.xlsx", random_files, NA, "zip archive"),
    "word document": Recipe("plan.docx", edited(word_document), NA, "Word document"),
    "legacy .xls": Recipe("harbor.xls", raw(ole2({"Workbook": 8192, "\x05SummaryInformation": 4096})),
                          WF, "legacy Excel 97-2003 workbook (.xls)"),
    "legacy .doc": Recipe("letter.doc", raw(ole2({"WordDocument": 4096, "1Table": 4096})),
                          NA, "Office 97-2003 file that is not a workbook"),
    "encrypted": Recipe("encrypted.xlsx", raw(ole2({"EncryptionInfo": 4096, "EncryptedPackage": 8192},
                                                   storages=("\x06DataSpaces",))),
                        WF, "encrypted with a password"),
    "xlsm": Recipe("macros.xlsm", edited(macro_enabled), WF, "macro-enabled workbook (.xlsm)"),
    "xlsb": Recipe("binary.xlsb", edited(binary_workbook), WF, "Excel Binary Workbook (.xlsb)"),
    "ods": Recipe("plan.ods", lambda path: write_zip(path, {"mimetype": ODS_MIMETYPE, "content.xml": b"<x/>"}),
                  WF, "OpenDocument spreadsheet (.ods)"),
    "strict ooxml": Recipe("strict.xlsx", edited(strict), WF, "not Strict Open XML"),
    "bomb by total size": Recipe("bomb.xlsx", with_big_part("xl/worksheets/sheet1.xml", 300 * MB,
                                                            f'<worksheet xmlns="{MAIN}"><sheetData>'.encode(), b" "),
                                 HF, "would unpack to 300 MB"),
    "bomb by part size": Recipe("big-sheet.xlsx", with_big_part(
        "xl/worksheets/sheet1.xml", 60 * MB, f'<worksheet xmlns="{MAIN}"><sheetData>'.encode(),
        b"<row><c><v>1</v></c></row>"), HF, "(the limit is 50 MB a part)"),
    "bomb by ratio": Recipe("ratio.xlsx", with_big_part("xl/theme/theme1.xml", 40 * MB, b"<a:theme>", b" "),
                            HF, "zip bomb"),
    "many entries": Recipe("many-parts.xlsx", many_entries, HF, "parts (the limit is 10,000)"),
    "billion laughs": Recipe("laughs.xlsx", edited(billion_laughs), HF, "sharedStrings.xml declares a DOCTYPE"),
    "external entity": Recipe("xxe.xlsx", edited(external_entity), HF, "workbook.xml declares a DOCTYPE"),
    "doctype in a sheet": Recipe("doctype.xlsx", edited(doctype_in_sheet), HF, "sheet1.xml declares a DOCTYPE"),
    "doctype after a long comment": Recipe("late-doctype.xlsx", edited(doctype_after_long_comment), HF,
                                           "styles.xml declares a DOCTYPE"),
    "doctype in utf-16": Recipe("utf16.xlsx", edited(doctype_in_utf16), HF, "styles.xml declares a DOCTYPE"),
    "endless preamble": Recipe("preamble.xlsx", edited(endless_preamble), HF, "KB of preamble"),
    "5,000 sheets": Recipe("sheets.xlsx", edited(many_sheets), HF, "more than 300 sheets"),
    "absurd dimension": Recipe("dimension.xlsx", edited(huge_dimension), HF, "1,048,576 rows by 16,384 columns"),
    "a folder": Recipe("a-folder.xlsx", a_folder, FM, "folder"),
    "a missing path": Recipe("missing.xlsx", nothing, FM, "no file here"),
    "not an account plan": Recipe("numbers.xlsx", _reader_not_a_plan, "NotAnAccountPlanError",
                                  "not an account plan", via="reader"),
    "template too new": Recipe("newer.xlsx", _reader_template_too_new, "TemplateTooNewError", "9.0", via="reader"),
}

# The stable refusal code each case must carry (README, "Refusals").
CODES = {
    "empty": "not-a-workbook", "text named .xlsx": "not-a-workbook", "csv": "not-a-workbook",
    "html named .xls": "not-a-workbook", "excel 2003 xml": "legacy-format", "pdf": "not-a-workbook",
    "png": "not-a-workbook", "truncated": "damaged", "corrupt central directory": "damaged",
    "zip-encrypted members": "encrypted", "no workbook part": "not-a-workbook", "zip of text files": "not-a-workbook",
    "word document": "not-a-workbook", "legacy .xls": "legacy-format", "legacy .doc": "not-a-workbook",
    "encrypted": "encrypted", "xlsm": "macro-workbook", "xlsb": "binary-workbook", "ods": "opendocument",
    "strict ooxml": "strict-xml", "a folder": "not-found", "a missing path": "not-found",
    "not an account plan": "not-a-plan", "template too new": "newer-template",
    **{name: "hostile" for name, recipe in RECIPES.items() if recipe.error == HF},
}


if __name__ == "__main__":
    for case in make_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")):
        print(f"{case.path}: {case.error} ({case.message})")
