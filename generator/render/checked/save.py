"""Saving the checked workbook: open on the Summary, dated from `as_of`, the rep's formulas with their values,
and the same bytes for the same plan."""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.utils.datetime import to_excel

from ... import PRODUCER
from ...ooxml import workbook_bytes, write_stamped


def activate(workbook: Workbook, sheet) -> None:
    """Open on `sheet`, with no other tab left selected (that would group the sheets)."""
    for ws in workbook.worksheets:
        ws.sheet_view.tabSelected = ws is sheet
    workbook.active = sheet


def set_properties(workbook: Workbook, as_of: dt.date, account_name: str) -> None:
    """Dated from `as_of`; `lastModifiedBy` and the account as title tell `build` whose file this is."""
    when = dt.datetime.combine(as_of, dt.time())
    props = workbook.properties
    props.title = account_name if len(account_name) <= 255 else account_name[:254] + "\u2026"
    props.created = props.modified = when
    props.lastModifiedBy = PRODUCER


def save(workbook: Workbook, path: Path, as_of: dt.date, formula_values: dict[tuple[str, str], Any]) -> None:
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
