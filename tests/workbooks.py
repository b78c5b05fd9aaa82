"""Helpers that write plan workbooks through the template and edit them as a rep would."""
from __future__ import annotations

from pathlib import Path
from collections.abc import Callable

import openpyxl

from generator.plan.template import write_filled


def write_plan(data: dict, path: Path, edit: Callable | None = None) -> Path:
    """Write `data` through the template; `edit(workbook)` then changes it like a rep in Excel."""
    write_filled(data, path)
    if edit is not None:
        wb = openpyxl.load_workbook(path)
        edit(wb)
        wb.save(path)
    return path


def set_cell(sheet: str, cell: str, value) -> Callable:
    def edit(wb):
        wb[sheet][cell].value = value
        if isinstance(value, str) and not value.startswith("="):
            wb[sheet][cell].data_type = "s"
    return edit
