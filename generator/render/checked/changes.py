"""What changed since an earlier version (`build --since`): a Changes sheet with one row per change, and a
proposed row in the plan's own review log for the rep to keep or edit.

The sheet is recorded like the Summary and the Review, so a rebuild removes it first. The proposed row is the
rep's data once written: it carries the comment `diff.PROPOSED_REVIEW` on its first cell (and the warning fill)
while it is still a proposal, so a rebuild finds it and writes this build's proposal over it instead of adding a
second; a review the log already has on the build's date (the rep kept the proposal) gets no new one."""
from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from ... import PRODUCER
from ...assess.findings import WARNING
from ...plan.template import WRAP
from ...view import PlanView
from .styles import Styles, free_title, one_page_wide, text

CHANGES_SHEET = "Changes"
WIDTHS = (18, 40, 20, 28, 28)
REVIEWS = "Reviews"


def changes_sheet(workbook: Workbook, view: PlanView, after: str, look: Styles):
    """One row per change (area, item, column, before, after) after the sheet `after`, in the diff's words (the
    kit's `wording.diff`); returns the sheet."""
    from ...diff import change_columns, change_rows, since_title   # only a build --since needs it

    diff = view.changes
    columns = change_columns(diff)
    ws = workbook.create_sheet(free_title(workbook, CHANGES_SHEET), workbook.sheetnames.index(after) + 1)
    ws.sheet_properties.tabColor = look.brand.accent
    text(ws["A1"], diff.words["sheet_title"].format(title=since_title(diff), summary=diff.summary)).font = \
        look.heading_font
    for col, (title, width) in enumerate(zip(columns, WIDTHS), start=1):
        cell = text(ws.cell(row=2, column=col), title)
        cell.font, cell.fill = look.header_font, look.header_fill
        ws.column_dimensions[get_column_letter(col)].width = width
    rows = change_rows(diff)
    for r, values in enumerate(rows, start=3):
        for col, value in enumerate(values, start=1):
            text(ws.cell(row=r, column=col), value or None).alignment = WRAP
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{max(3, len(rows) + 2)}"
    one_page_wide(ws)
    return ws


def propose_review(workbook: Workbook, view: PlanView, tables: dict, look: Styles) -> int | None:
    """Write the proposed review (date: as of, type, what changed: the summary) into the Reviews table: over
    a previous build's proposal still marked as one, else in its first empty row (the table grown by a row
    when it has none); nothing when the log has a review on that date already. Returns the row written."""
    from ...diff import PROPOSED_REVIEW, REVIEW_TYPE   # only a build --since needs it

    place = tables.get(REVIEWS)
    if place is None or place.sheet not in workbook.sheetnames:
        return None
    ws = workbook[place.sheet]
    columns = place.columns
    if "date" not in columns:
        return None
    table = ws.tables.get(REVIEWS)
    last = _last_row(table.ref) if table is not None else ws.max_row
    target = None
    for row in range(place.header_row + 1, last + 1):
        first = ws[f"{columns['date']}{row}"]
        if first.comment is not None and PROPOSED_REVIEW in (first.comment.text or ""):
            target = row
            break
        if _day(first.value) == view.as_of:
            return None
        if target is None and all(ws[f"{letter}{row}"].value in (None, "") for letter in columns.values()):
            target = row
    if target is None:
        target = last + 1
        if table is not None:
            start, end = table.ref.split(":")
            table.ref = f"{start}:{''.join(ch for ch in end if ch.isalpha())}{target}"
    values = {"date": view.as_of, "type": REVIEW_TYPE, "what_changed": view.changes.summary}
    for attr, value in values.items():
        if attr in columns:
            cell = ws[f"{columns[attr]}{target}"]
            cell.value = value
            if attr == "date":
                cell.number_format = "d mmm yyyy" if cell.number_format == "General" else cell.number_format
    first = ws[f"{columns['date']}{target}"]
    first.comment = Comment(PROPOSED_REVIEW, PRODUCER, height=60, width=240)
    fill = look.flag_fill(WARNING)
    if fill:
        first.fill = PatternFill("solid", fgColor=fill)
    return target


def _last_row(ref: str) -> int:
    end = ref.split(":")[-1]
    return int("".join(ch for ch in end if ch.isdigit()))


def _day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None
