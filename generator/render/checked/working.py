"""The workbook the checked copy is made from: the rep's own (copied, never changed) or, for a plan built in
code, the blank template filled in from the view; undoing a previous run's flags; recording this run's."""
from __future__ import annotations

import io
import re
import warnings
from dataclasses import field, replace
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles.fills import Fill
from openpyxl.xml.functions import fromstring

from ...ooxml import workbook_bytes
from ...plan import schema
from ...kit import Kit
from ...plan.model import Place, Plan, TablePlace
from ...plan.template import filled_workbook
from ...view import PlanView
from .styles import text
from ...records import record

FLAGS_SHEET = "_accountplan_flags"
FLAGS_HEADER = ("kind", "sheet", "cell", "original fill", "original comment", "original author", "flag comment",
                "flag fill")
CELL = re.compile(r"[A-Z]{1,3}[1-9][0-9]*")


@record
class Source:
    """The rep's workbook as read, and what the renderer needs of the reading: where each field and table
    sits (for the drop-downs), and the value read from each formula cell (openpyxl saves formulas without
    one, and a later read would find the rep's formulas blank)."""

    workbook: Workbook
    formula_values: dict[tuple[str, str], Any] = field(default_factory=dict)   # (sheet, cell) -> value
    places: dict[str, Place] = field(default_factory=dict)                     # field name -> its cell
    tables: dict[str, TablePlace] = field(default_factory=dict)


def source_of(plan: Plan) -> Source | None:
    """The source of a plan read from a workbook; None for a plan built in code."""
    if plan.workbook is None:
        return None
    return Source(plan.workbook, _formula_values(plan), dict(plan.places), dict(plan.tables))


def _formula_values(plan: Plan) -> dict[tuple[str, str], Any]:
    """The value the reader took from each formula cell of the plan."""
    formulas = {(ws.title, cell.coordinate) for ws in plan.workbook.worksheets for cell in ws._cells.values()
                if cell.data_type == "f"}
    if not formulas:
        return {}
    places = [(plan.places.get(name), value) for name, value in plan.fields.items()]
    places += [(row.places.get(attr), getattr(row, attr)) for rows in plan.lists.values() for row in rows
               for attr in row.places]
    values = {}
    for place, value in places:
        if place is not None and value is not None and (place.sheet, place.cell) in formulas:
            values[(place.sheet, place.cell)] = value
    return values


def working_copy(view: PlanView, kit: Kit, source: Source | None, in_place: bool = False) -> Source:
    """A private copy of the rep's workbook (the workbook itself when `in_place`: `build` reads it no more
    once the checked copy is made); for a plan built in code, the kit's template filled in.

    The copy is the workbook written out and read back, in memory and uncompressed. openpyxl has no
    copy of a whole workbook, and Python's (`copy.deepcopy`, pickle) breaks its containers without a
    word: the style lists come back empty (every cell loses its format), the tables come back as their
    ranges, the row and column sizes can take no new one. Written and read back, the copy is what openpyxl
    itself would save; the source is not touched (not even the modified date `save()` stamps)."""
    if source is None:
        return _from_template(view, kit)
    if in_place:
        for ws in source.workbook.worksheets:
            _tidy(ws)
        return source
    with warnings.catch_warnings():   # what openpyxl warns of here, the reader met and reported already
        warnings.simplefilter("ignore")
        workbook = load_workbook(io.BytesIO(workbook_bytes(source.workbook, app_properties=False)),
                                 rich_text=False)
    for ws in workbook.worksheets:
        _tidy(ws)
    return replace(source, workbook=workbook)


def _tidy(ws) -> None:
    """What the format rules call for, with nothing a rep sees changed: an empty text is an empty cell, and a
    link to a place in the workbook (`#'Sheet'!A1`, as earlier templates stored it) is a location in it
    rather than an external address."""
    for cell in ws._cells.values():
        if cell.value == "" or (cell.value is None and cell.data_type in ("s", "str", "inlineStr")):
            cell.value = None
        link = cell.hyperlink
        if link is not None and isinstance(link.target, str) and link.target.startswith("#"):
            link.location = link.location or link.target[1:]
            link.target = link.id = None


def _from_template(view: PlanView, kit: Kit) -> Source:
    """The plan typed into the blank template in memory, with the places the template gave each value."""
    workbook, layout = filled_workbook(_plan_data(view), kit)
    places = {name: Place(*where) for name, where in layout.cells.items()}
    tables = {table: TablePlace(sheet, header, layout.columns[table])
              for table, (sheet, header) in layout.tables.items()}
    return Source(workbook, {}, places, tables)


def _plan_data(view: PlanView) -> dict:
    """The plan as the template writer takes it: values by defined name, rows in the plan's order by header."""
    fields, lists = {}, {}
    for section in view.sections:
        fields.update((item.name, item.cell.value) for item in section.fields if item.cell.value is not None)
        for listed in section.lists:
            rows = sorted(listed.rows, key=lambda row: row.index)
            lists[listed.table] = [{c.header: _typed_back(c.kind, row.values.get(c.attr)) for c in listed.columns}
                                   for row in rows]
    return {"fields": fields, "lists": lists}


def _typed_back(kind: str, value: Any) -> Any:
    if kind == schema.MARK:
        return "X" if value else None
    return value


# Undoing the previous run ---------------------------------------------------------------------------

def undo_previous_run(workbook: Workbook) -> None:
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
    if fill and flag_fill and colour(cell.fill) == flag_fill:
        try:
            cell.fill = Fill.from_tree(fromstring(fill))
        except (SyntaxError, TypeError, ValueError):   # the hidden record was edited by hand: leave the fill
            pass
    if cell.comment is not None and cell.comment.text == flag_comment:
        cell.comment = Comment(comment, author or "") if comment else None


def colour(fill) -> str | None:
    """The RRGGBB of a solid fill, else None."""
    rgb = getattr(fill.fgColor, "rgb", None)
    return rgb[-6:].upper() if fill.fill_type == "solid" and isinstance(rgb, str) else None


# Recording this run --------------------------------------------------------------------------------

def record_run(workbook: Workbook, sheets: list[str], cells: list[tuple]) -> None:
    """The hidden sheet the next run reads to undo this one: the sheets added, and each flagged cell's
    fill and comment before the flag."""
    ws = workbook.create_sheet(FLAGS_SHEET)
    ws.sheet_state = "hidden"
    rows = [FLAGS_HEADER, *(("sheet", name) for name in sheets), *cells]
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                text(ws.cell(row=r, column=c), value)
