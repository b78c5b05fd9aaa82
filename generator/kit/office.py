"""A kit's Office templates, deck.pptx and document.docx, read from their parts: what kind of file each is,
the links Office would fetch when it opens one, and deck.pptx's theme (colours and fonts) and slide size.

Each part is parsed with defusedxml and refused past a size, and nothing here opens python-pptx: a kit
is loaded by commands that draw no deck (`validate --kit`).
"""
from __future__ import annotations

import posixpath
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..brand import Brand, hex_colour, tint
from ..ooxml import DRAWING

MAX_PART_BYTES = 5 * 1024 * 1024   # [Content_Types].xml and _rels/.rels of deck.pptx and document.docx

PRESENTATION = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
WORD_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
OTHER_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": "a PowerPoint template (.potx)",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": "a macro-enabled presentation (.pptm)",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": "a PowerPoint show (.ppsx)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "a Word template (.dotx)",
    "application/vnd.ms-word.document.macroEnabled.main+xml": "a macro-enabled Word document (.docm)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "an Excel workbook",
}
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
PRESENTATION_NS = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
OFFICE_RELS_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def main_part_type(path: Path) -> str | None:
    """The content type of an Office file's main part, or None when it is not an Office file at all."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException

    try:
        with zipfile.ZipFile(path) as package:
            rels = xml_part(package, package.getinfo("_rels/.rels"))
            types = xml_part(package, package.getinfo("[Content_Types].xml"))
    except (OSError, KeyError, ValueError, RuntimeError, NotImplementedError, zipfile.BadZipFile,
            ParseError, DefusedXmlException):
        return None
    target = next((r.get("Target", "") for r in rels.iter(f"{RELS_NS}Relationship")
                   if r.get("Type") == OFFICE_DOCUMENT), None)
    if target is None:
        return None
    name = "/" + target.lstrip("/")
    for override in types.iter(f"{CT_NS}Override"):
        if override.get("PartName", "").casefold() == name.casefold():
            return override.get("ContentType")
    extension = name.rsplit(".", 1)[-1].casefold()
    for default in types.iter(f"{CT_NS}Default"):
        if default.get("Extension", "").casefold() == extension:
            return default.get("ContentType")
    return None


def xml_part(package: zipfile.ZipFile, info: zipfile.ZipInfo):
    """A part of an Office file parsed safely (defusedxml), refused (ValueError) past `MAX_PART_BYTES`."""
    from defusedxml.ElementTree import fromstring

    if info.file_size > MAX_PART_BYTES:
        raise ValueError(f"{info.filename} is too large")
    return fromstring(package.read(info))


def fetched_links(path: Path) -> list[tuple[str, str]]:
    """The relationships of an Office file that point outside it and that Office follows by itself (a remote
    template, a linked picture or object, a frame): (kind, target) each. A hyperlink is followed only when the
    reader clicks it, so it stays."""
    found = []
    with zipfile.ZipFile(path) as package:
        for info in package.infolist():
            if not info.filename.endswith(".rels"):
                continue
            for rel in xml_part(package, info).iter(f"{RELS_NS}Relationship"):
                kind = rel.get("Type", "").rsplit("/", 1)[-1]
                if rel.get("TargetMode") == "External" and kind != "hyperlink":
                    found.append((kind, rel.get("Target", "")))
    return sorted(found)


def deck_theme(path: Path) -> tuple[dict[str, str], tuple[int, int]]:
    """A deck.pptx's first theme as brand keys (accent1 → primary, accent2 → accent, its major and minor
    Latin fonts → heading_font and font), and its slide size in EMU. Read from the package's parts (the
    presentation, its first master, that master's theme) as PowerPoint finds them, without python-pptx: a
    kit is loaded by commands that draw no deck."""
    with zipfile.ZipFile(path) as package:
        def part(name: str):
            return xml_part(package, package.getinfo(name))

        def related(name: str, rel_id: str | None = None, kind: str | None = None) -> str:
            """The part `name` points at by relationship id, or by type: its name in the package."""
            folder, file = posixpath.split(name)
            rels = part(posixpath.join(folder, "_rels", f"{file}.rels"))
            target = next(r.get("Target", "") for r in rels.iter(f"{RELS_NS}Relationship")
                          if r.get("Id") == rel_id or (kind and r.get("Type", "").endswith(f"/{kind}")))
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))

        presentation = part("ppt/presentation.xml")
        size = presentation.find(f"{PRESENTATION_NS}sldSz")
        first = presentation.find(f"{PRESENTATION_NS}sldMasterIdLst/{PRESENTATION_NS}sldMasterId")
        master = related("ppt/presentation.xml", rel_id=first.get(f"{OFFICE_RELS_NS}id"))
        root = part(related(master, kind="theme"))
    found: dict[str, str] = {}
    for key, tag in (("primary", "accent1"), ("accent", "accent2")):
        colour = root.find(f".//{DRAWING}clrScheme/{DRAWING}{tag}/*")
        value = None if colour is None else colour.get("val") if colour.tag == f"{DRAWING}srgbClr" \
            else colour.get("lastClr")
        if hex_colour(value):
            found[key] = hex_colour(value)
    for key, tag in (("heading_font", "majorFont"), ("font", "minorFont")):
        latin = root.find(f".//{DRAWING}fontScheme/{DRAWING}{tag}/{DRAWING}latin")
        typeface = "" if latin is None else (latin.get("typeface") or "").strip()
        if typeface and len(typeface) <= 31:
            found[key] = typeface
    return found, (int(size.get("cx")), int(size.get("cy")))


def theme_brand(brand: Brand, theme: dict[str, str], table: Any) -> Brand:
    """`brand` with deck.pptx's theme colours and fonts where kit.toml's [brand] `table` gives none (kit.toml
    wins), the chart's series following a theme colour as they follow a given one (`folder._KitReader._brand`)."""
    table = table if isinstance(table, dict) else {}
    given = {key: value for key, value in theme.items()
             if key not in table and not (key == "heading_font" and "font" in table)}
    if "primary" in given and "secured" not in table:
        given["secured"] = given["primary"]
    if "accent" in given:
        for key, amount in (("forecast", 0.0), ("pipeline", 0.6), ("prospect", 0.85)):
            if key not in table:
                given[key] = tint(given["accent"], amount) if amount else given["accent"]
    return replace(brand, **given)

