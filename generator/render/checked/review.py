"""The Review sheet (one row per finding, linked to its cell) and the flags in place: each cell at fault
filled and commented, and a note on a section's heading for what has no cell of its own."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import field

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.xml.functions import tostring

from ... import PRODUCER
from ...assess.findings import ERROR, WARNING
from ...plan.template import WRAP
from ...view import FindingLine, PlanView
from .styles import Styles, free_title, one_page_wide, text
from .working import CELL
from ...records import record

REVIEW_SHEET = "Review"
REVIEW_COLUMNS = (("Severity", 10), ("Section", 20), ("Sheet", 18), ("Cell", 10), ("Message", 70), ("Hint", 50))
SECTION_LINK = "section"     # the link text of a finding about a whole section or table, with no cell of its own
NO_FINDINGS = "No findings: nothing to fix."
HEADING_CELL = "A1"          # where a section's sheet carries its title in the template
SECTION_MISSING = "section-missing"


class Places:
    """Where a finding sends the rep in this workbook: its own cell, else its section's heading."""

    def __init__(self, workbook: Workbook, view: PlanView):
        self.workbook = workbook
        self.section_sheets = {s.name: s.sheet for s in view.sections}

    def own(self, finding: FindingLine) -> tuple[str, str] | None:
        if finding.sheet in self.workbook.sheetnames and CELL.fullmatch(finding.cell or ""):
            return finding.sheet, finding.cell
        return None

    def heading(self, finding: FindingLine) -> tuple[str, str] | None:
        sheet = self.section_sheets.get(finding.section)
        return (sheet, HEADING_CELL) if sheet in self.workbook.sheetnames else None

    def target(self, finding: FindingLine) -> tuple[str, str] | None:
        return self.own(finding) or self.heading(finding)


def review_sheet(workbook: Workbook, view: PlanView, after: str, look: Styles):
    """One row per finding, errors first, each cell reference a link to the cell itself; returns the sheet."""
    findings, places = view.findings, Places(workbook, view)
    ws = workbook.create_sheet(free_title(workbook, REVIEW_SHEET), workbook.sheetnames.index(after) + 1)
    ws.sheet_properties.tabColor = look.brand.gap if any(f.severity == ERROR for f in findings) else look.brand.accent
    for col, (title, width) in enumerate(REVIEW_COLUMNS, start=1):
        cell = text(ws.cell(row=1, column=col), title)
        cell.font, cell.fill = look.header_font, look.header_fill
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    one_page_wide(ws)
    for row, finding in enumerate(findings, start=2):
        values = (finding.severity, finding.section, finding.sheet, finding.cell or SECTION_LINK, finding.message,
                  finding.hint)
        for col, value in enumerate(values, start=1):
            text(ws.cell(row=row, column=col), value).alignment = WRAP
        fill = look.flag_fill(finding.severity)
        if fill:
            ws.cell(row=row, column=1).fill = PatternFill("solid", fgColor=fill)
        target = places.target(finding)
        if target:
            link = ws.cell(row=row, column=4)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheetname(target[0])}!{target[1]}")
            link.font = look.link_font
    if not findings:
        text(ws["A2"], NO_FINDINGS)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(REVIEW_COLUMNS))}{max(2, len(findings) + 1)}"
    return ws


# Flags in place ------------------------------------------------------------------------------------

@record(frozen=False)
class Flag:
    """Everything said about one cell: the findings, and whether the cell itself is at fault."""

    findings: list[FindingLine] = field(default_factory=list)
    own: bool = False

    def fill(self, look: Styles) -> str | None:
        """Errors over warnings; a cell with only information, or only a note about its section, keeps its fill."""
        severities = {f.severity for f in self.findings} if self.own else set()
        return next((look.flag_fill(s).upper() for s in (ERROR, WARNING) if s in severities), None)


def _flags(places: Places, findings: tuple[FindingLine, ...]) -> dict[tuple[str, str], Flag]:
    """Each finding on its own cell (filled); a note on the section's heading when the section is missing
    or the finding has no cell of its own."""
    flags: dict[tuple[str, str], Flag] = defaultdict(Flag)
    for finding in findings:
        own, heading = places.own(finding), places.heading(finding)
        if own:
            flags[own].findings.append(finding)
            flags[own].own = True
        if heading and heading != own and (own is None or finding.code == SECTION_MISSING):
            flags[heading].findings.append(finding)
    return dict(flags)


def flag_cells(workbook: Workbook, view: PlanView, look: Styles) -> list[tuple]:
    """Fill and comment each flagged cell; returns the record rows that let the next run undo it."""
    record = []
    for (sheet, coordinate), flag in _flags(Places(workbook, view), view.findings).items():
        cell = _anchor(workbook[sheet], coordinate)
        fill = flag.fill(look)
        original_fill = tostring(cell.fill.to_tree()).decode() if fill else None
        original = cell.comment
        note = _comment_text(flag.findings, original.text if original else "")
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
        cell.comment = Comment(note, PRODUCER, height=140, width=280)
        record.append(("cell", sheet, cell.coordinate, original_fill, original.text if original else None,
                       original.author if original else None, note, fill))
    return record


def _anchor(ws, coordinate: str):
    """The cell itself, or the top-left cell of the merged block it is part of."""
    for block in ws.merged_cells.ranges:
        if coordinate in block:
            return ws.cell(row=block.min_row, column=block.min_col)
    return ws[coordinate]


def _comment_text(findings: list[FindingLine], original: str) -> str:
    parts = [f"{f.severity.capitalize()}: {f.message}" + (f"\n{f.hint}" if f.hint else "") for f in findings]
    if original:
        parts.append(f"Your note: {original}")
    return "accountplan\n" + "\n\n".join(parts)
