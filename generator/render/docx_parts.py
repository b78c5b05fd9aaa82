"""The document's building blocks: pages in the brand's styles, tables sized from their content, fields, the file.

python-docx opens and saves the file and sets up its styles; the body's paragraphs and tables are written here as
WordprocessingML text (`paragraph_xml`, `table_xml`: the markup python-docx would write, at a fraction of its cost),
with what python-docx leaves out (a table style with a header band and zebra rows, rows that do not split across
pages, a header row repeated on each page, cell shading, text read bottom to top, a table's alternative text,
landscape sections, fields, fonts for East Asian and complex scripts in the styles and the theme, right-to-left
paragraphs), so that `document` says only what goes where. Sizes are in points.

Table columns are sized from their text, measured with a sans font's character widths (`text_pt`): a column whose
values must not wrap (money, dates, percents, choices, marks) gets exactly its widest value, a column of free text
its longest word at least, and what is left goes to the columns with the longest text (`fit`). `fit` also says
when a table is too wide for a portrait page, so that `document` can give it a landscape one.

Colours and fonts come from the `Brand` passed to `new_document` and `table_xml` (and the colour passed to
`page_numbers`): nothing here reads a brand of its own, so two documents in two brands can be written side by side.
"""
from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import operator
import re
import unicodedata
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.parser import element_class_lookup
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docx.section import Section
from docx.shared import Emu, Inches, Pt, RGBColor
from lxml import etree

from .. import fmt
from ..brand import Brand
from ..plan.clean import clean_text
from ..ooxml import theme_with_fonts, write_stamped
from ..records import record

TABLE_STYLE = "Plan Table"   # our own table style: header band, zebra rows, light rules, no grid
TABLE_TEXT = "Table Text"    # our own paragraph style for table cells: smaller, a little air above and below
TABLE_END = "Table End"      # our own small paragraph after a table (and at a section break)
TABLE_TEXT_PT = 8.5
BODY_PT = 10.5               # the body's text (the Normal style)
CELL_MARGIN_PT = 4.0         # each side of a cell's text
CELL_PAD_PT = 2 * CELL_MARGIN_PT + 2.5  # a cell's left and right margins together, plus a little air
COMFORT_PT = 100.0           # a column of text narrower than this (about 22 characters) wanting more is cramped
SMALL = 0.55                 # a table whose text fits in less than this share of the width keeps its own width
KEEP_WHOLE_ROWS = 12         # a table of up to this many rows is kept on one page where it fits
CONTENTS_FIELD = r'TOC \o "1-1" \h \z \u'  # Heading 1 only, as links, without page numbers in web view
EAST_ASIAN_LANGUAGE, BIDI_LANGUAGE = "ja-JP", "ar-SA"  # how Word reads East Asian and complex-script text
PAGE_LONG, PAGE_SHORT, MARGIN = Inches(11), Inches(8.5), Inches(1)  # US Letter, one-inch margins


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


_PPR, _PSTYLE, _KEEP_NEXT = qn("w:pPr"), qn("w:pStyle"), qn("w:keepNext")


def keep_with_next(p) -> None:
    """Keep the paragraph (a w:p) on the page of the one after it (a table's caption with its first rows).

    As python-docx's `keepNext_val` writes it (`w:keepNext` in the paragraph's properties, after its style: the
    schema's order), without its search through every possible child (a part's intro keeps a few at once)."""
    properties = p.find(_PPR)
    if properties is None:
        properties = OxmlElement("w:pPr")
        p.insert(0, properties)
    if properties.find(_KEEP_NEXT) is None:
        properties.insert(0 if properties.find(_PSTYLE) is None else 1, OxmlElement("w:keepNext"))



# The page and the styles ------------------------------------------------------------------------

@record
class Page:
    """A portrait page's size and side margins (EMU): how wide the text of a portrait and a landscape section is
    (a landscape section turns the page and keeps the margins)."""

    short: int
    long: int
    left: int
    right: int

    def text_width(self, landscape: bool) -> float:
        """The width between the side margins, in points: what a table's columns share."""
        return Emu((self.long if landscape else self.short) - self.left - self.right).pt


LETTER = Page(PAGE_SHORT, PAGE_LONG, MARGIN, MARGIN)


def new_document(brand: Brand):
    """A portrait Letter document with one-inch margins in `brand`'s styles and theme fonts."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_SHORT, PAGE_LONG
    section.left_margin = section.right_margin = MARGIN
    _brand_styles(doc, brand)
    _theme_fonts(doc, brand)
    return doc


def page_of(section) -> Page:
    """The portrait page of a section (its size and side margins)."""
    width, height = section.page_width, section.page_height
    return Page(min(width, height), max(width, height), section.left_margin, section.right_margin)


def page_width(landscape: bool) -> float:
    """The text width of a portrait or landscape page of the built-in Letter page, in points."""
    return LETTER.text_width(landscape)


def section_break(doc, after, landscape: bool, page: Page, style_id: str) -> None:
    """End the section so far after the element `after` and go on in a new one on a new page, landscape or
    portrait, `page` turned or not; the header and footer go on as they were.

    As python-docx's `add_section` does: the section so far ends at a paragraph holding a copy of its properties
    (here in the small style `style_id`, like a table's end), and the body's own properties, which describe the
    last section, drop their header and footer references (so the new section takes the previous one's). An
    empty paragraph or a page break just before gives its place to the section break.
    """
    body = doc.element.body
    sentinel = body.sectPr
    p = from_xml(paragraph_xml("", style_id))
    p.set_sectPr(sentinel.clone())
    if after is None:
        body.insert(0, p)
    elif after.tag == qn("w:p") and not "".join(after.itertext()).strip() \
            and after.find(qn("w:pPr") + "/" + qn("w:sectPr")) is None:
        after.addprevious(p)
        body.remove(after)
    else:
        after.addnext(p)
    for reference in sentinel.xpath("w:headerReference|w:footerReference"):
        sentinel.remove(reference)
    section = Section(sentinel, doc.part)
    section.different_first_page_header_footer = False  # only the cover goes without its header
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (page.long, page.short) if landscape else (page.short, page.long)


def _brand_styles(doc, brand: Brand) -> None:
    """The brand's fonts and colours on Word's own styles (so the navigation pane and contents still work).

    Every style names its font for each script (Latin, East Asian, complex), so Japanese or Arabic text is set in
    a font that has its letters and sits on the line instead of in whatever Word falls back to.
    """
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(run_defaults.find(qn("w:rFonts")), brand.font, brand)
    language = run_defaults.find(qn("w:lang"))
    language.set(qn("w:eastAsia"), EAST_ASIAN_LANGUAGE)
    language.set(qn("w:bidi"), BIDI_LANGUAGE)
    _font(styles["Normal"], brand.font, BODY_PT, brand.text, brand)
    for name, size in (("Title", 28), ("Subtitle", 14), ("Heading 1", 16), ("Heading 2", 12.5), ("Heading 3", 11),
                       ("TOC Heading", 16)):
        _font(styles[name], brand.heading_font, size, brand.primary, brand)
    rule = styles["Title"].element.pPr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}")
    if rule is not None:  # the rule under the title, in the brand's accent rather than the template theme's
        rule.set(qn("w:color"), brand.accent)
        rule.attrib.pop(qn("w:themeColor"), None)
    for name in ("Heading 1", "Heading 2", "Heading 3", "TOC Heading"):
        styles[name].paragraph_format.keep_with_next = True   # a heading never ends a page
        styles[name].paragraph_format.keep_together = True
    _table_styles(styles, brand)


def _table_styles(styles, brand: Brand) -> None:
    """The table style (header band, zebra rows, light rules), the compact cell style and the table's end."""
    rule = _blend(brand.light, brand.muted, 0.3)
    margin = round(CELL_MARGIN_PT * 20)  # in twentieths of a point
    styles.element.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="PlanTable">'
        f'<w:name w:val="{TABLE_STYLE}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
        f'<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:tblPr><w:tblStyleRowBandSize w:val="1"/>'
        f'<w:tblBorders><w:bottom w:val="single" w:sz="4" w:space="0" w:color="{rule}"/>'
        f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{rule}"/></w:tblBorders>'
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{margin}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f'<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr><w:tblPr/>'
        f'<w:trPr><w:tblHeader/></w:trPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{brand.primary}"/><w:vAlign w:val="bottom"/></w:tcPr>'
        f'</w:tblStylePr>'
        f'<w:tblStylePr w:type="band2Horz"><w:tblPr/>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{brand.light}"/></w:tcPr></w:tblStylePr>'
        f'</w:style>'))
    cells = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    cells.base_style = styles["Normal"]
    cells.font.size = Pt(TABLE_TEXT_PT)
    cells.paragraph_format.space_before = cells.paragraph_format.space_after = Pt(1.5)
    cells.paragraph_format.line_spacing = 1.0
    end = styles.add_style(TABLE_END, WD_STYLE_TYPE.PARAGRAPH)
    end.base_style = styles["Normal"]
    end.font.size = Pt(6)
    end.paragraph_format.space_before, end.paragraph_format.space_after = Pt(0), Pt(6)
    end.paragraph_format.line_spacing = 1.0


def _font(style, name: str, size: float | None, colour: str, brand: Brand) -> None:
    """A style in a named font for each script, size and colour, with no theme font left to override the names."""
    style.font.name = name
    _set_fonts(style.element.rPr.rFonts, name, brand)
    if size:
        style.font.size = Pt(size)
    style.font.color.rgb = RGBColor.from_string(colour)


def _set_fonts(fonts, latin: str, brand: Brand) -> None:
    """`latin` for Latin text, the brand's East Asian and complex-script fonts for the rest; theme fonts dropped
    (a theme font attribute wins over a named font in Word)."""
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", brand.ea_font),
                       ("w:cs", brand.cs_font)):
        fonts.set(qn(attr), name)


def _theme_fonts(doc, brand: Brand) -> None:
    """The theme in the brand's fonts for every script (python-docx's leaves East Asian and complex ones
    blank), so text that follows the theme gets the brand's fonts too."""
    part = doc.part.part_related_by(RT.THEME)
    part._blob = theme_with_fonts(part.blob, brand.heading_font, brand.font, brand.ea_font, brand.cs_font)


def _blend(a: str, b: str, share: float) -> str:
    """The colour `share` of the way from `a` to `b` (RRGGBB)."""
    mix = (round(int(a[i:i + 2], 16) * (1 - share) + int(b[i:i + 2], 16) * share) for i in (0, 2, 4))
    return "".join(f"{v:02X}" for v in mix)


# A company's reference document -------------------------------------------------------------------
#
# A kit's `document.docx` shapes the plan document: the document starts from it (its styles, page size and
# margins, header and footer with their images, theme, settings), its body dropped (only its last section's
# properties kept). The styles the plan uses come from it where it defines them (by name, whatever their ids);
# the others are ours, added in the brand's colours. Our added styles name the brand's fonts when the kit names
# a font; otherwise they follow the reference's theme fonts (headings its heading font, the rest its body font).

PLAN_STYLES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet", "TOC Heading", TABLE_STYLE,
               TABLE_TEXT, TABLE_END)
"""The styles the plan document uses: from the reference where it defines them, else ours."""
HEADING_STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "TOC Heading")
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OWN_PARTS = (RT.HEADER, RT.FOOTER, RT.IMAGE, RT.HYPERLINK)
"""What the reference's body may have pointed at: dropped with the body unless its last section still does."""


def reference_document(path: Path, brand: Brand, brand_fonts: bool):
    """The document `path` (a kit's Word reference) emptied and given the plan's styles it lacks (see above);
    `brand_fonts`: the kit names its fonts, which our added styles then carry."""
    doc = Document(str(path))
    body = doc.element.body
    last = body.sectPr
    for element in list(body):
        if element is not last:
            body.remove(element)
    if last is None:
        body.append(Document().element.body.sectPr)   # no section properties at all: python-docx's Letter page
    used = set(doc.element.xpath(f"//@*[namespace-uri()='{_R_NS}']"))   # the last section's header, footer
    for rId, rel in list(doc.part.rels.items()):
        if rel.reltype in OWN_PARTS and rId not in used:
            del doc.part.rels[rId]
    section = doc.sections[0]
    page = page_of(section)
    section.orientation = WD_ORIENT.PORTRAIT  # the plan's pages start portrait (a wide table turns its own)
    section.page_width, section.page_height = page.short, page.long
    _add_missing_styles(doc, new_document(brand), brand_fonts)
    return doc


def _add_missing_styles(doc, ours, brand_fonts: bool) -> None:
    """Our definition of each plan style the reference lacks (and of the styles it is linked to or based on),
    its references to other styles pointed at the reference's ids, a bulleted list's numbering copied along."""
    styles, our_styles = doc.styles.element, ours.styles.element
    ids = {_style_name(s): s.get(qn("w:styleId")) for s in styles.iterfind(qn("w:style"))}
    our_names = {s.get(qn("w:styleId")): _style_name(s) for s in our_styles.iterfind(qn("w:style"))}
    wanted = [name for name in PLAN_STYLES if name.casefold() not in ids]
    for name in wanted:                          # a missing style's linked character style comes along
        style = _our_style(ours, name)
        link = style.find(qn("w:link"))
        if link is not None and our_names.get(link.get(qn("w:val")), "").casefold() not in ids:
            wanted.append(our_names[link.get(qn("w:val"))])
    for name in wanted:
        ids[name.casefold()] = _free_id(_our_style(ours, name).get(qn("w:styleId")), ids.values())
    for name in wanted:
        style = copy.deepcopy(_our_style(ours, name))
        style.set(qn("w:styleId"), ids[name.casefold()])
        for ref in ("w:basedOn", "w:next", "w:link"):
            found = style.find(qn(ref))
            if found is not None:
                target = our_names.get(found.get(qn("w:val")), "").casefold()
                if target in ids:
                    found.set(qn("w:val"), ids[target])
                else:
                    style.remove(found)
        if not brand_fonts:
            _theme_fonts_of(style, name in HEADING_STYLES)
        numbering = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if numbering is not None and style.get(qn("w:type")) == "paragraph" and name == "List Bullet":
            numbering.set(qn("w:val"), _copy_numbering(doc, ours, numbering.get(qn("w:val"))))
        styles.append(style)


def _style_name(style) -> str:
    """A style's name as Word shows it, compared without case (Word writes "heading 1" for Heading 1)."""
    name = style.find(qn("w:name"))
    return (name.get(qn("w:val")) if name is not None else style.get(qn("w:styleId"))).casefold()


def _our_style(ours, name: str):
    return next(s for s in ours.styles.element.iterfind(qn("w:style")) if _style_name(s) == name.casefold())


def _free_id(wanted: str, taken) -> str:
    """`wanted`, or `wanted` numbered when the reference uses that id for another style."""
    taken, free, n = set(taken), wanted, 1
    while free in taken:
        n += 1
        free = f"{wanted}{n}"
    return free


def _theme_fonts_of(style, heading: bool) -> None:
    """The style in the reference's theme fonts: its heading font for a heading, else its body font."""
    fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    if fonts is None:
        return
    kind = "major" if heading else "minor"
    fonts.attrib.clear()
    for attr, value in (("w:asciiTheme", f"{kind}HAnsi"), ("w:eastAsiaTheme", f"{kind}EastAsia"),
                        ("w:hAnsiTheme", f"{kind}HAnsi"), ("w:cstheme", f"{kind}Bidi")):
        fonts.set(qn(attr), value)


def _copy_numbering(doc, ours, num_id: str) -> str:
    """Our bullet list's numbering (its w:num and w:abstractNum) added to the reference's numbering, under ids
    it does not use; the new w:numId. A reference without numbering gets ours whole."""
    our_numbering = ours.part.numbering_part.element
    try:
        numbering = doc.part.numbering_part.element
    except NotImplementedError:     # python-docx cannot make one: take ours
        part = NumberingPart.load(PackURI("/word/numbering.xml"), CT.WML_NUMBERING,
                                  ours.part.numbering_part.blob, doc.part.package)
        doc.part.relate_to(part, RT.NUMBERING)
        return num_id
    num = copy.deepcopy(our_numbering.xpath(f'w:num[@w:numId="{num_id}"]')[0])
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = copy.deepcopy(our_numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract_id}"]')[0])
    new_abstract = str(1 + max((int(a.get(qn("w:abstractNumId"))) for a in numbering.xpath("w:abstractNum")),
                               default=-1))
    new_num = str(1 + max((int(n.get(qn("w:numId"))) for n in numbering.xpath("w:num")), default=0))
    abstract.set(qn("w:abstractNumId"), new_abstract)
    for unique in (*abstract.findall(qn("w:nsid")), *abstract.findall(qn("w:tmpl"))):
        abstract.remove(unique)    # ids Word keeps unique per list definition
    num.set(qn("w:numId"), new_num)
    num.find(qn("w:abstractNumId")).set(qn("w:val"), new_abstract)
    nums = numbering.xpath("w:num")
    if nums:
        nums[0].addprevious(abstract)
    else:
        numbering.append(abstract)
    cleanup = numbering.find(qn("w:numIdMacAtCleanup"))
    if cleanup is not None:
        cleanup.addprevious(num)
    else:
        numbering.append(num)
    return new_num


def body_font(doc) -> str:
    """The font the reference sets body text in (its Normal style's, else its defaults', its theme's body font
    when either names the theme): what the tables' text is measured in."""
    normal = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    for fonts in (normal.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}") if normal is not None else None,
                  doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/"
                                          f"{qn('w:rFonts')}")):
        if fonts is None:
            continue
        if fonts.get(qn("w:ascii")):
            return fonts.get(qn("w:ascii"))
        theme = fonts.get(qn("w:asciiTheme"))
        if theme:
            return _theme_font(doc, "majorFont" if theme.startswith("major") else "minorFont") or "Calibri"
    return "Calibri"


def _theme_font(doc, kind: str) -> str | None:
    try:
        part = doc.part.part_related_by(RT.THEME)
    except KeyError:
        return None
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    latin = etree.fromstring(part.blob).find(f".//{a}{kind}/{a}latin")
    return latin.get("typeface") if latin is not None else None


# Measuring text ---------------------------------------------------------------------------------

_EM = {}
for _chars, _width in (("ijl|!,.:;'` ·", 0.235), ("frtI()[]{}-J", 0.32), ('sz/"\\', 0.40), ("cL", 0.43),
                       ("aegkvxyFSTYZE?^", 0.48), ("0123456789$€£¥#+=<>_~*bdhnopquPBKRXC–×", 0.53),
                       ("AV", 0.58), ("DGHNOQU", 0.65), ("&", 0.69), ("w%", 0.72), ("…", 0.7), ("m", 0.80),
                       ("MW@", 0.89), ("—✓⚠", 1.0)):
    _EM.update(dict.fromkeys(_chars, _width))
FONT_SCALE = {"calibri": 1.0, "carlito": 1.0, "aptos": 1.06, "segoe ui": 1.08}
"""How wide a font sets text against Calibri; a font not named here is taken as Arial's width (1.12)."""
BREAK = re.compile(r"(?<=-)(?=\w)|\s+")   # where a line may break: at spaces, after a hyphen inside a word


def text_pt(text: str, size: float = TABLE_TEXT_PT, bold: bool = False, font: str = "Calibri") -> float:
    """The width of one line of `text` in points, an estimate that errs wide."""
    return _ems(text) * size * (1.06 if bold else 1.0) * FONT_SCALE.get(font.lower(), 1.12)


def text_lines(text: str, width: float, font: str = "Calibri") -> float:
    """About how many lines a paragraph of `text` takes in a column `width` points wide at the body's size, its
    space after counted as half a line: enough to tell a short part of the document from a long one."""
    return 0.5 - (-text_pt(text, BODY_PT, font=font) // width) if text else 0.5


@functools.lru_cache(maxsize=1 << 16)
def _ems(text: str) -> float:
    """The width of `text` in ems of the table text's font; remembered, as a table's text is measured for a
    portrait page, a landscape one and for balancing its columns."""
    ems = 0.0
    for char in text:
        width = _EM.get(char)
        if width is None:
            width = 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.58
        ems += width
    return ems


def _words(text: str) -> list[str]:
    """The pieces a line may break between; East Asian text may break after any character."""
    if text.isascii():     # no East Asian letter: the pieces between breaks
        return [word for word in BREAK.split(text) if word]
    pieces = []
    for word in BREAK.split(text):
        if any(unicodedata.east_asian_width(c) in "WF" for c in word):
            pieces += list(word)
        elif word:
            pieces.append(word)
    return pieces


# WordprocessingML written as text ----------------------------------------------------------------
#
# Paragraphs and tables are written as the markup python-docx would write for them (the same elements, attributes
# and order), but each as one string parsed once, with styles named by id: python-docx sets a table cell one
# property at a time (each a search of the element's children) and finds a style by name by reading every style,
# which made the document the slowest output. A table's look (widths, fills, alignment) is worked out once per
# table, each cell is then a few string joins.

_W_NS = nsdecls("w")
_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True)   # python-docx's element classes, no entities
_PARSER.set_element_class_lookup(element_class_lookup)
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ESCAPE_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;",
                              "\r": "&#13;"})
_BREAKS = re.compile(r"([\t\r\n])")
_TAG = re.compile(r"<([\w:]+)")
_ALIGN = {"right": "right", "centre": "center"}


def from_xml(xml: str):
    """The one element `xml` spells (a w:p or w:tbl, its w: prefix not declared), as python-docx's classes.

    The prefix is declared on the element itself: an element parsed inside a wrapper that declares it costs a
    walk of every element above each one when moved into the document (a table of 2,000 rows took seconds).
    """
    name = _TAG.match(xml).group(1)
    return etree.fromstring(f"<{name} {_W_NS}{xml[len(name) + 1:]}", _PARSER)


def text_xml(text: str) -> str:
    """A run's content as python-docx writes `run.text`: a tab as w:tab, a line break as w:br, the rest in w:t
    (space kept where the text starts or ends with it)."""
    if not text:
        return ""
    if "\t" in text or "\n" in text or "\r" in text:
        return "".join("<w:tab/>" if piece == "\t" else "<w:br/>" if piece in "\r\n" else text_xml(piece)
                       for piece in _BREAKS.split(text) if piece)
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    return f"<w:t{space}>{text.translate(_ESCAPE)}</w:t>"


def run_xml(text: str, bold: bool = False, colour: str | None = None) -> str:
    """A run of cleaned text, bold or coloured only when asked (as `add_run` writes it)."""
    look = ("<w:b/>" if bold else "") + (f'<w:color w:val="{colour.upper()}"/>' if colour else "")
    return f"<w:r>{f'<w:rPr>{look}</w:rPr>' if look else ''}{text_xml(clean(text))}</w:r>"


def paragraph_xml(runs: str, style_id: str | None = None, keep: bool = False, align: str | None = None) -> str:
    """A paragraph of `runs` in the style `style_id`, kept with the next one, aligned "right" or "centre"."""
    properties = (f'<w:pStyle w:val="{style_id}"/>' if style_id else "") + ("<w:keepNext/>" if keep else "") \
        + (f'<w:jc w:val="{_ALIGN[align]}"/>' if align else "")
    return f"<w:p>{f'<w:pPr>{properties}</w:pPr>' if properties else ''}{runs}</w:p>"


def attr(text: str) -> str:
    """Text as an attribute's value."""
    return text.translate(_ESCAPE_ATTR)


def twips(points: float) -> int:
    """A width in points as python-docx writes it in twentieths of a point (through EMU, as `Pt(...)` does)."""
    return Pt(points).twips


# Tables ----------------------------------------------------------------------------------------

@record
class Col:
    """A table column: its header, and how its values lay out."""

    header: str
    fixed: bool = False       # its values never wrap (money, dates, percents, choices): sized to the widest one
    right: bool = False       # the values line up on the right (money, shares)
    centre: bool = False      # the values sit in the middle (marks)
    fill: str | None = None   # the header's fill (None: the brand's primary); another marks the column
    turn: bool = False        # the header may read bottom to top when the page is too narrow for it


@record
class Cell:
    """A table cell's text, and how it stands out (red for overdue, missing or exposed)."""

    text: str
    colour: str | None = None
    bold: bool = False
    right: bool = False       # lines up on the right whatever its column does (money)


SEGMENT = " · "
"""Where a value that must not wrap may still break: `15 Dec 2026 · passed` keeps its date on one line."""


def cell(value: Any) -> Cell:
    """A value as a table cell: a `Cell` as it is, anything else as `fmt.text` shows it."""
    return value if isinstance(value, Cell) else Cell(fmt.text(value))


@record
class Fit:
    """How a table's columns share a width: each column's width, the columns whose header is turned, and whether a
    wider page would read better: words had to break, headers to turn, or a column of text that wants more than
    `COMFORT_PT` got less (the 1-inch "Next step" of 25-line cells)."""

    widths: tuple[float, ...]
    turned: frozenset[int] = frozenset()
    cramped: bool = False


def fit(cols: list[Col], rows: list[list], width: float, font: str = "Calibri") -> Fit:
    """Column widths in points from the text of the header and the cells, adding up to `width` at most.

    Each column has a narrowest width (its longest word; a `fixed` column: its widest value, a mark after ` · `
    aside) and a widest (its longest line). Every column gets its narrowest; the text columns then grow toward
    their widest: the short ones get all they need (those under the one width all could share), the long ones
    share the rest as keeps the table shortest (`_balance`); then the fixed ones. What is left goes to the text columns, unless
    the table is small (three columns or fewer, under `SMALL` of `width`), which keeps its own width. A table
    whose narrowest widths do not fit turns the headers it may, then squeezes every column alike (words break).
    """
    cells = [[cell(v) for v in values] for values in rows]
    narrow, wide = _measure(cols, cells, font, frozenset(), width)
    turned: frozenset[int] = frozenset()
    if sum(narrow) > width and any(c.turn for c in cols):
        turned = frozenset(i for i, c in enumerate(cols) if c.turn)
        narrow, wide = _measure(cols, cells, font, turned, width)
    if sum(narrow) > width:
        return Fit(tuple(n * width / sum(narrow) for n in narrow), turned, True)
    text = [i for i, c in enumerate(cols) if not c.fixed]
    widths, room, level = dict(enumerate(narrow)), width - sum(narrow), float("inf")
    for group in (text, [i for i, c in enumerate(cols) if c.fixed]):
        need = sum(wide[i] - narrow[i] for i in group)
        if need <= room:
            for i in group:
                widths[i] = wide[i]
            room -= need
            continue
        total = room + sum(narrow[i] for i in group)
        level = _level([narrow[i] for i in group], [wide[i] for i in group], total)
        short = [i for i in group if wide[i] <= level]   # all they need: a short text never wraps
        for i in short:
            widths[i] = wide[i]
        long = [i for i in group if i not in short]      # the rest as keeps the table shortest
        widths.update(_balance(long, widths, wide, total - sum(wide[i] for i in short), cells))
        room = 0.0
        break
    laid = [widths[i] for i in range(len(cols))]
    if room > 0 and (len(cols) > 3 or sum(laid) >= width * SMALL):
        growing = text or list(range(len(cols)))
        share = sum(laid[i] for i in growing)
        laid = [w + (room * w / share if i in growing else 0) for i, w in enumerate(laid)]
    squeezed = any(wide[i] > laid[i] + 0.5 for i in text)
    return Fit(tuple(laid), turned, bool(turned) or (squeezed and level < COMFORT_PT))


def _measure(cols: list[Col], cells: list[list[Cell]], font: str, turned: frozenset[int], width: float):
    """Each column's narrowest and widest width in points, with its cell padding; no column needs more than a
    third of `width` (a longer word breaks)."""
    narrow, wide = [], []
    for i, col in enumerate(cols):
        if i in turned:
            head_narrow = head_wide = TABLE_TEXT_PT * 1.3  # a line of text on its side
        else:
            head_narrow = _two_lines(col.header, font)
            head_wide = text_pt(col.header, bold=True, font=font)
        longest = unbroken = 0.0
        for row in cells:
            value = row[i]
            for line in value.text.split("\n"):
                longest = max(longest, text_pt(line, bold=value.bold, font=font))
                pieces = line.split(SEGMENT) if col.fixed else _words(line)
                unbroken = max([unbroken, *(text_pt(piece, bold=value.bold, font=font) for piece in pieces)])
        narrow.append(min(max(head_narrow, unbroken) + CELL_PAD_PT, width / 3))
        wide.append(max(head_wide, longest, unbroken) + CELL_PAD_PT)
    return narrow, wide


def _two_lines(header: str, font: str) -> float:
    """The narrowest width that sets `header` (bold) on at most two lines, breaking between words."""
    words = _words(header)
    if len(words) < 2:
        return text_pt(header, bold=True, font=font)
    return min(max(text_pt(" ".join(words[:i]), bold=True, font=font),
                   text_pt(" ".join(words[i:]), bold=True, font=font)) for i in range(1, len(words)))


BALANCE_STEPS = 48
READABLE_PT = 80.0  # a column of text this wide holds a few words a line (about 16 characters)


def _balance(long: list[int], widths: dict[int, float], wide: list[float], total: float,
             cells: list[list[Cell]]) -> dict[int, float]:
    """Widths for the `long` columns, from their narrowest (in `widths`; `READABLE_PT` where there is room) up to
    `total` together, that keep the table short: the room goes, a step at a time, to the column whose widening saves the most lines (the one
    with the most text still to fit when none does), so a short text beside a very long one is not squeezed to
    a word a line, nor the long one to a narrow strip."""
    got = {i: widths[i] for i in long}
    readable = {i: min(wide[i], max(got[i], READABLE_PT)) for i in long}
    if sum(readable.values()) <= total:
        got = readable  # every long column at least a few words a line, where the room allows
    others = [i for i in widths if i not in got]
    texts = {i: [[text_pt(line, bold=row[i].bold) for line in row[i].text.split("\n")] for row in cells]
             for i in long}
    floor = [max((len(row[i].text.split("\n")) for i in others), default=1) for row in cells]
    lines = {i: _column_lines(texts[i], got[i]) for i in long}
    step = (total - sum(got.values())) / BALANCE_STEPS
    for _ in range(BALANCE_STEPS):   # rows compared column against column with map: linear, and cheap per row
        growing = [i for i in long if got[i] < wide[i]]
        if not growing or step <= 0:
            break
        tallest = list(map(max, floor, *(lines[i] for i in long)))
        best, best_key, best_lines = None, None, None
        for i in growing:
            new = _column_lines(texts[i], min(got[i] + step, wide[i]))
            saved = sum(map(operator.sub, tallest, map(max, floor, new, *(lines[j] for j in long if j != i))))
            key = (saved, wide[i] - got[i])
            if best_key is None or key > best_key:
                best, best_key, best_lines = i, key, new
        got[best] = min(got[best] + step, wide[best])
        lines[best] = best_lines
    left = total - sum(got.values())
    growing = [i for i in long if got[i] < wide[i]]
    for i in growing:  # what the steps left (a column reached its widest part-way through a step)
        got[i] += left * (wide[i] - got[i]) / sum(wide[j] - got[j] for j in growing)
    return got


def _column_lines(texts: list[list[float]], column: float) -> list[int]:
    """`_lines` of each cell of a column (its lines' widths) in a column `column` points wide."""
    room = max(column - CELL_PAD_PT, 1.0)
    return [max(1, -int(-widths[0] // room)) if len(widths) == 1 else _lines(widths, column) for widths in texts]


def _lines(widths: list[float], column: float) -> int:
    """About how many lines text of these line widths takes in a column `column` points wide."""
    room = max(column - CELL_PAD_PT, 1.0)
    return sum(max(1, -int(-width // room)) for width in widths)


def _level(narrow: list[float], wide: list[float], width: float) -> float:
    """The width L at which columns clamped between their narrowest and widest add up to `width`."""
    low, high = 0.0, max(wide)
    for _ in range(60):
        middle = (low + high) / 2
        if sum(min(max(middle, n), w) for n, w in zip(narrow, wide)) > width:
            high = middle
        else:
            low = middle
    return low


def table_xml(caption: str, cols: list[Col], rows: list[list], laid: Fit, styles: dict[str, str],
              brand: Brand) -> str:
    """A table in the plan's table style, its columns `laid` out (see `fit`), as one string.

    The header row is a band in the brand's primary colour (or a column's own fill), white and bold, repeated on
    each page; body rows alternate white and the brand's light colour, divided by light rules. No row splits
    across pages, and a short table is kept on one page. Fixed column widths let a very long word wrap inside its
    cell instead of pushing the table off the page. `caption` is the table's alternative text (read by screen
    readers, and by the tests). `styles` gives the ids of the table style and the cells' paragraph style.
    """
    widths = [twips(w) for w in laid.widths]
    cell_style = styles[TABLE_TEXT]
    parts = [_table_properties(caption, sum(laid.widths), styles[TABLE_STYLE], brand),
             "<w:tblGrid>", *(f'<w:gridCol w:w="{w}"/>' for w in widths), "</w:tblGrid>",
             _header_row(cols, widths, laid.turned, cell_style, brand)]
    plain = [f'<w:tcPr><w:tcW w:type="dxa" w:w="{w}"/></w:tcPr>' for w in widths]
    zebra = [f'<w:tcPr><w:tcW w:type="dxa" w:w="{w}"/>{_shading(brand.light)}</w:tcPr>' for w in widths]
    keep_all = len(rows) <= KEEP_WHOLE_ROWS
    for r, values in enumerate(rows):
        # a short table stays whole, a long one keeps its first row with its header
        keep = r < len(rows) - 1 and (keep_all or r == 0)
        looks = zebra if r % 2 else plain
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for value, col, look in zip(values, cols, looks):
            shown = cell(value)
            parts += ("<w:tc>", look, paragraph_xml(run_xml(shown.text, shown.bold, shown.colour), cell_style, keep,
                                                    _alignment(col, shown)), "</w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def _table_properties(caption: str, width: float, style_id: str, brand: Brand) -> str:
    """The table's style, width, rules (light, between rows and below; no grid), fixed layout, cell margins (the
    side margins the widths are measured with: LibreOffice does not take them from the style), look (header row,
    zebra) and alternative text."""
    rule = _blend(brand.light, brand.muted, 0.3)
    line = f'w:val="single" w:sz="4" w:space="0" w:color="{rule}"'
    margin = round(CELL_MARGIN_PT * 20)  # in twentieths of a point
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="{style_id}"/><w:tblW w:type="dxa" w:w="{round(width * 20)}"/>'
            f'<w:jc w:val="left"/><w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom {line}/>'
            f'<w:right w:val="nil"/><w:insideH {line}/><w:insideV w:val="nil"/></w:tblBorders>'
            f'<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
            f'<w:left w:w="{margin}" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
            f'<w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:firstColumn="0" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
            f'w:noVBand="1" w:val="0420"/><w:tblCaption w:val="{attr(clean(caption))}"/></w:tblPr>')


def _header_row(cols: list[Col], widths: list[int], turned: frozenset[int], cell_style: str, brand: Brand) -> str:
    """White bold headers on each column's fill, at the bottom of the band, repeated on each page; tall enough
    for turned headers (text read bottom to top, so a long header fits a narrow column)."""
    height = ""
    if turned:
        longest = max(text_pt(cols[i].header, bold=True) for i in turned)
        height = f'<w:trHeight w:val="{twips(min(longest, 130) / 1.6 + CELL_PAD_PT)}" w:hRule="atLeast"/>'
    parts = [f'<w:tr><w:trPr><w:cantSplit/>{height}<w:tblHeader w:val="true"/></w:trPr>']
    for i, (col, width) in enumerate(zip(cols, widths)):
        direction = '<w:textDirection w:val="btLr"/>' if i in turned else ""
        align = "right" if col.right else "centre" if col.centre and i not in turned else None
        parts += (f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{_shading(col.fill or brand.primary)}'
                  f'{direction}<w:vAlign w:val="bottom"/></w:tcPr>',
                  paragraph_xml(run_xml(col.header, True, "FFFFFF"), cell_style, True, align), "</w:tc>")
    parts.append("</w:tr>")
    return "".join(parts)


def _shading(colour: str) -> str:
    """A cell's fill (w:shd)."""
    return f'<w:shd w:val="clear" w:color="auto" w:fill="{colour}"/>'


def _alignment(col: Col, value: Cell) -> str | None:
    """Money and shares on the right (a money cell anywhere), marks in the middle, the rest as the style has it."""
    if value.right or col.right:
        return "right"
    return "centre" if col.centre else None


# Right-to-left text ----------------------------------------------------------------------------

RTL_LETTERS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
"""Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms: what may make a text right-to-left."""


def mark_right_to_left(doc) -> None:
    """Mark right-to-left text for Word: `w:rtl` on runs of it, `w:bidi` on paragraphs that read right to left.

    A paragraph reads right to left when its first strong character is right-to-left and right-to-left letters
    are not outnumbered: a title in Arabic does, an English sentence that starts with an Arabic name does not (the
    name is a right-to-left run inside it). A run mixing both is split where its direction changes.
    """
    parts = [doc.element.body]
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if not part.is_linked_to_previous:
                parts.append(part._element)
    for root in parts:
        for p in root.iter(qn("w:p")):
            text = "".join(t.text or "" for t in p.iter(qn("w:t")))
            if not RTL_LETTERS.search(text):
                continue
            for run in list(p.iter(qn("w:r"))):
                _split_run(run)
            if fmt.right_to_left(text) and _strong(text, ("R", "AL")) >= _strong(text, ("L",)):
                properties = p.get_or_add_pPr()
                if properties.find(qn("w:bidi")) is None:
                    properties.insert_element_before(OxmlElement("w:bidi"), *PPR_AFTER_BIDI)


PPR_AFTER_BIDI = ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                  "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                  "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _strong(text: str, kinds: tuple[str, ...]) -> int:
    return sum(1 for char in text if unicodedata.bidirectional(char) in kinds)


def _split_run(run) -> None:
    """Give each right-to-left stretch of a run's text a run of its own marked `w:rtl`."""
    texts = [child for child in run if child.tag == qn("w:t")]
    if not texts:
        return
    pieces = []  # (element, rtl) in order, a text element split where its direction changes
    for child in run:
        if child.tag == qn("w:rPr"):
            continue
        if child.tag == qn("w:t"):
            pieces += [(_text_element(piece), rtl) for piece, rtl in _directions(child.text or "")]
        else:
            pieces.append((child, None))   # a break or a tab goes with the text around it
    flags = [rtl for _, rtl in pieces if rtl is not None]
    if not any(flags):
        return
    if all(flags):
        run.get_or_add_rPr().get_or_add_rtl()
        return
    properties = run.find(qn("w:rPr"))
    current, runs = None, []
    for element, rtl in pieces:
        if current is None or (rtl is not None and rtl != current[1]):
            new = OxmlElement("w:r")
            if properties is not None:
                new.append(copy.deepcopy(properties))
            current = [new, rtl if rtl is not None else False]
            if current[1]:
                new.get_or_add_rPr().get_or_add_rtl()
            runs.append(new)
        current[0].append(element)
    for new in runs:
        run.addprevious(new)
    run.getparent().remove(run)


def _text_element(text: str):
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    return element


def _directions(text: str) -> list[tuple[str, bool]]:
    """`text` in stretches of one direction: neutral characters (spaces, digits, punctuation) between two letters of
    one direction go with them, the others with left-to-right text."""
    strong = []
    for char in text:
        kind = unicodedata.bidirectional(char)
        strong.append(True if kind in ("R", "AL") else False if kind == "L" else None)
    shown = []
    for i, flag in enumerate(strong):
        if flag is None:
            before = next((f for f in reversed(strong[:i]) if f is not None), None)
            after = next((f for f in strong[i + 1:] if f is not None), None)
            flag = bool(before and after)
        shown.append(flag)
    stretches: list[tuple[str, bool]] = []
    for char, flag in zip(text, shown):
        if stretches and stretches[-1][1] == flag:
            stretches[-1] = (stretches[-1][0] + char, flag)
        else:
            stretches.append((char, flag))
    return stretches


# Fields ----------------------------------------------------------------------------------------

def page_numbers(paragraph, page: str, of: str, colour: str) -> None:
    """'Page 3 of 12', centred in `colour`, in PAGE and NUMPAGES fields that Word keeps right as the text moves."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(paragraph, f"{page} ", colour=colour)
    _field(paragraph, "PAGE", "1", colour)
    add_run(paragraph, f" {of} ", colour=colour)
    _field(paragraph, "NUMPAGES", "1", colour)


def add_contents(doc, entries: list[str]) -> None:
    """A TOC field listing `entries`, one a line, as its shown result: Word adds the page numbers when it updates
    the field (F9, or right-click › Update Field); nothing asks the reader to when the file opens."""
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
