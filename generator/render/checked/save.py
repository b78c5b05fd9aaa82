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
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.datetime import to_excel

from ... import PRODUCER
from ...ooxml import workbook_bytes, write_stamped
from ...view import PlanView


def activate(workbook: Workbook, sheet) -> None:
    """Open on `sheet`, with no other tab left selected (that would group the sheets)."""
    for ws in workbook.worksheets:
        ws.sheet_view.tabSelected = ws is sheet
    workbook.active = sheet


SUBJECT = "Account plan"
MAX_PROPERTY = 255           # the characters Office keeps of a core property


def set_properties(workbook: Workbook, view: PlanView) -> None:
    """What File › Properties shows, from the plan: the account as title, the period as subject, the account
    owner as author, the position, industry and region as keywords; dated from `as_of`, never printed.
    `lastModifiedBy` and the title tell `build` whose file this is."""
    when = dt.datetime.combine(view.as_of, dt.time())
    props = workbook.properties
    period = _given(view, "plan_period")
    props.title = _property("" if view.account_missing else view.account)
    props.subject = _property(" · ".join(part for part in (SUBJECT, period) if part))
    props.creator = _property(_given(view, "account_owner") or PRODUCER)
    keywords = (view.position, _given(view, "industry"), _given(view, "region"))
    props.keywords = _property("; ".join(k for k in keywords if k)) or None
    props.created = props.modified = when
    props.lastPrinted = None
    props.lastModifiedBy = PRODUCER


def _given(view: PlanView, name: str) -> str | None:
    """A single field's text on one line, None when the plan leaves it blank (or has no such field)."""
    cell = view.facts.get(name)
    if cell is None or cell.value is None or cell.value == "":
        return None
    return " ".join(cell.text.split()) or None


def _property(text: str) -> str:
    """A core property as Office keeps it: no character XML cannot hold, at most 255 characters."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text if len(text) <= MAX_PROPERTY else text[:MAX_PROPERTY - 1] + "\u2026"


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
