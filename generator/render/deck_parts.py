"""The deck's building blocks: a text-fit estimator, a slide grid, and text boxes and tables that never overflow.

Every size is in points on a 13.333 x 7.5 in (960 x 540 pt) slide. Text is fitted by estimate, not by eye:
Calibri's average glyph is taken as 0.55 of the font size (a little wide, so estimates err safe), a line is
1.2 x the font size, and text wraps at the box's width. The renderer shortens text with an ellipsis or moves
table rows to a continuation slide by this estimate; the tests measure the written deck with the same one.

Colours and fonts come from the `Brand` a `DeckFile` is made with: a paragraph, cell or column that names
no colour takes the brand's (text, table header), so two decks in two brands can be written side by side.
The theme and every run carry the brand's East Asian and complex-script fonts as well as its Latin one, and
a paragraph whose text starts right-to-left (Arabic, Hebrew) is marked right-to-left and set from the right.

Each slide has a small topic above its title (the kicker, `Topic`) and a title that states the slide's
point, shrunk to fit one line before it is shortened.
"""
from __future__ import annotations

import copy
import datetime as dt
import functools
import io
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from lxml import etree
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.oxml.simpletypes import ST_Direction, ST_PlaceholderSize
from pptx.oxml.slide import CT_NotesSlide
from pptx.oxml.text import CT_RegularTextRun
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.util import Emu, Pt

from .. import PRODUCER
from ..brand import Brand
from ..fmt import right_to_left
from ..ooxml import theme_with_fonts, write_stamped
from ..records import record

# The slide grid, in points.
SLIDE_W, SLIDE_H = 960.0, 540.0
MARGIN = 36.0
CONTENT_W = SLIDE_W - 2 * MARGIN
TOPIC_TOP, TOPIC_H = 10.0, 22.0   # the kicker: the slide's topic, small, above its title
TITLE_TOP, TITLE_H = 30.0, 42.0
TITLE_SIZES = (26.0, 24.0, 22.0, 20.0)  # a title shrinks through these to fit its one line, then is shortened
RULE_Y = 76.0
BODY_TOP, BODY_BOTTOM = 84.0, 496.0
FOOTER_TOP, FOOTER_H = 508.0, 20.0

# The text-fit estimate.
CHAR_EM = 0.55       # average Calibri glyph width as a share of the font size
LINE_SPACING = 1.2   # line height as a multiple of the font size
INSET_X, INSET_Y = 7.2, 3.6  # text-box and table-cell margins (python-pptx's defaults)
ELLIPSIS = "…"

TABLE_SIZE = 11.0    # body text of tables; never below MIN_TABLE_SIZE
MIN_TABLE_SIZE = 10.0
TABLE_SIZES = (16.0, 14.0, 13.0, 12.0, TABLE_SIZE)  # a table takes the largest that fits its page


# Text fit -------------------------------------------------------------------------------------

def wrap(text: str, width: float, size: float) -> list[str]:
    """The lines `text` takes in a box `width` points wide at `size` points, wrapping at spaces."""
    per_line = max(1, int(width / (CHAR_EM * size)))
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            while len(word) > per_line:  # a word longer than the line breaks anywhere
                if line:
                    lines.append(line)
                    line = ""
                lines.append(word[:per_line])
                word = word[per_line:]
            candidate = f"{line} {word}" if line else word
            if len(candidate) <= per_line:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def _fits(text: str, width: float, size: float, max_lines: int) -> bool:
    """Whether `text` (whitespace already made single spaces) takes at most `max_lines` lines: what
    `len(wrap(...)) <= max_lines` says, answered at once for a text too long for any wrapping to fit (each
    line holds `per_line` characters, and a line break takes at most the one space it breaks at), so that
    fitting a very long text costs no more than fitting the part of it that can be shown."""
    per_line = max(1, int(width / (CHAR_EM * size)))
    if len(text) > max_lines * (per_line + 1):
        return False
    return len(wrap(text, width, size)) <= max_lines


def text_height(text: str, width: float, size: float) -> float:
    """The height the text needs, without the box's insets."""
    return len(wrap(text, width, size)) * LINE_SPACING * size


def shorten(text: str, width: float, size: float, max_lines: int) -> str:
    """`text` cut with an ellipsis so that it takes at most `max_lines` lines; unchanged if it fits."""
    text = " ".join(text.split())
    if _fits(text, width, size, max_lines):
        return text
    low, high = 0, len(text)
    bound = max_lines * (max(1, int(width / (CHAR_EM * size))) + 1)
    while low < high:  # the longest prefix that fits with its ellipsis
        middle = (low + high + 1) // 2
        if middle <= bound and _fits(text[:middle].rstrip() + ELLIPSIS, width, size, max_lines):
            low = middle
        else:
            high = middle - 1
    cut = text[:low]
    space = cut.rfind(" ")
    if space > low - 15 and space > 0:  # end on a whole word when one is near
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + ELLIPSIS


def fit_size(text: str, width: float, sizes, max_lines: int) -> tuple[float, str]:
    """The largest of `sizes` at which `text` takes at most `max_lines` lines of `width`, and the text; the
    text is shortened (at the smallest size) only when no size fits it whole."""
    return _fit_size(text, width, tuple(sizes), max_lines)


@functools.lru_cache(maxsize=256)   # a title repeated on every page of a long table is fitted once
def _fit_size(text: str, width: float, sizes: tuple, max_lines: int) -> tuple[float, str]:
    text = " ".join(text.split())
    for size in sizes:
        if _fits(text, width, size, max_lines):
            return size, text
    return sizes[-1], shorten(text, width, sizes[-1], max_lines)


def frame_height(text_frame, width: float) -> float:
    """The height a written text frame needs at `width` (its box width), insets included."""
    inner = width - (text_frame.margin_left + text_frame.margin_right) / 12700
    height = (text_frame.margin_top + text_frame.margin_bottom) / 12700
    for paragraph in text_frame.paragraphs:
        size = paragraph_size(paragraph)
        height += text_height(paragraph.text, inner, size)
        height += sum(getattr(paragraph, side).pt for side in ("space_before", "space_after")
                      if getattr(paragraph, side) is not None)
    return height


def paragraph_size(paragraph) -> float:
    """The largest font size set on a paragraph's runs and fields; an empty paragraph's is its end mark's
    (18 pt, PowerPoint's default, if none)."""
    sizes = [int(sz) / 100 for sz in paragraph._p.xpath("./a:r/a:rPr/@sz | ./a:fld/a:rPr/@sz")]
    if not sizes:
        sizes = [int(sz) / 100 for sz in paragraph._p.xpath("./a:endParaRPr/@sz")]
    return max(sizes, default=18.0)


# Text boxes ------------------------------------------------------------------------------------

@record
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def emu(self) -> tuple[int, int, int, int]:
        return Pt(self.x), Pt(self.y), Pt(self.w), Pt(self.h)


@record
class Para:
    """One paragraph of a text box: its text, look, and how many lines it may take before an ellipsis."""

    text: str
    size: float = 14.0
    bold: bool = False
    colour: str | None = None  # None: the brand's text colour
    max_lines: int = 3
    align: str = "left"
    space_before: float = 0.0


def add_text(slide, box: Box, paras: list[Para], brand: Brand, name: str = "", fill: str | None = None,
             anchor=MSO_ANCHOR.TOP, fit: bool = False):
    """A text box in `brand` whose paragraphs are shortened, and dropped at the bottom, until they fit the box;
    with `fit`, the box is then made only as tall as its text."""
    shape = slide.shapes.add_textbox(*box.emu)
    if name:
        shape.name = name
    if fill:
        shape.fill.solid()
        shape.fill.fore_color.rgb = rgb(fill)
    frame = shape.text_frame
    _plain_frame(frame, anchor)
    room = box.h - 2 * INSET_Y
    first = True
    for para in paras:
        line = LINE_SPACING * para.size
        room -= para.space_before
        lines = min(para.max_lines, int((room + 0.01) // line))
        if lines < 1:
            break
        text = shorten(para.text, box.w - 2 * INSET_X, para.size, lines)
        room -= text_height(text, box.w - 2 * INSET_X, para.size)
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        _write(paragraph, text, para.size, para.bold, para.colour or brand.text, brand, para.align)
        if para.space_before:
            paragraph.space_before = Pt(para.space_before)
    if fit and frame.text:
        shape.height = Pt(min(box.h, frame_height(frame, box.w) + 0.5))
    return shape


def _plain_frame(frame, anchor) -> None:
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Pt(INSET_X)
    frame.margin_top = frame.margin_bottom = Pt(INSET_Y)


def _write(paragraph, text: str, size: float, bold: bool, colour: str, brand: Brand, align: str = "left",
           heading: bool = False) -> None:
    """One run of text in the brand's fonts (Latin, East Asian, complex script); right-to-left text is marked
    so and set from the right."""
    p = paragraph._p
    if not len(p) and not p.attrib:   # a new paragraph (every one here): its XML built at once
        fonts = (brand.heading_font if heading else brand.font, _ea_font(brand), _cs_font(brand))
        _paragraph_xml(p, text, str(Pt(size).centipoints), str(int(round(size * 100))), bold, _hex(colour), fonts,
                       align)
        return
    rtl = right_to_left(text)
    if rtl and align == "left":
        align = "right"
    paragraph.alignment = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}[align]
    if rtl:
        paragraph._p.get_or_add_pPr().set("rtl", "1")
    # an empty paragraph (a blank cell) has no run: its line height comes from its end mark's size (an
    # empty run would make LibreOffice take its own default, 18 pt, and grow the row)
    paragraph._p.get_or_add_endParaRPr().set("sz", str(int(round(size * 100))))
    if not text:
        return
    run = paragraph.add_run()
    run.text = text
    font = run.font
    font.name = brand.heading_font if heading else brand.font
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = rgb(colour)
    latin = run._r.get_or_add_rPr().find(qn("a:latin"))
    for tag, typeface in (("a:cs", _cs_font(brand)), ("a:ea", _ea_font(brand))):
        latin.addnext(latin.makeelement(qn(tag), {"typeface": typeface}))


def _ea_font(brand: Brand) -> str:
    return getattr(brand, "ea_font", "") or EA_FONT


def _cs_font(brand: Brand) -> str:
    return getattr(brand, "cs_font", "") or CS_FONT


EA_FONT, CS_FONT = "Yu Gothic", "Arial"
"""East Asian and complex-script fonts of a brand that names none."""


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour)


# Tables ------------------------------------------------------------------------------------------

@record
class Col:
    header: str
    width: float
    align: str = "left"
    fill: str | None = None  # the header cell's fill (None: the brand's primary); another marks the column


@record
class Cell:
    """One table cell: text, and optionally a colour, a fill and bold to mark it."""

    text: str
    colour: str | None = None  # None: the brand's text colour
    fill: str | None = None
    bold: bool = False


def cell(value) -> Cell:
    return value if isinstance(value, Cell) else Cell(str(value))


@record
class FittedRow:
    cells: tuple[Cell, ...]
    height: float


def fit_row(cols: list[Col], values: list, size: float = TABLE_SIZE, max_lines: int = 3,
            bold: bool = False) -> FittedRow:
    """A row with each cell shortened to `max_lines`, and the height its tallest cell needs."""
    cells, lines = [], 1
    for col, value in zip(cols, values):
        c = cell(value)
        width = col.width - 2 * INSET_X
        text = shorten(c.text, width, size, max_lines)
        lines = max(lines, len(wrap(text, width, size)))
        cells.append(Cell(text, c.colour, c.fill, c.bold or bold))
    return FittedRow(tuple(cells), lines * LINE_SPACING * size + 2 * INSET_Y)


def paginate(cols: list[Col], rows: list[list], height: float, size: float = TABLE_SIZE,
             max_lines: int = 3, balance: bool = True) -> list[list[FittedRow]]:
    """The rows split into pages whose table (header repeated on each) fits `height`; at least one page.

    Balanced: as few pages as fit, filled alike (ten rows on two pages go 5 + 5, never 9 + 1)."""
    header_h = header_height(cols, size)
    fitted = [fit_row(cols, values, size, max_lines) for values in rows]
    pages = _pages(fitted, header_h, height)
    if balance and len(pages) > 1:
        low, high = header_h + max(r.height for r in fitted), height
        while high - low > 0.25:  # the smallest page height that needs no more pages
            middle = (low + high) / 2
            if len(_pages(fitted, header_h, middle)) <= len(pages):
                high = middle
            else:
                low = middle
        pages = _pages(fitted, header_h, high)
    return pages


def _pages(fitted: list[FittedRow], header_h: float, height: float) -> list[list[FittedRow]]:
    pages: list[list[FittedRow]] = [[]]
    used = header_h
    for row in fitted:
        if pages[-1] and used + row.height > height:
            pages.append([])
            used = header_h
        pages[-1].append(row)
        used += row.height
    return pages


def header_height(cols: list[Col], size: float = TABLE_SIZE) -> float:
    return fit_row(cols, [c.header for c in cols], size, 2, bold=True).height


def table_height(cols: list[Col], rows: list[FittedRow], size: float = TABLE_SIZE) -> float:
    return header_height(cols, size) + sum(r.height for r in rows)


def fit_table(cols: list[Col], rows: list[list], height: float, sizes=TABLE_SIZES,
              max_lines: int = 3) -> tuple[float, list[list[FittedRow]]]:
    """(size, pages): the largest text size at which the whole table fits `height` on one page with no text
    cut (else the largest at which it fits at all), its rows given some air when the page has room; a table
    that fits no size on one page takes the smallest, on balanced pages."""
    fitting = []
    for size in sizes:
        if not _may_fit_one_page(cols, rows, height, size):
            continue
        pages = paginate(cols, rows, height, size, max_lines)
        if len(pages) == 1:
            if not _cuts(cols, rows, size, max_lines):
                return size, [spread(cols, pages[0], height, size)]
            fitting.append((size, pages))
    if fitting:
        size, pages = fitting[0]
        return size, [spread(cols, pages[0], height, size)]
    return sizes[-1], paginate(cols, rows, height, sizes[-1], max_lines)


def fits_whole(cols: list[Col], rows: list[list], height: float, size: float, max_lines: int = 3) -> bool:
    """Whether the table fits `height` on one page at `size` with no text cut."""
    return (_may_fit_one_page(cols, rows, height, size) and len(paginate(cols, rows, height, size, max_lines)) == 1
            and not _cuts(cols, rows, size, max_lines))


def _may_fit_one_page(cols: list[Col], rows: list, height: float, size: float) -> bool:
    """False when the rows cannot be one page at `size` even at one line each (so a long table is laid out
    only at the size it will take, not at every size it tries); True when they may."""
    if len(rows) < 2:
        return True
    least = LINE_SPACING * size + 2 * INSET_Y
    return header_height(cols, size) + len(rows) * least <= height + 1.0   # a point to spare for rounding


def _cuts(cols: list[Col], rows: list[list], size: float, max_lines: int) -> bool:
    """Whether any text of the table would be cut at `size`: a header over two lines or breaking a word,
    a cell over `max_lines`."""
    for col in cols:
        width = col.width - 2 * INSET_X
        if len(wrap(col.header, width, size)) > 2 or any(len(w) > width / (CHAR_EM * size)
                                                          for w in col.header.split()):
            return True
    return any(len(wrap(cell(value).text, col.width - 2 * INSET_X, size)) > max_lines
               for values in rows for col, value in zip(cols, values))


def spread(cols: list[Col], rows: list[FittedRow], height: float, size: float) -> list[FittedRow]:
    """The rows made taller, up to one line each, so that a short table uses the room it has."""
    if not rows:
        return rows
    extra = min(size, (height - table_height(cols, rows, size)) / len(rows))
    return rows if extra <= 0 else [FittedRow(r.cells, r.height + extra) for r in rows]


def add_table(slide, x: float, y: float, cols: list[Col], rows: list[FittedRow], brand: Brand,
              size: float = TABLE_SIZE, name: str = ""):
    """A table in `brand`'s style: a filled header row, banded body rows, each row at its fitted height.

    python-pptx makes the frame and the column grid; each row's XML is then built at once (lxml elements,
    not one python-pptx property at a time, which costs about ten times as much per cell) to the same
    markup python-pptx would write: the run's size, bold, colour and three fonts, the cell's margins, anchor
    and fill."""
    header = fit_row(cols, [c.header for c in cols], size, 2, bold=True)
    all_rows = [header, *rows]
    height = sum(r.height for r in all_rows)
    shape = slide.shapes.add_table(1, len(cols), Pt(x), Pt(y), Pt(sum(c.width for c in cols)), Pt(height))
    if name:
        shape.name = name
    table = shape.table
    table.first_row = True
    table.horz_banding = False
    tbl = table._tbl
    widths = [Pt(col.width) for col in cols]
    for grid_col, width in zip(tbl.tblGrid.findall(_A_GRID_COL), widths):
        grid_col.set("w", str(width))
    tbl.remove(tbl.find(_A_TR))
    look = _CellLook(brand, size)
    heights = []
    for r, fitted in enumerate(all_rows):
        heights.append(Pt(fitted.height))
        tr = _sub(tbl, _A_TR, {"h": str(heights[-1])})
        for col, value in zip(cols, fitted.cells):
            fill = (col.fill or brand.primary) if r == 0 else value.fill or ("FFFFFF" if r % 2 else brand.light)
            colour = "FFFFFF" if r == 0 else value.colour or brand.text
            look.cell(tr, value.text, value.bold, colour, fill, col.align)
    shape.width, shape.height = Emu(sum(widths)), Emu(sum(heights))   # as python-pptx sums its grid
    return shape


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_A_GRID_COL, _A_TR, _A_TC, _A_TXBODY, _A_BODYPR, _A_LSTSTYLE, _A_P, _A_PPR, _A_R, _A_RPR, _A_SOLIDFILL, \
    _A_SRGBCLR, _A_LATIN, _A_EA, _A_CS, _A_T, _A_ENDPARARPR, _A_TCPR = (
        _A + tag for tag in ("gridCol", "tr", "tc", "txBody", "bodyPr", "lstStyle", "p", "pPr", "r", "rPr",
                             "solidFill", "srgbClr", "latin", "ea", "cs", "t", "endParaRPr", "tcPr"))
_ALIGN = {"left": "l", "center": "ctr", "right": "r"}
_sub = etree.SubElement
_escape = CT_RegularTextRun._escape_ctrl_chars   # control characters as python-pptx writes them (_x0007_)


class _CellLook:
    """What every cell of one table shares (brand fonts, text size, margins), and the cell's XML."""

    def __init__(self, brand: Brand, size: float):
        self.sz = str(Pt(size).centipoints)                 # the run's size, as python-pptx's `font.size`
        self.end_sz = str(int(round(size * 100)))           # the end mark's, as `_write` sets it
        self.fonts = (brand.font, _ea_font(brand), _cs_font(brand))
        self.margins = {"marL": str(Pt(INSET_X)), "marR": str(Pt(INSET_X)), "marT": str(Pt(INSET_Y)),
                        "marB": str(Pt(INSET_Y)), "anchor": "ctr"}

    def cell(self, tr, text: str, bold: bool, colour: str, fill: str, align: str) -> None:
        """One `a:tc` as python-pptx makes it when its fill, margins, anchor and wrap are set and `_write`
        writes its paragraph."""
        tc = _sub(tr, _A_TC)
        body = _sub(tc, _A_TXBODY)
        _sub(body, _A_BODYPR, {"wrap": "square"})
        _sub(body, _A_LSTSTYLE)
        _paragraph_xml(_sub(body, _A_P), text, self.sz, self.end_sz, bold, _hex(colour), self.fonts, align)
        _sub(_sub(_sub(tc, _A_TCPR, self.margins), _A_SOLIDFILL), _A_SRGBCLR, {"val": _hex(fill)})


def _paragraph_xml(p, text: str, sz: str, end_sz: str, bold: bool | None, colour: str, fonts: tuple, align: str):
    """An empty `a:p` filled as `_write` fills it through python-pptx (alignment, right to left, one run in
    `fonts` (Latin, East Asian, complex script) at size `sz`, the end mark at `end_sz`), in the same XML."""
    rtl = right_to_left(text)
    if rtl and align == "left":
        align = "right"
    ppr = _sub(p, _A_PPR, {"algn": _ALIGN[align]})
    if rtl:
        ppr.set("rtl", "1")
    if text:
        r = _sub(p, _A_R)
        rpr = _sub(r, _A_RPR, {"sz": sz} if bold is None else {"sz": sz, "b": "1" if bold else "0"})
        _sub(_sub(rpr, _A_SOLIDFILL), _A_SRGBCLR, {"val": colour})
        latin, ea, cs = fonts
        _sub(rpr, _A_LATIN, {"typeface": latin})
        _sub(rpr, _A_EA, {"typeface": ea})
        _sub(rpr, _A_CS, {"typeface": cs})
        _sub(r, _A_T).text = _escape(text)
    _sub(p, _A_ENDPARARPR, {"sz": end_sz})


@functools.lru_cache(maxsize=64)
def _hex(colour: str) -> str:
    """RRGGBB as python-pptx writes an `RGBColor` (upper case)."""
    return str(rgb(colour))


# Slides and the file ---------------------------------------------------------------------------

class DeckFile:
    """A 16:9 presentation in one brand, in which every slide gets a title, a footer, a slide number and
    speaker notes; its `text` and `table` write in that brand. It starts from python-pptx's own template, or
    from a kit's `template` (deck.pptx): its masters, layouts and theme, without its slides.

    The cost of a slide does not grow with the deck: the footer and slide number are made once and copied
    (they differ from slide to slide only in the shape id and the number), and notes slides are named here
    (python-pptx walks every part of the package to name each one)."""

    def __init__(self, footer: str, brand: Brand, template: Path | None = None):
        if template is None:    # python-pptx's own template: one master, stretched from 4:3
            self.prs = Presentation()
            self._layouts = dict.fromkeys(LAYOUT_NAMES, self.prs.slide_layouts[5])   # "Title Only"
        else:                   # a kit's deck.pptx: its masters, layouts and theme, none of its slides
            self.prs = Presentation(str(template))
            _drop_slides(self.prs)
            self._layouts = {kind: pick_layout(self.prs, names) for kind, names in LAYOUT_NAMES.items()}
        _fit_masters(self.prs)
        _theme_fonts(self.prs, brand)
        self.footer = footer
        self.brand = brand
        self._furniture = None      # (footer, slide number): the first slide's shapes, copied onto the others
        self._notes_master = None
        self._blank_notes = None    # a notes slide with the master's placeholders and no text yet
        self._notes = sum(1 for part in self.prs.part.package.iter_parts()
                          if part.partname.startswith(NOTES_PREFIX))
        slide_ids = self.prs.part._element.get_or_add_sldIdLst()
        self._slide_id = max((int(i) for i in slide_ids.xpath("./p:sldId/@id")), default=MIN_SLIDE_ID - 1)

    def slide(self, title: str, notes: str, topic: str = "", title_box: Box | None = None,
              title_sizes=TITLE_SIZES, title_lines: int = 1, rule: bool = True, cover: bool = False):
        """A slide whose title states its point, under its `topic` (the kicker); the title shrinks through
        `title_sizes` to fit `title_lines` lines of `title_box` before it is shortened. The `cover` is laid
        on the template's cover layout, every other slide on its content layout (`LAYOUT_NAMES`)."""
        slide = self._add_slide(self._layouts["cover" if cover else "content"])
        if topic:
            kicker = self.text(slide, Box(MARGIN, TOPIC_TOP, CONTENT_W, TOPIC_H),
                               [Para(topic, 11, True, self.brand.accent, max_lines=1)], name="Topic")
            for run in kicker.text_frame.paragraphs[0].runs:
                run.font._rPr.set("cap", "all")  # shown in capitals, kept as written
        _title(slide, title, self.brand, title_box, title_sizes, title_lines, rule)
        number = len(self.prs.slides)
        if self._furniture is None:
            footer = self.text(slide, Box(MARGIN, FOOTER_TOP, CONTENT_W - 80, FOOTER_H),
                               [Para(self.footer, 10, colour=self.brand.muted, max_lines=1)], name="Footer")
            numbered = _slide_number(slide, number, self.brand)
            self._furniture = (copy.deepcopy(footer._element), copy.deepcopy(numbered._element))
        else:
            footer, numbered = (copy.deepcopy(element) for element in self._furniture)
            numbered.find(f".//{qn('a:fld')}/{qn('a:t')}").text = str(number)
            for element in (footer, numbered):
                element.nvSpPr.cNvPr.id = slide.shapes._next_shape_id
                slide.shapes._spTree.insert_element_before(element, "p:extLst")
        self._add_notes(slide, notes)
        return slide

    def _add_slide(self, layout):
        """`prs.slides.add_slide(layout)` without its two scans of every slide so far (for a matching
        relationship, which a new slide cannot have, and for the largest slide id, which is counted here)."""
        part = self.prs.part
        rels = getattr(part, "_rels", None)
        if not hasattr(rels, "_add_relationship") or self._slide_id >= MAX_SLIDE_ID:   # another python-pptx
            slide = self.prs.slides.add_slide(layout)
            for shape in [s for s in slide.placeholders if s.placeholder_format.idx != 0]:  # the title alone
                shape._element.getparent().remove(shape._element)
            _clone_title(slide, None)
            return slide
        slide_ids = part._element.get_or_add_sldIdLst()
        slide_part = SlidePart.new(PackURI(f"/ppt/slides/slide{len(slide_ids) + 1}.xml"), part.package, layout.part)
        rel_id = rels._add_relationship(RT.SLIDE, slide_part)
        slide = slide_part.slide
        _clone_title(slide, layout)
        self._slide_id += 1
        slide_ids._add_sldId(id=self._slide_id, rId=rel_id)
        return slide

    @property
    def cover_has_picture(self) -> bool:
        """Whether the cover's layout already shows a picture (a template's own logo), so the deck adds none."""
        layout = self._layouts["cover"]
        holders = [layout] if layout._element.get("showMasterSp") == "0" else [layout, layout.slide_master]
        return any(holder._element.cSld.spTree.xpath(".//p:pic") for holder in holders)

    def _add_notes(self, slide, notes: str) -> None:
        """The slide's notes slide, made as python-pptx's `slide.notes_slide` makes it, named without
        walking the package."""
        if self._notes_master is None:
            self._notes_master = self.prs.part.notes_master_part     # made with the first notes slide
        self._notes += 1
        blank = self._blank_notes
        part = NotesSlidePart(PackURI(NOTES_PREFIX + f"{self._notes}.xml"), CT.PML_NOTES_SLIDE, slide.part.package,
                              CT_NotesSlide.new() if blank is None else copy.deepcopy(blank))
        part.relate_to(self._notes_master, RT.NOTES_MASTER)
        part.relate_to(slide.part, RT.SLIDE)
        if blank is None:   # the master's placeholders, cloned once; each notes slide is a copy of the first
            part.notes_slide.clone_master_placeholders(self._notes_master.notes_master)
            self._blank_notes = copy.deepcopy(part._element)
        slide.part.relate_to(part, RT.NOTES_SLIDE)
        slide.notes_slide.notes_text_frame.text = notes

    def text(self, slide, box: Box, paras: list[Para], name: str = "", fill: str | None = None,
             anchor=MSO_ANCHOR.TOP, fit: bool = False):
        """`add_text` in this deck's brand."""
        return add_text(slide, box, paras, self.brand, name, fill, anchor, fit)

    def table(self, slide, x: float, y: float, cols: list[Col], rows: list[FittedRow], size: float = TABLE_SIZE,
              name: str = ""):
        """`add_table` in this deck's brand."""
        return add_table(slide, x, y, cols, rows, self.brand, size, name)

    def save(self, path: Path, as_of: dt.date, title: str, author: str) -> None:
        """Save with core properties and zip entry times from `as_of`, so each run writes the same bytes."""
        when = dt.datetime.combine(as_of, dt.time())
        props = self.prs.core_properties
        props.title, props.author = _property(title), _property(author)  # the format allows 255 characters
        props.last_modified_by = PRODUCER
        props.created = props.modified = props.last_printed = when
        props.revision = 1
        buffer = io.BytesIO()
        self.prs.save(buffer)
        write_stamped(buffer.getvalue(), Path(path), when)


NOTES_PREFIX = "/ppt/notesSlides/notesSlide"
MIN_SLIDE_ID, MAX_SLIDE_ID = 256, 2147483647   # the ids a slide may have (python-pptx counts from 256)


def _property(text: str) -> str:
    return text if len(text) <= 255 else text[:254] + ELLIPSIS


def _title(slide, title: str, brand: Brand, box: Box | None, sizes, max_lines: int, rule: bool = True) -> None:
    box = box or Box(MARGIN, TITLE_TOP, CONTENT_W, TITLE_H)
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = box.emu
    frame = shape.text_frame
    _plain_frame(frame, MSO_ANCHOR.BOTTOM if max_lines > 1 else MSO_ANCHOR.MIDDLE)
    size, text = fit_size(title, box.w - 2 * INSET_X, sizes, max_lines)
    _write(frame.paragraphs[0], text, size, True, brand.primary, brand, heading=True)
    if not rule:
        return
    line = slide.shapes.add_connector(1, Pt(MARGIN), Pt(RULE_Y), Pt(SLIDE_W - MARGIN), Pt(RULE_Y))
    line.line.color.rgb = rgb(brand.accent)
    line.line.width = Pt(1.5)
    line.name = "Title rule"


def _slide_number(slide, number: int, brand: Brand):
    """A slide-number field, so the number stays right when slides are moved in PowerPoint."""
    shape = add_text(slide, Box(SLIDE_W - MARGIN - 72, FOOTER_TOP, 72, FOOTER_H),
                     [Para(str(number), 10, colour=brand.muted, align="right", max_lines=1)], brand,
                     name="Slide number")
    paragraph = shape.text_frame.paragraphs[0]._p
    run = paragraph.find(qn("a:r"))
    field = paragraph.makeelement(qn("a:fld"), {"id": "{5C1D8A3E-6E0B-4C8F-9B51-2A7E0D6B1F10}",
                                                "type": "slidenum"})
    field.append(run.find(qn("a:rPr")))
    field.append(run.find(qn("a:t")))
    run.addprevious(field)
    paragraph.remove(run)
    return shape


def _theme_fonts(prs, brand: Brand) -> None:
    """Every master's theme (a template may have several) in the brand's fonts, for every script."""
    for master in prs.slide_masters:
        part = master.part.part_related_by(RT.THEME)
        part._blob = theme_with_fonts(part.blob, brand.heading_font, brand.font, _ea_font(brand), _cs_font(brand))


# A kit's PowerPoint template ---------------------------------------------------------------------

LAYOUT_NAMES = {
    "cover": ("Title Slide", "Title Only", "Title"),
    "content": ("Title Only", "Title", "Title and Content", "Title, Content"),
}
"""The layouts a kit's deck.pptx is asked for, by name (as PowerPoint names them, in any capitals), first
found first; a template with none of them gives the layout with a title and the fewest other placeholders."""


def pick_layout(prs, names: tuple[str, ...]):
    """The first layout, over every master, named one of `names` (case and surrounding spaces ignored);
    else the one with a title placeholder and the fewest other placeholders; else the first."""
    layouts = [layout for master in prs.slide_masters for layout in master.slide_layouts]
    by_name = {}
    for layout in layouts:
        by_name.setdefault(" ".join(layout.name.split()).casefold(), layout)
    for name in names:
        if name.casefold() in by_name:
            return by_name[name.casefold()]

    def cost(layout) -> tuple[int, int]:
        ids = [p.placeholder_format.idx for p in layout.iter_cloneable_placeholders()]
        return (0 if 0 in ids else 1, len(ids))
    return min(layouts, key=cost)


def _clone_title(slide, layout) -> None:
    """The slide's title placeholder, cloned from `layout`'s (python-pptx's clone, for the title alone: a
    layout's other placeholders would show "Click to add text" on our slides); a layout without a title
    gets a plain one, which `_title` places."""
    holder = None if layout is None else next(
        (p for p in layout.iter_cloneable_placeholders() if p.placeholder_format.idx == 0), None)
    if holder is not None:
        slide.shapes.clone_placeholder(holder)
    elif slide.shapes.title is None:
        shapes = slide.shapes
        shapes._spTree.add_placeholder(shapes._next_shape_id, "Title 1", PP_PLACEHOLDER.TITLE,
                                       ST_Direction.HORZ, ST_PlaceholderSize.FULL, 0)


def _drop_slides(prs) -> None:
    """Remove a template's own slides with their relationships, so that none of their parts (notes, charts,
    pictures) is saved, and the lists that name slides (sections, custom shows) with them."""
    part = prs.part
    presentation = part._element
    slide_ids = presentation.get_or_add_sldIdLst()
    for slide_id in list(slide_ids):
        rel_id = slide_id.get(qn("r:id"))
        slide_ids.remove(slide_id)
        if rel_id in part.rels:
            part.rels.pop(rel_id)
    for shows in presentation.findall(qn("p:custShowLst")):
        presentation.remove(shows)
    for ext in presentation.xpath("./p:extLst/p:ext"):
        if ext.find(f"{{{P14}}}sectionLst") is not None:
            ext.getparent().remove(ext)
    props = next((rel.target_part for rel in part.package._rels.values()
                  if rel.reltype == RT.EXTENDED_PROPERTIES and not rel.is_external), None)
    if props is not None:   # its slide count and titles were the template's
        props._blob = APP_PROPERTIES


P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
APP_PROPERTIES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                  b'<Application>Microsoft Office PowerPoint</Application></Properties>')


def _fit_masters(prs) -> None:
    """Size a template to the deck's 16:9 slide: its masters' and layouts' shapes moved and sized in
    proportion (pictures, such as a logo, keep their aspect ratio about their centre), so their furniture
    stays where the template put it relative to the slide's edges. A placeholder without a position of its
    own takes its master's, already fitted (fitting what it inherits would scale it twice)."""
    fx, fy = Pt(SLIDE_W) / prs.slide_width, Pt(SLIDE_H) / prs.slide_height
    prs.slide_width, prs.slide_height = Pt(SLIDE_W), Pt(SLIDE_H)
    if abs(fx - 1) < 1e-4 and abs(fy - 1) < 1e-4:
        return
    for master in prs.slide_masters:
        for holder in (master, *master.slide_layouts):
            for shape in holder.shapes:
                if shape.is_placeholder and shape._element.xfrm is None:
                    continue     # it takes its place from the master
                if shape.left is None or shape.width is None:
                    continue
                x, y, w, h = shape.left, shape.top, shape.width, shape.height
                if shape._element.tag == qn("p:pic"):
                    scale = min(fx, fy)
                    cx, cy = (x + w / 2) * fx, (y + h / 2) * fy
                    w, h = w * scale, h * scale
                    x, y = cx - w / 2, cy - h / 2
                else:
                    x, y, w, h = x * fx, y * fy, w * fx, h * fy
                shape.left, shape.top, shape.width, shape.height = (int(v) for v in (x, y, w, h))



# Chart data with a fixed date -------------------------------------------------------------------

class DatedChartData(CategoryChartData):
    """Chart data whose embedded workbook (what a manager edits) carries the as-of date, not the clock."""

    def __init__(self, created: dt.date, number_format: str):
        super().__init__(number_format=number_format)
        self._created = dt.datetime.combine(created, dt.time())

    @property
    def _workbook_writer(self):
        return _DatedWorkbookWriter(self, self._created)


class _DatedWorkbookWriter(CategoryWorkbookWriter):
    def __init__(self, chart_data, created: dt.datetime):
        super().__init__(chart_data)
        self._created = created

    def _populate_worksheet(self, workbook, worksheet):
        workbook.set_properties({"created": self._created})
        super()._populate_worksheet(workbook, worksheet)


# Chart data labels -----------------------------------------------------------------------------

C15 = "http://schemas.microsoft.com/office/drawing/2012/chart"


def move_label(data_label, dy: float) -> None:
    """Move a data label from its place by `dy`, a share of the chart's height (negative: up); PowerPoint
    and LibreOffice both keep a label's custom place."""
    dlbl = data_label._get_or_add_dLbl()
    for old in dlbl.findall(qn("c:layout")):
        dlbl.remove(old)
    layout = dlbl.makeelement(qn("c:layout"), {})
    manual = etree.SubElement(layout, qn("c:manualLayout"))
    etree.SubElement(manual, qn("c:x"), {"val": "0"})
    etree.SubElement(manual, qn("c:y"), {"val": f"{dy:.4f}"})
    dlbl.find(qn("c:idx")).addnext(layout)


def label_format(data_label, number_format: str) -> None:
    """Show a data label's value in `number_format` (the label follows the data when it is edited)."""
    dlbl = data_label._get_or_add_dLbl()
    for old in dlbl.findall(qn("c:numFmt")):
        dlbl.remove(old)
    code = dlbl.makeelement(qn("c:numFmt"), {"formatCode": number_format, "sourceLinked": "0"})
    following = next((child for child in dlbl if child.tag in {qn(t) for t in (
        "c:spPr", "c:txPr", "c:dLblPos", "c:showLegendKey", "c:showVal")}), None)
    if following is None:
        dlbl.append(code)
    else:
        following.addprevious(code)


def no_leader_lines(series) -> None:
    """No line from a moved label back to its bar (Office 2013 and LibreOffice draw one otherwise)."""
    dlbls = series._element.find(qn("c:dLbls"))
    if dlbls is None:
        return
    for flag in dlbls.findall(qn("c:showLeaderLines")):
        flag.set("val", "0")
    ext_list = dlbls.find(qn("c:extLst"))
    if ext_list is None:
        ext_list = etree.SubElement(dlbls, qn("c:extLst"))
    ext = etree.SubElement(ext_list, qn("c:ext"), {"uri": "{CE6537A1-D6FC-4f65-9D91-7224C49458BB}"},
                           nsmap={"c15": C15})
    etree.SubElement(ext, f"{{{C15}}}showLeaderLines", {"val": "0"})
