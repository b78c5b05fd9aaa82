"""Helpers that write plan workbooks through the template and edit them as a rep would."""
from __future__ import annotations

import zipfile
from pathlib import Path
from collections.abc import Callable
from xml.etree import ElementTree

import openpyxl

from generator.plan.template import write_filled


def write_plan(data: dict, path: Path, edit: Callable | None = None) -> Path:
    """Write `data` through the template; `edit(workbook)` then changes it like a rep in Excel."""
    write_filled(data, path)
    if edit is not None:
        wb = openpyxl.load_workbook(path)
        edit(wb)
        wb.save(path)
    return path


def set_cell(sheet: str, cell: str, value) -> Callable:
    def edit(wb):
        wb[sheet][cell].value = value
        if isinstance(value, str) and not value.startswith("="):
            wb[sheet][cell].data_type = "s"
    return edit


# The package as the format rules see it ---------------------------------------------------------------

SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
PACKAGE_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def sheet_parts(path: Path) -> dict[str, bytes]:
    """Every worksheet part of an .xlsx file by its name."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name.startswith("xl/worksheets/") and name.endswith(".xml")}


def empty_text_cells(path: Path) -> list[str]:
    """`part!cell` of every inline-string cell with no text, in every sheet: an empty string written as text."""
    empty = []
    for name, data in sheet_parts(path).items():
        for cell in ElementTree.fromstring(data).iter(f"{SHEET_NS}c"):
            if cell.get("t") == "inlineStr" and not "".join(cell.itertext()):
                empty.append(f"{name}!{cell.get('r')}")
    return empty


def external_relationships(path: Path) -> list[tuple[str, str]]:
    """(part, target) of every relationship of the package that points outside it."""
    found = []
    with zipfile.ZipFile(path) as archive:
        for name in (n for n in archive.namelist() if n.endswith(".rels")):
            for rel in ElementTree.fromstring(archive.read(name)).iter(f"{PACKAGE_RELS_NS}Relationship"):
                if rel.get("TargetMode") == "External":
                    found.append((name, rel.get("Target")))
    return found


def sheet_part(path: Path, sheet: str) -> str:
    """The name of the worksheet part of the sheet titled `sheet`, as the workbook part relates it."""
    rel_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    with zipfile.ZipFile(path) as archive:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    ref = next(s.get(rel_id) for s in workbook.iter(f"{SHEET_NS}sheet") if s.get("name") == sheet)
    target = next(r.get("Target") for r in rels.iter(f"{PACKAGE_RELS_NS}Relationship") if r.get("Id") == ref)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def hyperlinks(path: Path, sheet: str) -> list[dict[str, str]]:
    """The attributes of each `<hyperlink>` of the sheet titled `sheet` (`r:id` as `id`)."""
    root = ElementTree.fromstring(sheet_parts(path)[sheet_part(path, sheet)])
    return [{key.rsplit("}", 1)[-1]: value for key, value in link.attrib.items()}
            for link in root.iter(f"{SHEET_NS}hyperlink")]


def core_properties(path: Path) -> dict[str, str]:
    """docProps/core.xml as local element name -> text."""
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("docProps/core.xml"))
    return {element.tag.rsplit("}", 1)[-1]: element.text or "" for element in root}


def doc_props(path: Path) -> str:
    """Every docProps part of the package, as one text."""
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("docProps/"))
