"""Drop-downs put back: Excel stores list validations that point at another sheet as extensions, which
openpyxl drops on a round trip; every choice cell of the definition gets a list drop-down again."""
from __future__ import annotations

from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.datavalidation import DataValidation

from ...plan.schema import Definition
from ...plan.template import VALIDATION_ROWS
from ...view import PlanView
from .working import Source


def ensure_dropdowns(workbook: Workbook, definition: Definition, where: Source, view: PlanView) -> None:
    """A list drop-down on every choice field and on each choice column, down to its last row (or as far as
    the template's own reach, for rows typed past the table's end)."""
    for name, item in definition.fields.items():
        place = where.places.get(name)
        if item.choices and place and place.sheet in workbook.sheetnames:
            column, row = _split(place.cell)
            _ensure_list(workbook[place.sheet], column, row, row, item.choices, item.label)
    for table, at in where.tables.items():
        spec = definition.lists.get(table)
        if spec is None or at.sheet not in workbook.sheetnames:
            continue
        rows = view.list(table).rows
        last = max([at.header_row + VALIDATION_ROWS, at.header_row + len(rows), *(r.excel_row for r in rows)])
        for column in spec.columns:
            letter = at.columns.get(column.attr)
            if column.choices and letter:
                _ensure_list(workbook[at.sheet], letter, at.header_row + 1, last, column.choices, column.header)


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
