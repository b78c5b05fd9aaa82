"""The document's building blocks: a page in the brand's styles, tables at fixed widths, fields, and the file.

python-docx covers paragraphs, runs and most of a table; what it leaves out (a header row repeated on each
page, cell shading, text read bottom to top, a table's alternative text, fields, asking Word to refresh them,
theme fonts) is written here as raw WordprocessingML, so that `document` says only what goes where. Sizes are
in points; table columns are sized by estimate, from the characters their text should fit.

Colours and fonts come from the `Brand` passed to `new_document` and `add_table` (and the colour passed to
`page_numbers`): nothing here reads a brand of its own, so two documents in two brands can be written side by side.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Inches, Pt, RGBColor

from .. import fmt
from ..brand import Brand
from ..plan.clean import clean_text
from ..ooxml import write_stamped

TABLE_STYLE = "Table Grid"
TABLE_TEXT = "Table Text"  # our own paragraph style for table cells: smaller, no spacing
TABLE_TEXT_PT = 8.5
CHAR_PT = 5.0              # a character of table text, a little wide so that estimates err safe
CELL_MARGIN_PT = 2.85      # each side of a cell's text
CELL_PAD_PT = 7.0          # a cell's left and right margins together, plus a little air
AT_LEAST = WD_ROW_HEIGHT_RULE.AT_LEAST
CONTENTS_FIELD = r'TOC \o "1-1" \h \z \u'  # Heading 1 only, as links, without page numbers in web view


def clean(value: Any) -> str:
    """Text as the rep typed it, cleaned as the reader cleans it (python-docx raises on control characters)."""
    return clean_text(str(value))[0]


def add_run(paragraph, text: str, bold: bool = False, colour: str | None = None):
    """A run of cleaned text, bold or coloured only when asked, so other runs keep the style's look."""
    run = paragraph.add_run(clean(text))
    if bold:
        run.bold = True
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    return run


# The page and the styles ------------------------------------------------------------------------

def new_document(brand: Brand):
    """A document with one-inch side margins, `brand`'s styles, and its fields refreshed on opening."""
    doc = Document()
    section = doc.sections[0]
    section.left_margin = section.right_margin = Inches(1)
    _brand_styles(doc, brand)
    _update_fields_on_open(doc)
    return doc


def text_width(doc) -> float:
    """The width between the side margins, in points: what a table's columns share."""
    section = doc.sections[0]
    return Emu(section.page_width - section.left_margin - section.right_margin).pt


def _brand_styles(doc, brand: Brand) -> None:
    """The brand's fonts and colours on Word's own styles (so the navigation pane and contents still work)."""
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    for fonts in defaults.iter(qn("w:rFonts")):
        _drop_theme_fonts(fonts)
    _font(styles["Normal"], brand.font, 10.5, brand.text)
    for name, size in (("Title", 28), ("Subtitle", 14), ("Heading 1", 16), ("Heading 2", 12.5), ("Heading 3", 11),
                       ("TOC Heading", 16)):
        _font(styles[name], brand.heading_font, size, brand.primary)
    _table_styles(styles)


def _table_styles(styles) -> None:
    """Narrow cell margins on the table style (python-docx has no API for them), and a compact cell style."""
    margins = styles[TABLE_STYLE].element.find(qn("w:tblPr")).find(qn("w:tblCellMar"))
    for side in ("w:left", "w:right"):
        margins.find(qn(side)).set(qn("w:w"), str(round(CELL_MARGIN_PT * 20)))  # in twentieths of a point
    cells = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    cells.base_style = styles["Normal"]
    cells.font.size = Pt(TABLE_TEXT_PT)
    cells.paragraph_format.space_before = cells.paragraph_format.space_after = Pt(1)
    cells.paragraph_format.line_spacing = 1.0


def _font(style, name: str, size: float | None, colour: str) -> None:
    """A style in a named font, size and colour, with no theme font left to override the name."""
    style.font.name = name
    _drop_theme_fonts(style.element.rPr.rFonts)
    if size:
        style.font.size = Pt(size)
    style.font.color.rgb = RGBColor.from_string(colour)


def _drop_theme_fonts(fonts) -> None:
    """Theme font attributes win over a named font in Word; the brand names its fonts, so drop them."""
    for attr in ("w:asciiTheme", "w:hAnsiTheme"):
        fonts.attrib.pop(qn(attr), None)


def _update_fields_on_open(doc) -> None:
    """Ask Word to refresh the contents and page fields when it opens the file (w:updateFields)."""
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.find(qn("w:compat")).addprevious(update)  # its place in the settings schema


# Tables ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Col:
    """A table column: its header and the characters it should fit; a `fixed` column is never squeezed."""

    header: str
    chars: float
    fixed: bool = False
    fill: str | None = None  # the header's fill (None: the brand's primary); another marks the column
    vertical: bool = False   # the header reads bottom to top, for a narrow column of marks
    right: bool = False      # the values line up on the right (money, shares)


@dataclass(frozen=True)
class Cell:
    """A table cell's text, and how it stands out (red for overdue, missing or exposed)."""

    text: str
    colour: str | None = None
    bold: bool = False


def cell(value: Any) -> Cell:
    """A value as a table cell: a `Cell` as it is, anything else as `fmt.text` shows it."""
    return value if isinstance(value, Cell) else Cell(fmt.text(value))


def layout(cols: list[Col], total: float) -> list[float]:
    """Column widths in points: fixed columns get what their text needs, the others share the rest."""
    need = [c.chars * CHAR_PT + CELL_PAD_PT for c in cols]
    rest = total - sum(n for n, c in zip(need, cols) if c.fixed)
    flexible = sum(n for n, c in zip(need, cols) if not c.fixed)
    if flexible and rest >= min(flexible, total / 4):
        return [n if c.fixed else rest * n / flexible for n, c in zip(need, cols)]
    return [total * n / sum(need) for n in need]  # no room to spare: every column gives a little


def add_table(doc, caption: str, cols: list[Col], rows: list[list], width: float, brand: Brand) -> None:
    """A table in the plan's table style and `brand`'s header fill, its header repeated on each page, at fixed
    column widths.

    Fixed widths let a very long word wrap inside its cell instead of pushing the table off the page.
    Rows are added one at a time through `add_row().cells`: `table.cell(r, c)` is quadratic.
    `width` is in points; `caption` is the table's alternative text (read by screen readers, and by the tests).
    """
    table = doc.add_table(rows=1, cols=len(cols))
    table.style = doc.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Pt(w) for w in layout(cols, width)]
    for column, column_width in zip(table.columns, widths):
        column.width = column_width
    cell_style = doc.styles[TABLE_TEXT].style_id
    _header_row(table.rows[0], cols, widths, cell_style, brand)
    for values in rows:
        for table_cell, value, col in zip(table.add_row().cells, values, cols):
            _cell_text(table_cell, cell(value), cell_style, _alignment(col))
    _caption(table, caption)


def _header_row(row, cols: list[Col], widths: list, cell_style: str, brand: Brand) -> None:
    """White bold headers on each column's fill; tall enough for vertical headers on two lines, with air."""
    vertical = [len(c.header) for c in cols if c.vertical]
    if vertical:
        row.height, row.height_rule = Pt(max(vertical) * CHAR_PT * 0.6 + CELL_PAD_PT), AT_LEAST
    _repeat_as_header(row)
    for table_cell, col, width in zip(row.cells, cols, widths):
        table_cell.width = width
        _shade(table_cell, col.fill or brand.primary)
        if col.vertical:
            _vertical(table_cell)
        _cell_text(table_cell, Cell(col.header, "FFFFFF", True), cell_style,
                   WD_ALIGN_PARAGRAPH.RIGHT if col.right else None)


def _alignment(col: Col):
    """Marks centred under a vertical header, money and shares on the right, the rest as the style has it."""
    return WD_ALIGN_PARAGRAPH.CENTER if col.vertical else WD_ALIGN_PARAGRAPH.RIGHT if col.right else None


def _cell_text(table_cell, value: Cell, style_id: str, alignment=None) -> None:
    """A cell's one paragraph in the compact table style, its text marked as the `Cell` says."""
    paragraph = table_cell.paragraphs[0]
    # Set by id: assigning the style object makes python-docx search every style, once per cell.
    paragraph._p.get_or_add_pPr().style = style_id
    if alignment is not None:
        paragraph.alignment = alignment
    add_run(paragraph, value.text, value.bold, value.colour)


def _repeat_as_header(row) -> None:
    """Mark the row as the table's header, which Word repeats at the top of each page (w:tblHeader)."""
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(mark)


def _shade(table_cell, colour: str) -> None:
    """Fill the cell with `colour` (w:shd); python-docx has no cell shading."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    table_cell._tc.get_or_add_tcPr().append(shading)


def _vertical(table_cell) -> None:
    """Text that reads bottom to top (w:textDirection btLr), so a long header fits a narrow column."""
    direction = OxmlElement("w:textDirection")
    direction.set(qn("w:val"), "btLr")
    table_cell._tc.get_or_add_tcPr().append(direction)


def _caption(table, text: str) -> None:
    """The table's alternative text (w:tblCaption), which python-docx does not expose."""
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), clean(text))
    table._tbl.tblPr.append(caption)


# Fields ----------------------------------------------------------------------------------------

def page_numbers(paragraph, page: str, of: str, colour: str) -> None:
    """'Page 3 of 12', centred in `colour`, in PAGE and NUMPAGES fields that Word keeps right as the text moves."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(paragraph, f"{page} ", colour=colour)
    _field(paragraph, "PAGE", "1", colour)
    add_run(paragraph, f" {of} ", colour=colour)
    _field(paragraph, "NUMPAGES", "1", colour)


def add_contents(doc, entries: list[str]) -> None:
    """A TOC field Word rebuilds on opening; until then (and in LibreOffice) it shows `entries`, one a line."""
    first = doc.add_paragraph()
    _field_begin(first, CONTENTS_FIELD)
    add_run(first, entries[0])
    last = first
    for entry in entries[1:]:
        last = doc.add_paragraph()
        add_run(last, entry)
    _field_end(last)


def _field(paragraph, instruction: str, shown: str, colour: str) -> None:
    """A field (PAGE, NUMPAGES) with the text shown until Word updates it."""
    _field_begin(paragraph, instruction)
    add_run(paragraph, shown, colour=colour)
    _field_end(paragraph)


def _field_begin(paragraph, instruction: str) -> None:
    """A field's start and its instruction; the runs after it, up to its end, are its shown result."""
    _field_char(paragraph, "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    _field_char(paragraph, "separate")


def _field_end(paragraph) -> None:
    """Close the field begun in this paragraph or an earlier one (the contents spans several)."""
    _field_char(paragraph, "end")


def _field_char(paragraph, kind: str) -> None:
    """One of a field's three marks (begin, separate, end), each in a run of its own as Word expects."""
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


# The file --------------------------------------------------------------------------------------

def save_stamped(doc, path: Path, when: dt.datetime) -> None:
    """Write the document with every zip entry dated `when`, so the same plan gives the same bytes."""
    buffer = io.BytesIO()
    doc.save(buffer)
    write_stamped(buffer.getvalue(), path, when)
