"""The checked workbook: the rep's own workbook handed back with the figures and every problem marked.

Everything the rep typed stays as it was. The renderer adds a Summary sheet (the figures, a native
chart of the path to the number), a Review sheet (one linked row per finding), and flags each cell
with a finding in place: a fill colour and a comment. What it changed is recorded in a hidden sheet,
so the next run restores the rep's own fills and comments before flagging again: a checked workbook
can be fixed and built again, and it gives the same result, never doubled flags.

openpyxl loses two things on a round trip that matter here, and both are put back: the choice
drop-downs Excel stores as extensions (re-created from the schema), and the values saved with the
rep's formulas (written back from what the reader read, so the next read still sees them).
"""
from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import warnings
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.fills import Fill
from openpyxl.utils import column_index_from_string, get_column_letter, quote_sheetname
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.xml.functions import fromstring, tostring

from . import PRODUCER, fmt, schema
from .brand import BRAND
from .ooxml import workbook_bytes, write_stamped
from .figures import DUE_SOON_DAYS
from .findings import ERROR, WARNING, Finding
from .model import Plan
from .pipeline import Result
from .template import (HEADER_FILL, HEADER_FONT, INSTRUCTIONS_SHEET, TITLE_FONT, VALIDATION_ROWS, WRAP,
                       write_filled)

SUMMARY_SHEET = "Summary"
REVIEW_SHEET = "Review"
FLAGS_SHEET = "_accountplan_flags"
FLAGS_HEADER = ("kind", "sheet", "cell", "original fill", "original comment", "original author", "flag comment",
                "flag fill")
FLAG_FILLS = {ERROR: BRAND.error_fill, WARNING: BRAND.warning_fill}
HEADING_CELL = "A1"            # where a section's sheet carries its title in the template
CELL = re.compile(r"[A-Z]{1,3}[1-9][0-9]*")

HEADING_FONT = Font(name=BRAND.heading_font, size=12, bold=True, color=BRAND.primary)
MUTED_FONT = Font(name=BRAND.font, size=9, italic=True, color=BRAND.muted)
LINK_FONT = Font(name=BRAND.font, color=BRAND.accent, underline="single")


def render(result: Result, path: Path) -> None:
    """Write the rep's workbook, checked, to `path` (.xlsx); the plan's own workbook is left unchanged."""
    workbook, plan = _working_copy(result.plan)
    _undo_previous_run(workbook)
    _ensure_dropdowns(workbook, plan)
    summary = _summary_sheet(workbook, result)
    review = _review_sheet(workbook, result.findings, summary.title)
    flagged = _flag_cells(workbook, result.findings)
    _record_run(workbook, [summary.title, review.title], flagged)
    _activate(workbook, summary)
    _set_properties(workbook, result.figures.as_of, result.plan.account_name)
    _save(workbook, path, result.figures.as_of, _formula_values(plan, workbook))


# The workbook to work on ----------------------------------------------------------------------------

def _working_copy(plan: Plan) -> tuple[Workbook, Plan]:
    """A private copy of the rep's workbook; for a plan built in code, the blank template filled in."""
    if plan.workbook is None:
        return _from_template(plan)
    buffer = io.BytesIO()
    plan.workbook.save(buffer)
    with warnings.catch_warnings():   # what openpyxl warns of here, the reader met and reported already
        warnings.simplefilter("ignore")
        return load_workbook(buffer, rich_text=False), plan


def _from_template(plan: Plan) -> tuple[Workbook, Plan]:
    """Type the plan into the blank template and read it back, so it has places like a rep's file."""
    from .reader import read_plan

    with tempfile.TemporaryDirectory() as folder:
        typed = read_plan(write_filled(_plan_data(plan), Path(folder) / "plan.xlsx"))
    return typed.workbook, typed


def _plan_data(plan: Plan) -> dict:
    """The plan as the template writer takes it: values by defined name and by header."""
    lists = {}
    for spec in schema.LISTS.values():
        lists[spec.table] = [{c.header: _typed_back(c, getattr(row, c.attr)) for c in spec.columns}
                             for row in plan.lists[spec.table]]
    fields = {name: value for name, value in plan.fields.items() if value is not None}
    return {"fields": fields, "lists": lists}


def _typed_back(column: schema.Column, value: Any) -> Any:
    if column.kind == schema.MARK:
        return "X" if value else None
    return value


# Undoing the previous run ---------------------------------------------------------------------------

def _undo_previous_run(workbook: Workbook) -> None:
    """Remove the sheets a previous run added and give flagged cells back their own fill and comment."""
    if FLAGS_SHEET not in workbook.sheetnames:
        return
    record = workbook[FLAGS_SHEET]
    for row in record.iter_rows(min_row=2, max_col=len(FLAGS_HEADER), values_only=True):
        kind, sheet, cell, *originals = row
        if sheet not in workbook.sheetnames:
            continue
        if kind == "sheet":
            del workbook[sheet]
        elif kind == "cell" and isinstance(cell, str) and CELL.fullmatch(cell):
            _restore(workbook[sheet][cell], *originals)
    del workbook[FLAGS_SHEET]


def _restore(cell, fill: str | None, comment: str | None, author: str | None, flag_comment: str | None,
             flag_fill: str | None) -> None:
    """Put back what was there before the flag, unless the rep has since changed the flag themselves."""
    if fill and flag_fill and _colour(cell.fill) == flag_fill:
        try:
            cell.fill = Fill.from_tree(fromstring(fill))
        except (SyntaxError, TypeError, ValueError):   # the hidden record was edited by hand: leave the fill
            pass
    if cell.comment is not None and cell.comment.text == flag_comment:
        cell.comment = Comment(comment, author or "") if comment else None


def _colour(fill) -> str | None:
    """The RRGGBB of a solid fill, else None."""
    colour = getattr(fill.fgColor, "rgb", None)
    return colour[-6:].upper() if fill.fill_type == "solid" and isinstance(colour, str) else None


# Drop-downs ----------------------------------------------------------------------------------------

def _ensure_dropdowns(workbook: Workbook, plan: Plan) -> None:
    """A list drop-down on every choice cell: Excel stores some as extensions that openpyxl drops."""
    for name, item in schema.FIELDS.items():
        place = plan.places.get(name)
        if item.choices and place and place.sheet in workbook.sheetnames:
            column, row = _split(place.cell)
            _ensure_list(workbook[place.sheet], column, row, row, item.choices, item.label)
    for table, where in plan.tables.items():
        if where.sheet not in workbook.sheetnames:
            continue
        last = max([where.header_row + VALIDATION_ROWS, *(r.excel_row for r in plan.lists[table])])
        for column in schema.LISTS[table].columns:
            letter = where.columns.get(column.attr)
            if column.choices and letter:
                _ensure_list(workbook[where.sheet], letter, where.header_row + 1, last, column.choices, column.header)


def _ensure_list(ws, letter: str, first: int, last: int, choices: tuple[str, ...], label: str) -> None:
    """Add a drop-down to the rows of this column that no list validation covers yet."""
    col = column_index_from_string(letter)
    covered = set()
    for validation in ws.data_validations.dataValidation:
        if validation.type != "list":
            continue
        for cells in validation.sqref.ranges:
            if cells.min_col <= col <= cells.max_col:
                covered.update(range(max(cells.min_row, first), min(cells.max_row, last) + 1))
    runs = list(_runs(r for r in range(first, last + 1) if r not in covered))
    if not runs:
        return
    validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    validation.error, validation.errorTitle = f"Choose one of the values in the list for {label}.", label
    validation.showErrorMessage = True
    for start, end in runs:
        validation.add(f"{letter}{start}:{letter}{end}" if end > start else f"{letter}{start}")
    ws.add_data_validation(validation)


def _runs(rows: Iterator[int]) -> Iterator[tuple[int, int]]:
    """Consecutive row numbers as (first, last) pairs."""
    start = end = None
    for row in rows:
        if start is not None and row == end + 1:
            end = row
            continue
        if start is not None:
            yield start, end
        start = end = row
    if start is not None:
        yield start, end


def _split(cell: str) -> tuple[str, int]:
    letters = cell.rstrip("0123456789")
    return letters, int(cell[len(letters):])


# The Summary sheet ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    """One figure on the Summary: a label, the value (None shows as a dash) and its number format."""

    label: str
    value: Any
    number_format: str = "General"
    link: str = ""           # a sheet to jump to
    note: str = ""


PATH_COLUMNS = ("Secured and open", "Target")
PERCENT, SIGNED_PERCENT, TIMES, COUNT, DATE = "0%", "+0%;-0%;0%", '0.00"×"', "0", "d mmm yyyy"


def _summary_sheet(workbook: Workbook, result: Result):
    """The figures as numbers with formats, the path to the number as a native stacked chart."""
    f, plan = result.figures, result.plan
    index = workbook.sheetnames.index(INSTRUCTIONS_SHEET) + 1 if INSTRUCTIONS_SHEET in workbook.sheetnames else 0
    ws = workbook.create_sheet(_free_title(workbook, SUMMARY_SHEET), index)
    ws.sheet_properties.tabColor = BRAND.accent
    ws.sheet_view.showGridLines = False
    for letter, width in zip("ABCDE", (3, 30, 18, 18, 12)):
        ws.column_dimensions[letter].width = width
    _text(ws["A1"], SUMMARY_SHEET).font = TITLE_FONT
    _text(ws["A2"], " · ".join(fmt.text(v) for v in (plan.account_name, plan.value("plan_period"))))
    _text(ws["A3"], "Computed by accountplan from this workbook; replaced on every build.").font = MUTED_FONT
    money = fmt.money_format(f.currency)
    row = _write_lines(ws, 5, "", [
        Line("As of", f.as_of, DATE),
        Line("Position", f.position),
        Line("Annual target", f.annual_target, money),
        Line("Prior year actual", f.prior_year_actual, money),
    ])
    path_row = row + 1
    row = _write_path(ws, path_row, f, money)
    row = _write_lines(ws, row + 1, "Figures", [
        Line("Weighted open", f.weighted_open, money),
        Line("Uncovered gap", f.uncovered_gap, money),
        Line("Pipeline coverage", f.pipeline_coverage, TIMES),
        Line("Growth vs prior year", f.growth_vs_prior, SIGNED_PERCENT),
        Line("Whitespace open", f.whitespace_open, money),
        Line("Readiness", f.readiness, PERCENT),
    ])
    a = f.actions
    row = _write_lines(ws, row + 1, "Actions", [
        Line("Open", a.open, COUNT), Line("Done", a.done, COUNT), Line("Blocked", a.blocked, COUNT),
        Line("Overdue", a.overdue, COUNT), Line(f"Due within {DUE_SOON_DAYS} days", a.due_soon, COUNT),
    ])
    _write_lines(ws, row + 1, "Completeness", [Line("Overall", f.completeness.overall, PERCENT),
                                               *_section_lines(workbook, result)])
    _path_chart(ws, path_row, f.currency)
    _print_on_one_page_wide(ws)
    return ws


def _print_on_one_page_wide(ws) -> None:
    """Landscape, one page wide, as the template prints: the chart beside the figures."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _section_lines(workbook: Workbook, result: Result) -> list[Line]:
    c = result.figures.completeness
    lines = []
    for section in schema.SECTIONS:
        note = "missing" if section.name in c.missing else "incomplete" if section.name in c.incomplete else ""
        link = section.sheet if section.sheet in workbook.sheetnames else ""
        lines.append(Line(section.name, c.sections.get(section.name), PERCENT, link, note))
    return lines


def _write_lines(ws, row: int, heading: str, lines: list[Line]) -> int:
    """A heading then one figure a row (label in B, value in C, note in D); returns the next free row."""
    if heading:
        _text(ws.cell(row=row, column=2), heading).font = HEADING_FONT
        row += 1
    for line in lines:
        label = _text(ws.cell(row=row, column=2), line.label)
        if line.link:
            label.hyperlink = Hyperlink(ref=label.coordinate, location=f"{quote_sheetname(line.link)}!A1")
            label.font = LINK_FONT
        _figure(ws.cell(row=row, column=3), line.value, line.number_format)
        if line.note:
            _text(ws.cell(row=row, column=4), line.note).font = Font(name=BRAND.font, color=BRAND.bad)
        row += 1
    return row


def _write_path(ws, row: int, f, money: str) -> int:
    """Two stacked columns: secured plus each open stage, and secured plus the gap up to the target."""
    for col, title in enumerate(("Path to the number", *PATH_COLUMNS), start=2):
        cell = _text(ws.cell(row=row, column=col), title)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, Alignment(horizontal="center")
    secured_and_open, target = 3, 4   # the columns of the two stacks
    stacks = {"Secured": {secured_and_open: f.secured, target: f.secured}, "Forecast": {secured_and_open: f.forecast},
              "Pipeline": {secured_and_open: f.pipeline}, "Prospect": {secured_and_open: f.prospect},
              "Gap to target": {target: f.gap_to_target}}
    for r, (label, cells) in enumerate(stacks.items(), start=row + 1):
        _text(ws.cell(row=r, column=2), label)
        for col, value in cells.items():
            _figure(ws.cell(row=r, column=col), value, money)
    return row + len(stacks) + 1


def _path_chart(ws, header_row: int, currency: str) -> None:
    """A native stacked column chart whose series are the path cells, so it follows edits in Excel."""
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = "Path to the number"
    chart.height, chart.width = 9, 14
    chart.y_axis.numFmt = fmt.money_format(currency)
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = chart.y_axis.delete = False
    colours = (BRAND.secured, BRAND.forecast, BRAND.pipeline, BRAND.prospect, BRAND.gap)
    for offset, colour in enumerate(colours, start=1):
        row = header_row + offset
        data = Reference(ws, min_col=2, max_col=4, min_row=row)
        chart.add_data(data, from_rows=True, titles_from_data=True)
        series = chart.series[-1]
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    chart.set_categories(Reference(ws, min_col=3, max_col=4, min_row=header_row))
    ws.add_chart(chart, f"F{header_row}")


def _figure(cell, value, number_format: str):
    """A figure as a number (or date) with its format; a figure with no value reads as a dash."""
    cell.alignment = Alignment(horizontal="right")
    if value is None or isinstance(value, str):
        return _text(cell, fmt.NONE if value is None else value)
    cell.value = value
    cell.number_format = number_format
    return cell


def _text(cell, value: str | None):
    """Text that stays text: a value starting with '=' is never turned into a formula."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
    cell.data_type = "s"
    return cell


def _free_title(workbook: Workbook, title: str) -> str:
    """`title`, or `title (2)` and so on when the rep already has a sheet of that name."""
    taken, n, free = {name.lower() for name in workbook.sheetnames}, 1, title
    while free.lower() in taken:
        n += 1
        free = f"{title} ({n})"
    return free


# The Review sheet ----------------------------------------------------------------------------------

REVIEW_COLUMNS = (("Severity", 10), ("Section", 20), ("Sheet", 18), ("Cell", 10), ("Message", 70), ("Hint", 50))
SECTION_LINK = "section"     # the link text of a finding about a whole section or table, with no cell of its own


def _review_sheet(workbook: Workbook, findings: list[Finding], after: str):
    """One row per finding, errors first, each cell reference a link to the cell itself."""
    ws = workbook.create_sheet(_free_title(workbook, REVIEW_SHEET), workbook.sheetnames.index(after) + 1)
    ws.sheet_properties.tabColor = BRAND.gap if any(f.severity == ERROR for f in findings) else BRAND.accent
    for col, (title, width) in enumerate(REVIEW_COLUMNS, start=1):
        cell = _text(ws.cell(row=1, column=col), title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    _print_on_one_page_wide(ws)
    for row, finding in enumerate(findings, start=2):
        values = (finding.severity, finding.section, finding.sheet, finding.cell or SECTION_LINK, finding.message,
                  finding.hint)
        for col, value in enumerate(values, start=1):
            _text(ws.cell(row=row, column=col), value).alignment = WRAP
        if finding.severity in FLAG_FILLS:
            ws.cell(row=row, column=1).fill = PatternFill("solid", fgColor=FLAG_FILLS[finding.severity])
        target = _target(workbook, finding)
        if target:
            link = ws.cell(row=row, column=4)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheetname(target[0])}!{target[1]}")
            link.font = LINK_FONT
    if not findings:
        _text(ws["A2"], "No findings: nothing to fix.")
    ws.auto_filter.ref = f"A1:{get_column_letter(len(REVIEW_COLUMNS))}{max(2, len(findings) + 1)}"
    return ws


def _target(workbook: Workbook, finding: Finding) -> tuple[str, str] | None:
    """Where a finding sends the rep: its own cell, else its section's heading."""
    return _own_cell(workbook, finding) or _heading(workbook, finding.section)


def _own_cell(workbook: Workbook, finding: Finding) -> tuple[str, str] | None:
    if finding.sheet in workbook.sheetnames and CELL.fullmatch(finding.cell or ""):
        return finding.sheet, finding.cell
    return None


def _heading(workbook: Workbook, section_name: str) -> tuple[str, str] | None:
    """The title cell of a section's sheet, when the workbook has that sheet."""
    section = schema.SECTION_BY_NAME.get(section_name)
    if section and section.sheet in workbook.sheetnames:
        return section.sheet, HEADING_CELL
    return None


# Flags in place ------------------------------------------------------------------------------------

@dataclass
class Flag:
    """Everything said about one cell: the findings, and the fill when the cell itself is at fault."""

    findings: list[Finding] = field(default_factory=list)
    own: bool = False

    @property
    def fill(self) -> str | None:
        """Errors over warnings; a cell with only information, or only a note about its section, keeps its fill."""
        severities = {f.severity for f in self.findings} if self.own else set()
        return next((FLAG_FILLS[s].upper() for s in (ERROR, WARNING) if s in severities), None)


def _flags(workbook: Workbook, findings: list[Finding]) -> dict[tuple[str, str], Flag]:
    """Each finding on its own cell (filled); a note on the section's heading when the section is missing
    or the finding has no cell of its own."""
    flags: dict[tuple[str, str], Flag] = defaultdict(Flag)
    for finding in findings:
        own, heading = _own_cell(workbook, finding), _heading(workbook, finding.section)
        if own:
            flags[own].findings.append(finding)
            flags[own].own = True
        if heading and heading != own and (own is None or finding.code == "section-missing"):
            flags[heading].findings.append(finding)
    return dict(flags)


def _flag_cells(workbook: Workbook, findings: list[Finding]) -> list[tuple]:
    """Fill and comment each flagged cell; returns the record rows that let the next run undo it."""
    record = []
    for (sheet, coordinate), flag in _flags(workbook, findings).items():
        cell = _anchor(workbook[sheet], coordinate)
        original_fill = tostring(cell.fill.to_tree()).decode() if flag.fill else None
        original = cell.comment
        text = _comment_text(flag.findings, original.text if original else "")
        if flag.fill:
            cell.fill = PatternFill("solid", fgColor=flag.fill)
        cell.comment = Comment(text, PRODUCER, height=140, width=280)
        record.append(("cell", sheet, cell.coordinate, original_fill, original.text if original else None,
                       original.author if original else None, text, flag.fill))
    return record


def _anchor(ws, coordinate: str):
    """The cell itself, or the top-left cell of the merged block it is part of."""
    for block in ws.merged_cells.ranges:
        if coordinate in block:
            return ws.cell(row=block.min_row, column=block.min_col)
    return ws[coordinate]


def _comment_text(findings: list[Finding], original: str) -> str:
    parts = [f"{f.severity.capitalize()}: {f.message}" + (f"\n{f.hint}" if f.hint else "") for f in findings]
    if original:
        parts.append(f"Your note: {original}")
    return "accountplan\n" + "\n\n".join(parts)


def _record_run(workbook: Workbook, sheets: list[str], cells: list[tuple]) -> None:
    """The hidden sheet the next run reads to undo this one."""
    ws = workbook.create_sheet(FLAGS_SHEET)
    ws.sheet_state = "hidden"
    rows = [FLAGS_HEADER, *(("sheet", name) for name in sheets), *cells]
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                _text(ws.cell(row=r, column=c), value)


# Saving ----------------------------------------------------------------------------------------------

def _activate(workbook: Workbook, sheet) -> None:
    """Open on the Summary, with no other tab left selected (that would group the sheets)."""
    for ws in workbook.worksheets:
        ws.sheet_view.tabSelected = ws is sheet
    workbook.active = sheet


def _set_properties(workbook: Workbook, as_of: dt.date, account_name: str) -> None:
    """Dated from `as_of`; `lastModifiedBy` and the account as title tell `build` whose file this is."""
    when = dt.datetime.combine(as_of, dt.time())
    props = workbook.properties
    props.title = account_name if len(account_name) <= 255 else account_name[:254] + "\u2026"
    props.created = props.modified = when
    props.lastModifiedBy = PRODUCER


def _formula_values(plan: Plan, workbook: Workbook) -> dict[tuple[str, str], Any]:
    """The value the reader took from each formula cell of the plan, to save beside the formula.

    openpyxl saves formulas without their last value; without one a later read of this workbook
    would find the rep's formulas blank.
    """
    places = [(plan.places.get(name), value) for name, value in plan.fields.items()]
    places += [(row.places.get(attr), getattr(row, attr)) for rows in plan.lists.values() for row in rows
               for attr in row.places]
    values = {}
    for place, value in places:
        if place is None or value is None or place.sheet not in workbook.sheetnames:
            continue
        if workbook[place.sheet][place.cell].data_type == "f":
            values[(place.sheet, place.cell)] = value
    return values


def _save(workbook: Workbook, path: Path, as_of: dt.date, formula_values: dict) -> None:
    """Write with fixed properties and zip dates, and the formulas' values: the same plan, the same bytes."""
    blob = workbook_bytes(workbook)   # first: writing numbers the sheet parts
    parts = {ws.path.lstrip("/"): ws.title for ws in workbook.worksheets}
    by_sheet = defaultdict(dict)
    for (sheet, cell), value in formula_values.items():
        by_sheet[sheet][cell] = value

    def fill_formula_values(part: str, data: bytes) -> bytes:
        sheet = parts.get(part)
        if sheet not in by_sheet:
            return data
        return _with_formula_values(data.decode("utf-8"), by_sheet[sheet], workbook.epoch).encode("utf-8")

    write_stamped(blob, path, as_of, fill_formula_values)


def _with_formula_values(xml: str, values: dict[str, Any], epoch) -> str:
    """Fill the empty `<v>` openpyxl writes after each plain formula with the value read from it."""
    def cached(match: re.Match) -> str:
        value = values.get(match.group(2))
        if value is None:
            return match.group(0)
        if isinstance(value, bool):
            kind, text = ' t="b"', "1" if value else "0"
        elif isinstance(value, (dt.date, dt.datetime)):
            kind, text = "", repr(to_excel(value, epoch))
        elif isinstance(value, (int, float)):
            kind, text = "", repr(value)
        else:
            kind, text = ' t="str"', escape(str(value))
        return f"{match.group(1)}{kind}>{match.group(3)}<v>{text}</v></c>"

    return re.sub(r'(<c r="([A-Z]+[0-9]+)"(?: s="[0-9]+")?)>(<f>[^<]*</f>)<v(?:\s*/>|></v>)</c>', cached, xml)
