"""The checked workbook's look, built from the kit's brand, and the few cell helpers its sheets share."""
from __future__ import annotations


from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill

from ... import fmt
from ...plan import template
from ...brand import Brand
from ...assess.findings import ERROR, WARNING
from ...records import record


@record
class Styles:
    brand: Brand
    title_font: Font
    heading_font: Font
    muted_font: Font
    link_font: Font
    note_font: Font              # a section's status beside its share
    header_font: Font
    header_fill: PatternFill
    flag_fills: dict[str, str]   # severity -> RRGGBB of a flagged cell

    def flag_fill(self, severity: str) -> str | None:
        return self.flag_fills.get(severity)


def styles_of(brand: Brand) -> Styles:
    """Titles and table headers as the template draws them; the rest in the same brand."""
    drawn = template.styles(brand)
    return Styles(
        brand=brand,
        title_font=drawn.title_font,
        heading_font=Font(name=brand.heading_font, size=12, bold=True, color=brand.primary),
        muted_font=Font(name=brand.font, size=9, italic=True, color=brand.muted),
        link_font=Font(name=brand.font, color=brand.accent, underline="single"),
        note_font=Font(name=brand.font, color=brand.bad),
        header_font=drawn.header_font,
        header_fill=drawn.header_fill,
        flag_fills={ERROR: brand.error_fill, WARNING: brand.warning_fill},
    )


NUMBER_FORMATS = {"share": "0%", "signed_share": "+0%;-0%;0%", "times": '0.00"×"', "count": "0",
                  "date": "d mmm yyyy"}


def number_format(kind: str, currency: str, cents: bool = False) -> str:
    """The Excel number format of a figure of `kind` (a view's figure kind) that shows the digits the view's
    text shows: money in the plan's currency, in whole units or, when the plan has cents (`view.cents`), with
    them; rounded as the view rounds (half away from zero)."""
    return fmt.money_format(currency, cents) if kind == "money" else NUMBER_FORMATS.get(kind, "General")


def text(cell, value: str | None):
    """Text that stays text: a value starting with '=' is never turned into a formula. No text (None, or
    empty) leaves the cell empty rather than an empty string cell."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value) or None
    cell.value = value
    if value is not None:
        cell.data_type = "s"
    return cell


def free_title(workbook: Workbook, title: str) -> str:
    """`title`, or `title (2)` and so on when the rep already has a sheet of that name."""
    taken, n, free = {name.lower() for name in workbook.sheetnames}, 1, title
    while free.lower() in taken:
        n += 1
        free = f"{title} ({n})"
    return free


def one_page_wide(ws) -> None:
    """Landscape, one page wide, as the template prints."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
