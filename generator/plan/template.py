"""The blank planning workbook, laid out from the schema: one sheet per section.

Every single field is a workbook-scoped defined name on a styled input cell (label in B, input
in C, help in D); every list is a real Excel table with the contract's headers; choices are
drop-downs fed from a hidden `Lists` sheet. `write_filled` fills the same layout from plan data
(used for the samples and by tests). The kit passed in gives the sections (its definition: extra fields,
extra sections and its own questions too), the look (its brand) and the default currency; a kit's template
records the kit's name and version (named cells `kit_name` and `kit_version` on the Instructions sheet, beside
`template_version`), so a plan says which kit it was made with. The built-in kit's template records no kit:
its absence means the built-in one, and the committed template stays as it was. Nothing here is read at
import.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableStyleInfo

from . import schema
from .. import PRODUCER
from ..brand import Brand
from ..kit import Kit, default_kit
from ..ooxml import workbook_bytes, write_stamped
from ..records import record

FIRST_FIELD_ROW = 4
LABEL_COL, INPUT_COL, HELP_COL = 2, 3, 4
FIRST_TABLE_COL = 2
VALIDATION_ROWS = 300        # drop-downs reach this far below a table's header, for rows typed past its end
LISTS_SHEET = "Lists"
INSTRUCTIONS_SHEET = "Instructions"
FIXED_CREATED = dt.datetime(2026, 1, 1)

NUMBER_FORMATS = {
    schema.MONEY: "#,##0", schema.DATE: "yyyy-mm-dd", schema.PERCENT: "0%", schema.SCORE: "0",
}

_thin = Side(style="thin", color="BFBFBF")
INPUT_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
WRAP = Alignment(wrap_text=True, vertical="top")


@record
class Styles:
    """The template's fills and fonts in one brand's colours and typefaces."""

    tab: str
    input_fill: PatternFill
    cover_font: Font          # the Instructions sheet's title
    title_font: Font          # a section sheet's title
    subtitle_font: Font
    heading_font: Font
    label_font: Font
    help_font: Font
    link_font: Font
    header_fill: PatternFill  # table headers
    header_font: Font


def styles(brand: Brand) -> Styles:
    return Styles(
        tab=brand.primary,
        input_fill=PatternFill("solid", fgColor=brand.input_fill),
        cover_font=Font(name=brand.heading_font, size=22, bold=True, color=brand.primary),
        title_font=Font(name=brand.heading_font, size=18, bold=True, color=brand.primary),
        subtitle_font=Font(name=brand.font, size=11, italic=True, color=brand.muted),
        heading_font=Font(name=brand.heading_font, size=13, bold=True, color=brand.primary),
        label_font=Font(name=brand.font, size=11, bold=True, color=brand.text),
        help_font=Font(name=brand.font, size=9, italic=True, color=brand.muted),
        link_font=Font(name=brand.font, color=brand.accent, underline="single"),
        header_fill=PatternFill("solid", fgColor=brand.primary),
        header_font=Font(name=brand.font, bold=True, color="FFFFFF"),
    )


@record(frozen=False)
class Layout:
    """Where the template puts things: defined name -> (sheet, cell); table -> (sheet, header row) and
    the column letter of each of its columns (attr -> letter)."""

    cells: dict[str, tuple[str, str]] = field(default_factory=dict)
    tables: dict[str, tuple[str, int]] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)


def new_workbook(kit: Kit) -> tuple[Workbook, Layout]:
    """The blank planning workbook of `kit` (its sections, its brand) and where each field and table sits."""
    wb = Workbook()
    wb.active.title = INSTRUCTIONS_SHEET
    layout = Layout()
    look = styles(kit.brand)
    sections = kit.definition.sections
    choice_ranges = _write_lists_sheet(wb, sections)
    for section in sections:
        _write_section(wb, section, layout, choice_ranges, look)
    _default_currency(wb, layout, kit)
    _write_instructions(wb[INSTRUCTIONS_SHEET], layout, sections, look, None if builtin(kit) else kit)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    for ws in wb.worksheets:
        _print_setup(ws)
    props = wb.properties
    props.creator, props.title = PRODUCER, "Account plan"
    props.created = props.modified = FIXED_CREATED
    props.lastPrinted = None      # never printed
    return wb, layout


def builtin(kit: Kit) -> bool:
    """The built-in kit (perhaps in another brand): its template records no kit."""
    return kit.name == Kit.name and not kit.version


def _default_currency(wb: Workbook, layout: Layout, kit: Kit) -> None:
    """A kit whose plans are in another currency than USD has it typed in the currency cell already."""
    if kit.currency == schema.DEFAULT_CURRENCY:
        return
    for item in kit.definition.fields.values():
        if item.kind == schema.CURRENCY and item.name in layout.cells:
            sheet, coordinate = layout.cells[item.name]
            cell = wb[sheet][coordinate]
            _put(cell, kit.currency)
            wb[sheet].cell(row=cell.row, column=HELP_COL).value = (
                f"ISO 4217 code; {kit.name} plans are in {kit.currency} (blank means {schema.DEFAULT_CURRENCY})")


def write_template(path: Path, kit: Kit | None = None) -> Path:
    """The blank workbook of `kit` (the built-in one when None) saved to `path`."""
    wb, _ = new_workbook(kit or default_kit())
    _save(wb, path)
    return path


def _save(wb: Workbook, path: Path) -> None:
    """Saved with fixed dates, so the same template is the same bytes."""
    write_stamped(workbook_bytes(wb), path, FIXED_CREATED)


def _print_setup(ws) -> None:
    """Landscape, one page wide: a printed plan reads like the sheet."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


# Sheets ----------------------------------------------------------------------------------------

def _write_lists_sheet(wb: Workbook, sections: tuple[schema.Section, ...]) -> dict[tuple[str, ...], str]:
    """One column per distinct choice set; returns choices -> absolute range for data validation."""
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    sets: list[tuple[str, ...]] = []
    for section in sections:
        for item in (*section.fields, *(c for spec in section.lists for c in spec.columns)):
            if item.choices and item.choices not in sets:
                sets.append(item.choices)
    ranges = {}
    for col, choices in enumerate(sets, start=1):
        letter = get_column_letter(col)
        for row, choice in enumerate(choices, start=1):
            ws.cell(row=row, column=col, value=choice)
        ranges[choices] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${len(choices)}"
    return ranges


def _write_section(wb: Workbook, section: schema.Section, layout: Layout, ranges: dict, look: Styles) -> None:
    ws = wb.create_sheet(section.sheet)
    ws.sheet_properties.tabColor = look.tab
    ws.sheet_view.showGridLines = False
    ws["A1"] = section.name
    ws["A1"].font = look.title_font
    ws["A2"] = section.purpose
    ws["A2"].font = look.subtitle_font
    ws.column_dimensions["A"].width = 3
    row = FIRST_FIELD_ROW
    for item in section.fields:
        _write_field(wb, ws, item, row, layout, ranges, look)
        row += 1
    if section.fields:
        ws.column_dimensions[get_column_letter(LABEL_COL)].width = 30
        ws.column_dimensions[get_column_letter(INPUT_COL)].width = 44
        ws.column_dimensions[get_column_letter(HELP_COL)].width = 40
        row += 1
    for spec in section.lists:
        row = _write_table(ws, spec, row, layout, ranges, look, widen=not section.fields) + 2
    if section.fields and not section.lists:
        ws.freeze_panes = f"A{FIRST_FIELD_ROW}"


def _write_field(wb, ws, item: schema.Field, row: int, layout: Layout, ranges: dict, look: Styles) -> None:
    label = ws.cell(row=row, column=LABEL_COL, value=item.label + (" *" if item.required else ""))
    label.font = look.label_font
    label.alignment = Alignment(vertical="top")
    cell = ws.cell(row=row, column=INPUT_COL)
    cell.fill, cell.border = look.input_fill, INPUT_BORDER
    cell.alignment = WRAP
    if item.kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[item.kind]
    if item.kind == schema.LONG_TEXT:
        ws.row_dimensions[row].height = 45
    if item.help:
        ws.cell(row=row, column=HELP_COL, value=item.help).font = look.help_font
    ref = f"{quote_sheetname(ws.title)}!${get_column_letter(INPUT_COL)}${row}"
    wb.defined_names[item.name] = DefinedName(item.name, attr_text=ref)
    layout.cells[item.name] = (ws.title, cell.coordinate)
    _validate(ws, item.kind, item.choices, cell.coordinate, ranges, item.label)


def _write_table(ws, spec: schema.ListSpec, row: int, layout: Layout, ranges: dict, look: Styles,
                 widen: bool) -> int:
    """Subheading, header row and a few empty (or pre-filled) rows; returns the table's last row."""
    ws.cell(row=row, column=FIRST_TABLE_COL, value=spec.table).font = look.heading_font
    header = row + 1
    for i, column in enumerate(spec.columns):
        col = FIRST_TABLE_COL + i
        cell = ws.cell(row=header, column=col, value=column.header)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.fill, cell.font = look.header_fill, look.header_font   # shown even where table styles are not
        letter = get_column_letter(col)
        if widen or col > INPUT_COL + 1:
            ws.column_dimensions[letter].width = column.width
        body = f"{letter}{header + 1}:{letter}{header + VALIDATION_ROWS}"
        _validate(ws, column.kind, column.choices, body, ranges, column.header)
        for r in range(header + 1, header + 1 + len(spec.prefill) + spec.blank_rows):
            target = ws.cell(row=r, column=col)
            target.alignment = WRAP
            if column.kind in NUMBER_FORMATS:
                target.number_format = NUMBER_FORMATS[column.kind]
    for r, values in enumerate(spec.prefill, start=header + 1):
        for i, value in enumerate(values):
            ws.cell(row=r, column=FIRST_TABLE_COL + i, value=value)
    last = header + len(spec.prefill) + spec.blank_rows
    _add_table(ws, spec, header, last)
    ws.row_dimensions[header].height = 30
    ws.freeze_panes = f"A{header + 1}"
    layout.tables[spec.table] = (ws.title, header)
    layout.columns[spec.table] = {c.attr: get_column_letter(FIRST_TABLE_COL + i) for i, c in enumerate(spec.columns)}
    return last


def _add_table(ws, spec: schema.ListSpec, header: int, last: int) -> None:
    end = get_column_letter(FIRST_TABLE_COL + len(spec.columns) - 1)
    table = Table(displayName=spec.table, ref=f"{get_column_letter(FIRST_TABLE_COL)}{header}:{end}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)


def _validate(ws, kind: str, choices: tuple, ref: str, ranges: dict, label: str) -> None:
    """A drop-down for choices; range checks for scores and percentages; a mark list for stages."""
    if choices:
        dv = DataValidation(type="list", formula1=ranges[choices], allow_blank=True)
        dv.error, dv.errorTitle = f"Choose one of the values in the list for {label}.", label
    elif kind == schema.SCORE:
        dv = DataValidation(type="whole", operator="between", formula1="1", formula2="5", allow_blank=True)
        dv.error, dv.errorTitle = "Type a whole number from 1 to 5.", label
    elif kind == schema.PERCENT:
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True)
        dv.error, dv.errorTitle = "Type a percentage from 0% to 100%.", label
    elif kind == schema.MARK:
        dv = DataValidation(type="list", formula1='"X"', allow_blank=True)
        dv.errorStyle = "warning"
        dv.error, dv.errorTitle = "Type X where the person is involved in this stage.", label
    else:
        return
    dv.showErrorMessage = True
    dv.add(ref)
    ws.add_data_validation(dv)


INSTRUCTIONS = (
    "Fill in the yellow cells and the tables on each sheet; leave a cell blank rather than typing 'n/a'.",
    "Fields marked * are required. Choice cells have a drop-down: pick from it so the tool can read them.",
    "Tables grow as you type below them. Add rows as you need; blank rows in between are ignored.",
    "Type amounts as numbers (250000), dates as dates (2027-03-31) and probabilities as percentages (40%).",
    "Formulas are fine (=12*25000): the tool reads the value Excel saved with them.",
    "Run `accountplan validate` on the file for a list of what is missing or wrong, cell by cell, "
    "and `accountplan build` for the review deck, the plan document and a checked copy of this workbook.",
)

POSITION_MATRIX = (
    ("", "Relationship score < 3", "Relationship score ≥ 3"),
    ("Potential score ≥ 3", "Target: invest to build relationships", "Key: protect and grow"),
    ("Potential score < 3", "Maintained: serve efficiently", "Managed: keep the relationship, sell on value"),
)


def _write_instructions(ws, layout: Layout, sections: tuple[schema.Section, ...], look: Styles,
                        kit: Kit | None = None) -> None:
    """The Instructions sheet; `kit` (None for the built-in one) is named in the title and recorded."""
    ws.sheet_view.showGridLines = False
    ws.column_dimensions["A"].width = 3
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 48
    ws.column_dimensions["D"].width = 48
    ws["A1"] = "Account plan" if kit is None else f"Account plan · {kit.name}"
    ws["A1"].font = look.cover_font
    ws["A2"] = "One workbook per account, reviewed every quarter. Start with the customer's agenda, not ours."
    ws["A2"].font = look.subtitle_font
    row = 4
    ws.cell(row=row, column=2, value="How to fill it in").font = look.heading_font
    for line in INSTRUCTIONS:
        row += 1
        ws.cell(row=row, column=2, value="•  " + line).alignment = Alignment(wrap_text=False)
    row += 2
    ws.cell(row=row, column=2, value="The sections").font = look.heading_font
    for section in sections:
        row += 1
        link = ws.cell(row=row, column=2, value=section.name)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheetname(section.sheet)}!A1")  # in-workbook
        link.font = look.link_font
        ws.cell(row=row, column=3, value=section.purpose)
    row += 2
    ws.cell(row=row, column=2, value="The position matrix").font = look.heading_font
    row += 1
    ws.cell(row=row, column=2, value="Your two scores on the Account sheet place the account in one of four "
                                     "positions, which sets how much the team invests in it.")
    for values in POSITION_MATRIX:
        row += 1
        ws.row_dimensions[row].height = 30
        for col, value in enumerate(values, start=2):
            cell = ws.cell(row=row, column=col, value=value or None)   # the corner stays empty, not ''
            cell.border = INPUT_BORDER
            cell.alignment = WRAP
            if col == 2 or not values[0]:
                cell.font = look.label_font
    row += 2
    ws.cell(row=row, column=2, value="Template version").font = look.label_font
    version = ws.cell(row=row, column=3, value=schema.TEMPLATE_VERSION)
    version.comment = Comment("Do not change: the tool uses it to know this template's layout.", "accountplan")
    _name_cell(ws, layout, schema.TEMPLATE_VERSION_NAME, row)
    if kit is None:
        return
    for name, label, value, why in (
            (schema.KIT_NAME_NAME, "Kit", kit.name, "which kit this template was made from"),
            (schema.KIT_VERSION_NAME, "Kit version", kit.version, "which version of its kit this template is")):
        row += 1
        ws.cell(row=row, column=2, value=label).font = look.label_font
        cell = ws.cell(row=row, column=3)
        _put(cell, value or None)
        cell.comment = Comment(f"Do not change: the tool uses it to know {why}.", "accountplan")
        _name_cell(ws, layout, name, row)


def _name_cell(ws, layout: Layout, name: str, row: int) -> None:
    """The workbook-wide name `name` on column C of `row` of the Instructions sheet."""
    ref = f"{quote_sheetname(ws.title)}!$C${row}"
    ws.parent.defined_names[name] = DefinedName(name, attr_text=ref)
    layout.cells[name] = (ws.title, f"C{row}")


# Filling ---------------------------------------------------------------------------------------

def write_filled(data: dict, path: Path, kit: Kit | None = None) -> Path:
    """The template with `data` ({"fields": {name: value}, "lists": {table: [{header: value}]}}) typed in,
    saved to `path`; in `kit`'s layout and look (the built-in kit when None)."""
    wb, _ = filled_workbook(data, kit or default_kit())
    _save(wb, path)
    return path


def filled_workbook(data: dict, kit: Kit) -> tuple[Workbook, Layout]:
    """The template with `data` typed in, in memory, and where each field and table sits in it.

    Values are written as given (text stays text, never a formula), so samples can carry the
    mistakes reps make. Tables are extended to hold every row.
    """
    wb, layout = new_workbook(kit)
    for name, value in data.get("fields", {}).items():
        sheet, coordinate = layout.cells[name]
        _put(wb[sheet][coordinate], value)
    for table, rows in data.get("lists", {}).items():
        _fill_table(wb, layout, kit.definition.lists[table], rows)
    return wb, layout


def _fill_table(wb: Workbook, layout: Layout, spec: schema.ListSpec, rows: list[dict]) -> None:
    sheet, header = layout.tables[spec.table]
    ws = wb[sheet]
    for col in range(FIRST_TABLE_COL, FIRST_TABLE_COL + len(spec.columns)):  # drop pre-filled rows
        for r in range(header + 1, header + 1 + len(spec.prefill)):
            ws.cell(row=r, column=col).value = None
    by_header = {c.header: i for i, c in enumerate(spec.columns)}
    for r, values in enumerate(rows, start=header + 1):
        for key, value in values.items():
            _put(ws.cell(row=r, column=FIRST_TABLE_COL + by_header[key]), value)
    table = ws.tables[spec.table]
    start, end = table.ref.split(":")
    last = max(int("".join(ch for ch in end if ch.isdigit())), header + len(rows))
    table.ref = f"{start}:{''.join(ch for ch in end if ch.isalpha())}{last}"


def _put(cell, value) -> None:
    """`value` typed into `cell`; empty text leaves the cell empty (no empty string cell)."""
    if value == "":
        value = None
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"   # text that starts with '=' stays text
