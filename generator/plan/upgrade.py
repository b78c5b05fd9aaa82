"""Moving a plan into a fresh template of the current kit: `accountplan upgrade OLD -o NEW [--kit DIR]`.

The old workbook is read in the current kit's definition, by names (plus whatever names it carries that the
kit does not know: another kit's, or an older version's fields and lists); every value is typed into a fresh
template of the kit as it was read (a number stays a number, a date a date; a value the reader refused
goes in as the rep typed it, to be fixed there), and the new workbook is read back to prove each value
landed. What has no place in the new template (a field or list the kit dropped, a column the kit's list
does not have, a formula saved without its value) is listed, never dropped silently. The old file is only
read; the new one is written atomically and never over the old one.
"""
from __future__ import annotations

import os
from dataclasses import field
from pathlib import Path
from typing import Any

from . import schema
from .. import fmt
from ..errors import OutputError
from ..kit import Kit, default_kit
from .model import Plan
from ..records import record


@record
class Left:
    """Something of the old plan with no place in the new template: a whole field or list the kit dropped,
    or one value (a column the kit's list does not have, a formula saved without its value)."""

    kind: str          # "field", "list", "column" or "value"
    name: str          # the field's name, the list's table name, or "Table › Header"
    place: str         # where it is in the old workbook (Sheet!C19), "" when not one cell
    value: str         # what it holds, as the rep sees it
    why: str

    def line(self) -> str:
        where = f" ({self.place})" if self.place else ""
        held = f" = {self.value!r}" if self.value else ""
        return f"not placed: {self.kind} {self.name}{held}{where}: {self.why}"

    def to_json(self) -> dict:
        return {"kind": self.kind, "name": self.name, "place": self.place, "value": self.value, "why": self.why}


@record(frozen=False)
class Upgrade:
    """What `upgrade` did: where from and to, how much moved, what did not, and what else to know."""

    old: str
    new: str
    made_with: str                  # the old plan's kit, in words
    now: str                        # the current kit, in words
    fields: int = 0                 # single fields moved with a value
    rows: int = 0                   # list rows moved
    left: list[Left] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # nothing lost: blank dropped fields, questions added...

    @property
    def complete(self) -> bool:
        """Every value of the old plan has its place in the new one."""
        return not self.left

    def lines(self) -> list[str]:
        lines = [f"read {self.old}: made with {self.made_with}",
                 f"wrote {self.new}: {self.now} · {_count(self.fields, 'field')} and {_count(self.rows, 'row')} "
                 "moved"]
        lines += [f"note: {note}" for note in self.notes]
        lines += [left.line() for left in self.left]
        if self.left:
            lines.append(f"{_count(len(self.left), 'item')} not placed: type what matters into {self.new} by "
                         f"hand, and keep {self.old} until then")
        return lines

    def to_json(self) -> dict:
        return {"old": self.old, "new": self.new, "made_with": self.made_with, "now": self.now,
                "fields": self.fields, "rows": self.rows, "not_placed": [left.to_json() for left in self.left],
                "notes": list(self.notes)}


def upgrade(old: str | os.PathLike, new: str | os.PathLike, kit: Kit | None = None, force: bool = False) -> Upgrade:
    """Move every value of the plan `old` into a fresh template of `kit` (the built-in one when None) saved
    as `new`; raises an UnusableFileError when `old` cannot be used and an OutputError when `new` may not be
    written (it is `old`, it exists and `force` is not given, it is not .xlsx)."""
    from ..pipeline import atomic_output
    from .reader import read_plan

    kit = kit or default_kit()
    old, new = Path(old), Path(new)
    plan = read_plan(old, definition=kit.definition)      # refuses a file that cannot be used at all (exit 2)
    _check_target(old, new, force)
    data, moved = moved_into_template(plan, kit, str(new))
    with atomic_output(new) as tmp:
        tmp.write_bytes(data)
    moved.old = str(old)
    return moved


def moved_into_template(plan: Plan, kit: Kit, name: str) -> tuple[bytes, Upgrade]:
    """`plan` (read in `kit`'s definition) moved into a fresh template of `kit`: the new workbook's bytes,
    read back to prove each value landed (shown as `name`), and what moved and what did not. What `upgrade`
    writes, and what the web page offers a rep whose plan was made with another template."""
    import io

    from .reader import read_plan
    from .template import _save, filled_workbook

    data, moved = plan_data(plan, kit)
    workbook, _ = filled_workbook(data, kit)
    buffer = io.BytesIO()
    _save(workbook, buffer)
    moved.left += _not_read_back(plan, read_plan(buffer.getvalue(), name, kit.definition), kit)
    moved.old, moved.new = plan.file, name
    return buffer.getvalue(), moved


def _check_target(old: Path, new: Path, force: bool) -> None:
    if _same_file(old, new):
        raise OutputError("refusing to write over the plan being upgraded; give another file (-o)", file=str(new))
    if new.suffix.lower() != ".xlsx":
        raise OutputError("the upgraded plan must be saved as .xlsx", file=str(new))
    if (new.exists() or new.is_symlink()) and not force:
        raise OutputError("already exists; use --force to overwrite it", file=str(new))
    if new.exists() and not new.is_file():
        raise OutputError("is not a file", file=str(new))
    try:
        new.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder ({exc.strerror})", file=str(new.parent)) from exc


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


# What moves where ------------------------------------------------------------------------------------

def plan_data(plan: Plan, kit: Kit) -> tuple[dict, Upgrade]:
    """The plan's values as the template writer takes them ({"fields": ..., "lists": ...} in `kit`'s
    definition), and the account of what moved and what has no place."""
    from ..assess.validate import kit_words

    d = kit.definition
    origin = plan.origin
    moved = Upgrade(plan.file, "", kit_words(origin.kit, origin.version) if origin else "code", kit_words(kit))
    fields: dict[str, Any] = {}
    lists: dict[str, list[dict]] = {}
    new_items = []
    for item in d.fields.values():
        if item.name in plan.not_found:          # not in the old template: the new one's own (blank) cell
            new_items.append(f"field {item.name}")
            continue
        value = _cell_value(plan, item.kind, plan.fields.get(item.name), plan.places.get(item.name),
                            item.name in plan.typed)
        fields[item.name] = value              # None too: a blank stays blank (no pre-filled currency over it)
        if value is not None:
            moved.fields += 1
        lost = _formula_lost(plan, plan.places.get(item.name), value)
        if lost:
            moved.left.append(Left("value", item.name, str(plan.places[item.name]), lost,
                                   "a formula saved without its value: type the value in the new plan"))
    for spec in d.lists.values():
        if spec.table in plan.not_found:
            new_items.append(f"list {spec.table}")
            continue
        rows = []
        for row in plan.lists.get(spec.table, []):
            values = {}
            for column in spec.columns:
                place = row.place(column.attr)
                value = _cell_value(plan, column.kind, getattr(row, column.attr), place, column.attr in row.typed,
                                    column.default)
                values[column.header] = value
                lost = _formula_lost(plan, place, value)
                if lost:
                    moved.left.append(Left("value", f"{spec.table} › {column.header}", str(place), lost,
                                           "a formula saved without its value: type the value in the new plan"))
            if any(v is not None for v in values.values()):
                rows.append(values)
        moved.rows += len(rows)
        moved.left += _columns_left(plan, spec, kit)
        rows += _questions(spec, rows, moved)
        lists[spec.table] = rows
    moved.left += _dropped(plan, kit, moved)
    if new_items:
        moved.notes.append(f"new in {moved.now}, blank to fill in: {', '.join(new_items)}")
    refused = len(plan.typed) + sum(len(row.typed) for rows in plan.lists.values() for row in rows)
    if refused:
        moved.notes.append(f"{_count(refused, 'value')} that could not be used moved as typed, still to fix "
                           "(`accountplan validate` names them)")
    return {"fields": fields, "lists": lists}, moved


def _cell_value(plan: Plan, kind: str, value: Any, place, refused: bool, default: Any = None) -> Any:
    """What to type in the new cell: the value read (its type kept: a number, a date, a choice as spelt in
    the list); a value refused as it was typed; a mark as X; a column's default only where the rep typed it."""
    raw = _raw(plan, place)
    if refused:
        return raw if raw is not None and not _is_formula(plan, place) else value
    if kind == schema.MARK:                  # the mark as typed (a word the reader did not take stays to be seen)
        return raw if raw not in (None, "") and not _is_formula(plan, place) else ("X" if value else None)
    if default is not None and value == default and raw in (None, ""):
        return None
    return value


def _raw(plan: Plan, place) -> Any:
    """The old cell's content (a formula as its text), None when there is no such cell."""
    if place is None or plan.workbook is None or place.sheet not in plan.workbook.sheetnames:
        return None
    cell = plan.workbook[place.sheet]._cells.get(_row_col(place.cell))
    return None if cell is None else cell.value


def _is_formula(plan: Plan, place) -> bool:
    if place is None or plan.workbook is None or place.sheet not in plan.workbook.sheetnames:
        return False
    cell = plan.workbook[place.sheet]._cells.get(_row_col(place.cell))
    return cell is not None and cell.data_type == "f"


def _formula_lost(plan: Plan, place, value: Any) -> str:
    """The formula's text when the old cell is a formula saved without its value (nothing to move)."""
    if value is None and _is_formula(plan, place):
        return str(_raw(plan, place))
    return ""


def _row_col(coordinate: str) -> tuple[int, int]:
    from openpyxl.utils import column_index_from_string

    letters = coordinate.rstrip("0123456789")
    return int(coordinate[len(letters):]), column_index_from_string(letters)


def _questions(spec: schema.ListSpec, rows: list[dict], moved: Upgrade) -> list[dict]:
    """The kit's pre-filled rows (its questions) the plan does not have yet, to go below the plan's own."""
    from .coerce import match_key

    if not spec.prefill:
        return []
    first = spec.columns[0].header
    have = {match_key(row.get(first)) for row in rows if isinstance(row.get(first), str)}
    added = [{spec.columns[i].header: value for i, value in enumerate(values)}
             for values in spec.prefill if match_key(values[0]) not in have]
    if added and rows:
        moved.notes.append(f"{spec.table}: {_count(len(added), 'row')} of {moved.now} added below the plan's own")
    return added


def _columns_left(plan: Plan, spec: schema.ListSpec, kit: Kit) -> list[Left]:
    """Values under a header of the old list that the kit's list does not have."""
    from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

    where = plan.tables.get(spec.table)
    if where is None or plan.workbook is None or where.sheet not in plan.workbook.sheetnames:
        return []
    ws = plan.workbook[where.sheet]
    known = {column_index_from_string(letter) for letter in where.columns.values()}
    if not known:
        return []
    span = None
    for table in ws.tables.values():
        t_min_col, t_min_row, t_max_col, _ = range_boundaries(table.ref)
        if t_min_row == where.header_row and t_min_col <= max(known) and t_max_col >= min(known):
            span = (t_min_col, t_max_col)
            break
    if span is None:
        first, last = min(known), max(known)
        while first > 1 and _filled(ws, where.header_row, first - 1):
            first -= 1
        while _filled(ws, where.header_row, last + 1):
            last += 1
        span = (first, last)
    left = []
    for col in range(span[0], span[1] + 1):
        header = ws._cells.get((where.header_row, col))
        if col in known or header is None or header.value in (None, ""):
            continue
        for row in plan.lists.get(spec.table, []):
            cell = ws._cells.get((row.excel_row, col)) if row.excel_row else None
            if cell is None or cell.value in (None, ""):
                continue
            left.append(Left("column", f"{spec.table} › {header.value}",
                             f"{where.sheet}!{get_column_letter(col)}{row.excel_row}",
                             fmt.as_typed(cell.value, cell.number_format or ""),
                             f"the {spec.table} list of {kit_words_of(kit)} has no column '{header.value}'"))
    return left


def _filled(ws, row: int, col: int) -> bool:
    cell = ws._cells.get((row, col))
    return cell is not None and cell.value not in (None, "")


def _dropped(plan: Plan, kit: Kit, moved: Upgrade) -> list[Left]:
    """The fields and lists of the old plan's kit that the current kit does not have: what they held."""
    left = []
    blank = []
    for name, (place, value) in plan.unknown_fields.items():
        if value in (None, ""):
            blank.append(f"field {name}")
            continue
        left.append(Left("field", name, str(place), fmt.as_typed(value, _format(plan, place)),
                         f"{moved.now} has no field {name}"))
    for table, (sheet, rows) in plan.unknown_lists.items():
        if not rows:
            blank.append(f"list {table}")
            continue
        left.append(Left("list", table, sheet, _count(len(rows), "row"), f"{moved.now} has no list {table}"))
    if blank:
        moved.notes.append(f"not in {moved.now}, and blank in the plan (nothing to move): {', '.join(blank)}")
    return left


def _format(plan: Plan, place) -> str:
    if place is None or plan.workbook is None or place.sheet not in plan.workbook.sheetnames:
        return ""
    cell = plan.workbook[place.sheet]._cells.get(_row_col(place.cell))
    return (cell.number_format or "") if cell is not None else ""


def kit_words_of(kit: Kit) -> str:
    from ..assess.validate import kit_words

    return kit_words(kit)


# The proof ----------------------------------------------------------------------------------------------

def _not_read_back(old: Plan, new: Plan, kit: Kit) -> list[Left]:
    """Every value moved, read back from the new workbook: any that does not read as it did is not placed."""
    left = []
    for item in kit.definition.fields.values():
        if item.name in old.not_found:
            continue
        before, after = _seen(old, item.name), _seen(new, item.name)
        if before != after:
            left.append(Left("value", item.name, str(old.places.get(item.name, "")), fmt.as_typed(before[0]),
                             f"reads back as {fmt.as_typed(after[0])!r} in the new template"))
    for spec in kit.definition.lists.values():
        if spec.table in old.not_found:
            continue
        before = [r for r in (_row_seen(row, spec) for row in old.lists.get(spec.table, [])) if _any(r, spec)]
        after = [r for r in (_row_seen(row, spec) for row in new.lists.get(spec.table, [])) if _any(r, spec)]
        for i, row in enumerate(before):
            if i >= len(after) or after[i] != row:
                place = old.tables.get(spec.table)
                left.append(Left("value", f"{spec.table} row {i + 1}", place.sheet if place else "",
                                 ", ".join(fmt.as_typed(v) for v, _ in row if v not in (None, False)),
                                 "does not read back the same in the new template"))
    return left


def _seen(plan: Plan, name: str) -> tuple[Any, str | None]:
    return plan.fields.get(name), plan.typed.get(name)


def _row_seen(row, spec: schema.ListSpec) -> tuple:
    return tuple((getattr(row, c.attr), row.typed.get(c.attr)) for c in spec.columns)


def _any(row: tuple, spec: schema.ListSpec) -> bool:
    """The row holds something besides blanks and its columns' defaults."""
    return any(typed or (value not in (None, False, "") and value != column.default)
               for (value, typed), column in zip(row, spec.columns))


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
