"""Reading a planning workbook into the plan model, as tolerantly as the contract allows.

Fields are found by defined name and lists by table name, wherever the rep moved them; where a
name or a table was lost (another program, Convert to Range, a copied sheet), by the field's label
and the list's header row, with a finding saying so. Every value keeps the sheet and cell it came
from. What cannot be used becomes None plus a finding; only a file that cannot be used at all
raises (an `UnusableFileError`).
"""
from __future__ import annotations

import bisect
import functools
import math
import os
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

from .. import fmt
from ..assess import findings
from . import schema
from .clean import clean_text
from .coerce import CURRENCY_TOKENS, coerce, match_key
from ..errors import NotAWorkbookError, NotAnAccountPlanError, TemplateTooNewError
from ..assess.figures import is_prefill
from .model import Origin, Place, Plan, TablePlace, row_class
from .sniff import sniff

RESAVE = "open it in Excel and save it again as Excel Workbook (.xlsx)"
# A row that only adds up the rows above it (a rep's own totals line), when its amounts say so.
TOTAL_WORDS = re.compile(r"(grand\s*total|sub\s*-?\s*total|totals?|sum)\s*:?", re.IGNORECASE)
_SUM_FORMULA = re.compile(r"=\s*(SUM|SUBTOTAL|AGGREGATE)\s*\((.*)\)\s*", re.IGNORECASE)
_CELL_REF = re.compile(r"\$?([A-Z]{1,3})\$?\d+")
_CURRENCY_SIGNS = {sign: codes[0] for sign, codes in CURRENCY_TOKENS.items() if len(sign) == 1}
_CURRENCY_CODES = {c.lower() for c in schema.CURRENCIES}


def read_plan(source: str | os.PathLike | bytes, name: str = "",
              definition: schema.Definition = schema.DEFAULT_DEFINITION) -> Plan:
    """The plan in the workbook at the path `source`, or in its bytes (an upload: `name` shows in
    messages), read in `definition` (a kit's: its extra fields and lists too); a file is only read, never
    written, and bytes never touch the disk."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, path = bytes(source), Path(name or "upload.xlsx")
        sniff(data, str(path))
    else:
        data, path = None, Path(source)
        sniff(path)
    book = _load(path, data_only=False, data=data)
    reader = _Reader(path, book, data, definition)
    return reader.read()


def _load(path: Path, data_only: bool, data: bytes | None = None):
    import io

    import openpyxl

    try:
        with warnings.catch_warnings():   # openpyxl warns of parts it drops (Excel's extensions): not the rep's concern
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data) if data is not None else path, data_only=data_only,
                                          rich_text=False)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError, AttributeError) as exc:
        raise NotAWorkbookError(f"cannot be read as an Excel workbook ({_reason(exc)})", hint=RESAVE, code="damaged",
                                file=str(path)) from exc
    except Exception as exc:  # openpyxl raises many kinds on malformed parts; all mean "not usable"
        raise NotAWorkbookError(f"the workbook is damaged ({_reason(exc)})", hint=RESAVE, code="damaged",
                                file=str(path)) from exc


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:120]


# Headers and labels as reps decorate them ----------------------------------------------------------

def header_key(text: object) -> str:
    """A header or label compared without case, spacing, units or decorations.

    `Probability %`, `Value (USD)`, `Close date (est.)`, `Opportunity #`, `No. Stage`, `Owner:` and
    `Account name *` read as `probability`, `value`, `close date`, `opportunity`, `stage`, `owner`
    and `account name`.
    """
    return _header_key(text if isinstance(text, str) or text is None else str(text))


@functools.lru_cache(maxsize=4096)
def _header_key(text: str | None) -> str:
    key = match_key(text)
    if not key or not (set(key) & set("()[]%#:*?.!") | set(_CURRENCY_SIGNS) or key.rsplit(" ", 1)[-1] in _CURRENCY_CODES):
        return key
    key = re.sub(r"[(\[][^)\]]*[)\]]?", " ", key)            # (USD), (est.), [optional], (1-5)
    key = re.sub(r"[%#$€£¥₹]", " ", key)
    key = re.sub(r"(^|\s)no\.(?=\s|$)", " ", key)
    key = " ".join(key.split())
    key = re.sub(r"[\s:*?.!]+$", "", key)
    words = key.split(" ")
    if len(words) > 1 and words[-1] in _CURRENCY_CODES:          # Value USD, Value in EUR
        words = words[:-2] if len(words) > 2 and words[-2] == "in" else words[:-1]
    return " ".join(words)


_SCALES = {"k": "thousands", "000": "thousands", "'000": "thousands", "000s": "thousands", "'000s": "thousands",
           "thousand": "thousands",
           "thousands": "thousands", "m": "millions", "mn": "millions", "mm": "millions", "million": "millions",
           "millions": "millions", "bn": "billions", "billion": "billions", "billions": "billions"}


def _amount_trouble(text: object, header: str, currency: str) -> str:
    """Why amounts under a decorated header cannot be added in as they are ("" when they can): another
    currency than the plan's (`Value (EUR)` in a USD plan) or a unit (`Value ($k)`, `Value (000s)`)."""
    own = set(match_key(header).split())
    tokens = [t for t in re.findall(r"'?[a-z0-9]+|[$€£¥₹]", match_key(text)) if t not in own]
    scale = next((_SCALES[t] for t in tokens if t in _SCALES), None)
    if scale:
        return f"'{text}' counts in {scale}"
    named = _currency_named(text)
    if named and named != currency:
        return f"'{text}' is in {named}, not the plan's {currency}"
    return ""


def _currency_named(text: object) -> str | None:
    """The ISO code a decorated header names (`Value (EUR)`, `Value €`), if any."""
    raw = str(text or "")
    for sign, code in _CURRENCY_SIGNS.items():
        if sign in raw:
            return code
    for word in re.findall(r"\b[A-Za-z]{3}\b", raw):
        if word.lower() in _CURRENCY_CODES:
            return word.upper()
    return None


ListKeys = dict[str, tuple[frozenset[str], frozenset[str]]]


def _list_keys(definition: schema.Definition) -> ListKeys:
    """table -> (its required headers, all its headers), as header_key reads them."""
    return {spec.table: (frozenset(header_key(c.header) for c in spec.required_columns),
                         frozenset(header_key(c.header) for c in spec.columns))
            for spec in definition.lists.values()}


class _Sheet:
    """An index over one worksheet's existing cells, built once; looking never creates a cell."""

    def __init__(self, ws: Any, list_keys: ListKeys):
        self.ws = ws
        self.list_keys = list_keys
        self.cells: dict[tuple[int, int], Any] = ws._cells
        by_row: dict[int, list[tuple[int, Any]]] = {}
        for (r, c), cell in self.cells.items():
            if cell.value is not None and cell.value != "":
                by_row.setdefault(r, []).append((c, cell))
        for entries in by_row.values():
            entries.sort(key=lambda e: e[0])
        self.by_row = by_row
        self.rows = sorted(by_row)            # rows holding any value, top to bottom
        self._heads: dict[int, frozenset[str]] = {}
        self._labels: dict[str, list[tuple[int, int]]] | None = None

    @property
    def last_row(self) -> int:
        return self.rows[-1] if self.rows else 0

    def rows_between(self, first: int, last: int) -> list[int]:
        return self.rows[bisect.bisect_left(self.rows, first):bisect.bisect_right(self.rows, last)]

    def cell(self, r: int, c: int) -> Any:
        return self.cells.get((r, c))

    def heads(self, r: int) -> frozenset[str]:
        """The lists whose header row row `r` looks like: every required header there, and at least
        half of the row's filled cells being the list's headers."""
        if r not in self._heads:
            entries = self.by_row.get(r, ())
            keys = {header_key(cell.value) for _, cell in entries if isinstance(cell.value, str)}
            found = set()
            if keys:
                for table, (required, known) in self.list_keys.items():
                    if required <= keys and 2 * len(known & keys) >= len(entries):
                        found.add(table)
            self._heads[r] = frozenset(found)
        return self._heads[r]

    def labels(self, key: str) -> list[tuple[int, int]]:
        """Where text reading `key` (as header_key reads it) sits on the sheet, as (row, column)."""
        if self._labels is None:
            self._labels = {}
            for r in self.rows:
                for c, cell in self.by_row[r]:
                    if isinstance(cell.value, str) and len(cell.value) <= 200:
                        self._labels.setdefault(header_key(cell.value), []).append((r, c))
        return self._labels.get(key, [])


class _Located:
    """Where a list was found: sheet, header row, column span, data end, and how it was found."""

    def __init__(self, sheet: _Sheet, header_row: int, min_col: int, max_col: int, table: Any = None,
                 recovered: bool = False):
        from openpyxl.utils import range_boundaries

        self.sheet, self.header_row, self.min_col, self.max_col = sheet, header_row, min_col, max_col
        self.table, self.recovered = table, recovered
        self.table_end = self.totals_from = None
        if table is not None:
            self.table_end = range_boundaries(table.ref)[3]
            totals = table.totalsRowCount or 0
            self.totals_from = self.table_end - totals + 1 if totals else None


class _Reader:
    """One pass over one workbook; holds the lazily loaded saved values of formula cells."""

    def __init__(self, path: Path, book: Any, data: bytes | None = None,
                 definition: schema.Definition = schema.DEFAULT_DEFINITION):
        self.path = path          # the file, or the name an upload is shown by
        self.data = data          # the upload's bytes, when there is no file
        self.book = book
        self.definition = definition
        self.list_keys = _list_keys(definition)
        self.used_tables: set[str] = set()        # lower-cased names of the tables read as a list
        self._saved_values = None
        self._sheets: dict[str, _Sheet] = {}
        self.found: list[findings.Finding] = []
        self.refused: dict[Place, str] = {}       # what was typed in each cell whose value was refused (an error)
        self.currency = schema.DEFAULT_CURRENCY   # the plan's, once its currency field is read
        self.names = self._defined_names()
        self.tables = self._tables()
        self.claimed = self._claimed_header_rows()

    def read(self) -> Plan:
        if not self._looks_like_a_plan():
            raise NotAnAccountPlanError(
                "this is not an account plan: it has none of the template's named cells or tables",
                hint="start from `accountplan new-template`", file=str(self.path))
        plan = Plan(file=str(self.path), template_version=self._template_version(), workbook=self.book,
                    definition=self.definition, origin=self._origin())
        for section in self.definition.sections:
            for index, item in enumerate(section.fields):
                self._read_field(plan, section, item, index)
            for spec in section.lists:
                self._read_list(plan, section, spec)
        plan.unknown_fields = self._unknown_fields()
        plan.unknown_lists = self._unknown_lists()
        plan.read_findings = self.found
        return plan

    def _looks_like_a_plan(self) -> bool:
        """One of the template's names or tables; or, where another program dropped them all, at least
        half of the template's section sheets."""
        if (set(self.names) | set(self.tables)) & {n.lower() for n in self.definition.names}:
            return True
        sheets = {match_key(name) for name in self.book.sheetnames}
        expected = {match_key(s.sheet) for s in self.definition.sections}
        return 2 * len(sheets & expected) >= len(expected)

    # Where things are ---------------------------------------------------------------------

    def _defined_names(self) -> dict[str, list[tuple[str | None, Any]]]:
        """Lower-cased name -> [(scope sheet or None for the workbook, DefinedName)], workbook scope first."""
        found: dict[str, list[tuple[str | None, Any]]] = {}
        for name, defined in self.book.defined_names.items():
            found.setdefault(name.lower(), []).append((None, defined))
        for ws in self.book.worksheets:
            for name, defined in ws.defined_names.items():
                found.setdefault(name.lower(), []).append((ws.title, defined))
        return found

    def _tables(self) -> dict[str, tuple[Any, Any]]:
        found = {}
        for ws in self.book.worksheets:
            for table in ws.tables.values():
                found.setdefault(table.displayName.lower(), (ws, table))
        return found

    def _claimed_header_rows(self) -> set[tuple[str, int]]:
        """Header rows of the definition's own tables: never taken for another list."""
        from openpyxl.utils import range_boundaries

        claimed = set()
        for table in self.definition.lists:
            if table.lower() in self.tables:
                ws, found = self.tables[table.lower()]
                claimed.add((ws.title, range_boundaries(found.ref)[1]))
        return claimed

    def _sheet(self, ws: Any) -> _Sheet:
        if ws.title not in self._sheets:
            self._sheets[ws.title] = _Sheet(ws, self.list_keys)
        return self._sheets[ws.title]

    def _section_sheet(self, section: schema.Section) -> Any:
        """The section's worksheet, by its name (ignoring case and spacing when not exact)."""
        exact = next((ws for ws in self.book.worksheets if ws.title == section.sheet), None)
        return exact or next((ws for ws in self.book.worksheets if match_key(ws.title) == match_key(section.sheet)),
                             None)

    def _template_version(self) -> str | None:
        where = self._named_cell(schema.TEMPLATE_VERSION_NAME)[0]
        if where is None:
            return None
        ws, coordinate = where
        value = self._value(ws._cells.get(_row_col(coordinate)))
        if value is None:
            return None
        version = str(value).strip()
        if _version_tuple(version) > _version_tuple(schema.TEMPLATE_VERSION):
            raise TemplateTooNewError(
                f"the template is version {version}, newer than this tool knows ({schema.TEMPLATE_VERSION})",
                hint="upgrade accountplan", file=str(self.path), sheet=ws.title, cell=coordinate)
        return version

    def _origin(self) -> Origin:
        """The kit the workbook records it was made with; no kit recorded is the built-in template."""
        kit, place = self._recorded(schema.KIT_NAME_NAME)
        version, _ = self._recorded(schema.KIT_VERSION_NAME)
        return Origin(kit, version, place if kit else None)

    def _recorded(self, name: str) -> tuple[str, Place | None]:
        """The text in the template's own named cell `name` ("" when blank or missing), and its place."""
        where = self._named_cell(name)[0]
        if where is None:
            return "", None
        ws, coordinate = where
        value = self._as_typed(ws._cells.get(_row_col(coordinate)))
        return ("" if value is None else " ".join(str(value).split())), Place(ws.title, coordinate)

    def _as_typed(self, cell: Any) -> Any:
        """A cell's value as the rep sees it, never refused: a formula saved without its value is its text."""
        try:
            value = self._value(cell)
        except _FormulaWithoutValue as formula:
            return str(formula)
        return _unescape(value) if isinstance(value, str) else value

    def _unknown_fields(self) -> dict[str, tuple[Place, Any]]:
        """Workbook-wide names of one cell that the definition does not know (another kit's fields), with
        what their cells hold."""
        known = {n.lower() for n in self.definition.names}
        found: dict[str, tuple[Place, Any]] = {}
        for key, entries in self.names.items():
            if key in known or key.startswith("_xlnm"):
                continue
            for scope, defined in entries:
                where = self._one_cell(defined) if scope is None and not defined.hidden else None
                if where is not None:
                    ws, coordinate = where
                    found[defined.name] = (Place(ws.title, coordinate),
                                           self._as_typed(ws._cells.get(_row_col(coordinate))))
                    break
        return found

    def _unknown_lists(self) -> dict[str, tuple[str, list[dict[str, Any]]]]:
        """Tables that the definition does not know and no list was read from (another kit's lists): their
        sheet, and their filled rows as {header: value}."""
        from openpyxl.utils import get_column_letter, range_boundaries

        known = {t.lower() for t in self.definition.lists} | self.used_tables
        found: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        for key, (ws, table) in self.tables.items():
            if key in known:
                continue
            try:
                min_col, min_row, max_col, max_row = range_boundaries(table.ref)
            except (TypeError, ValueError):
                continue
            sheet = self._sheet(ws)
            heads = {}
            for c in range(min_col, max_col + 1):
                head = sheet.cell(min_row, c)
                heads[c] = (" ".join(str(head.value).split()) if head is not None and head.value not in (None, "")
                            else get_column_letter(c))
            rows = []
            for r in sheet.rows_between(min_row + 1, max_row - (table.totalsRowCount or 0)):
                row = {heads[c]: self._as_typed(cell) for c, cell in sheet.by_row[r] if min_col <= c <= max_col}
                row = {head: value for head, value in row.items() if value not in (None, "")}
                if row:
                    rows.append(row)
            found[table.displayName] = (ws.title, rows)
        return found

    def _one_cell(self, defined: Any) -> tuple[Any, str] | None:
        """The single cell a defined name points at, on a sheet that exists; None if it does not."""
        try:
            destinations = [(sheet, cell.replace("$", "")) for sheet, cell in defined.destinations]
        except Exception:
            return None
        if len(destinations) != 1:
            return None
        sheet, cell = destinations[0]
        ws = next((ws for ws in self.book.worksheets if ws.title == sheet), None)   # not a chart sheet
        if ws is None or not re.fullmatch(r"[A-Z]{1,3}\d+", cell):
            return None
        return ws, cell

    def _named_cell(self, name: str, prefer_sheet: str | None = None):
        """(where, trouble, how): where is (ws, cell) or None; trouble is "" when the workbook-scoped name
        points at one cell, else what is wrong with it; how says which sheet-scoped name was used instead.

        A workbook-scoped name pointing at one cell on a sheet that exists wins; else a sheet-scoped name
        of the same name (Excel makes those when a sheet is copied), on `prefer_sheet` first.
        """
        entries = self.names.get(name.lower(), [])
        book = [d for scope, d in entries if scope is None]
        for defined in book:
            where = self._one_cell(defined)
            if where is not None:
                return where, "", ""
        trouble = f"points at {book[0].attr_text} instead of one cell" if book else "is missing from the workbook"
        scoped = sorted(((scope, d) for scope, d in entries if scope is not None),
                        key=lambda e: e[0] != prefer_sheet)
        for scope, defined in scoped:
            where = self._one_cell(defined)
            if where is not None:
                return where, trouble, f"only sheet '{scope}' defines it"
        return None, trouble, ""

    # Values -------------------------------------------------------------------------------

    def _value(self, cell: Any) -> Any:
        """The cell's value; for a formula, the value Excel saved with it (None if none was)."""
        if cell is None:
            return None
        value = cell.value
        if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=") and cell.data_type != "s"):
            saved = self._saved(cell.parent.title, cell.coordinate)
            if saved is None:
                raise _FormulaWithoutValue(str(value))
            return saved
        if hasattr(value, "text") and not isinstance(value, str):   # array formulas and the like
            raise _FormulaWithoutValue(str(getattr(value, "text", "")))
        return value

    def _saved(self, sheet: str, coordinate: str) -> Any:
        if self._saved_values is None:
            self._saved_values = _load(self.path, data_only=True, data=self.data)
        return self._saved_values[sheet][coordinate].value

    def _typed(self, kind: str, cell: Any, place: Place, label: str, choices: tuple, section: str) -> Any:
        """Read, clean and coerce one cell (None: a blank cell never written), recording any finding at its place."""
        try:
            raw = self._value(cell)
        except _FormulaWithoutValue as formula:
            self.found.append(findings.make(
                "formula-no-value", section, place, f"{label} is a formula ({formula}) saved without its value.",
                "Open the file in Excel, let it calculate, and save it again."))
            return None
        if isinstance(raw, str):
            raw, changes = clean_text(_unescape(raw))
            if changes:
                self.found.append(findings.make("text-cleaned", section, place,
                                                f"{label}: {', '.join(changes)}.", "Check the text in this cell."))
        number_format = (cell.number_format or "") if cell is not None else ""
        result = coerce(kind, raw, label, choices, number_format=number_format, currency=self.currency)
        if result.code:
            finding = findings.make(result.code, section, place, result.message, result.hint)
            self.found.append(finding)
            if finding.severity == findings.ERROR and result.value is None:
                self.refused[place] = fmt.as_typed(raw, number_format)
        return result.value

    # Fields -------------------------------------------------------------------------------

    def _read_field(self, plan: Plan, section: schema.Section, item: schema.Field, index: int) -> None:
        where, trouble, how = self._named_cell(item.name, section.sheet)
        if where is None:
            beside = self._beside_label(section, item, index)
            if beside is None:
                return self._field_not_found(plan, section, item, trouble)
            where, how = beside
        ws, coordinate = where
        place = Place(ws.title, coordinate)
        if trouble:
            self.found.append(findings.make(
                "name-recovered", section.name, place,
                f"The name {item.name} {trouble}; {how}: read {item.label} from {ws.title}!{coordinate}.",
                f"Name the cell {item.name} again (Formulas > Name Manager), so the plan does not depend on "
                "where it sits."))
        plan.places[item.name] = place
        plan.fields[item.name] = self._typed(item.kind, ws._cells.get(_row_col(coordinate)), place, item.label,
                                             item.choices, section.name)
        if place in self.refused:
            plan.typed[item.name] = self.refused[place]
        if item.kind == schema.CURRENCY and plan.fields[item.name]:
            self.currency = plan.fields[item.name]

    def _beside_label(self, section: schema.Section, item: schema.Field, index: int):
        """((ws, input cell), how) for the field's label on its section's sheet, or None.

        The template puts the label in column B and the input cell right of it; where the label is
        written more than once, the one nearest the template's own place is taken (never the sheet's
        title in A1, which may read like a label, e.g. 'Objective').
        """
        from .template import FIRST_FIELD_ROW, LABEL_COL

        ws = self._section_sheet(section)
        if ws is None:
            return None
        sheet = self._sheet(ws)
        spots = [(r, c) for r, c in sheet.labels(header_key(item.label)) if (r, c) != (1, 1)]
        if not spots:
            return None
        expected = (FIRST_FIELD_ROW + index, LABEL_COL)
        r, c = min(spots, key=lambda rc: (abs(rc[0] - expected[0]) + abs(rc[1] - expected[1]), rc))
        right = c + 1
        for block in ws.merged_cells.ranges:                 # a label merged over several columns
            if block.min_row <= r <= block.max_row and block.min_col <= c <= block.max_col:
                right = block.max_col + 1
                break
        return (ws, _coordinate(r, right)), f"its label '{sheet.cell(r, c).value}' is in {_coordinate(r, c)}"

    def _field_not_found(self, plan: Plan, section: schema.Section, item: schema.Field, trouble: str) -> None:
        if self._section_sheet(section) is not None:
            message = f"The name {item.name} {trouble}, and its label '{item.label}' is not on sheet '{section.sheet}'."
        else:
            message = f"The name {item.name} {trouble}, and there is no sheet '{section.sheet}' to find its label on."
        code = "name-broken" if trouble.startswith("points at") else "name-missing"
        self.found.append(findings.make(code, section.name, None, message,
                                        f"Name the {item.label} input cell {item.name} "
                                        "(Formulas > Name Manager), or start from a fresh template."))
        plan.not_found[item.name] = message

    # Lists --------------------------------------------------------------------------------

    def _read_list(self, plan: Plan, section: schema.Section, spec: schema.ListSpec) -> None:
        from openpyxl.utils import get_column_letter

        at = self._locate_list(section, spec)
        if at is None:
            where = self._section_sheet(section)
            sheet = f"sheet '{where.title}' or any other" if where is not None else "any sheet"
            message = (f"There is no table '{spec.table}' and no header row of it "
                       f"({', '.join(c.header for c in spec.required_columns)}) on {sheet}.")
            self.found.append(findings.make(
                "table-missing", section.name, None, message,
                f"Put the list back under its headers as an Excel table named {spec.table}, or start from a "
                "fresh template."))
            plan.not_found[spec.table] = message
            return
        sheet, ws = at.sheet, at.sheet.ws
        if at.table is not None:
            self.used_tables.add(at.table.displayName.lower())
        columns = self._columns(section, spec, at)
        columns = {c.attr: columns[c.attr] for c in spec.columns if c.attr in columns}   # in the list's order
        plan.tables[spec.table] = TablePlace(ws.title, at.header_row,
                                             {attr: get_column_letter(col) for attr, col in columns.items()})
        rows, last = self._read_rows(plan, section, spec, at, columns)
        plan.lists[spec.table] = rows
        if at.recovered:
            span = (f"{ws.title}!{get_column_letter(at.min_col)}{at.header_row}:"
                    f"{get_column_letter(at.max_col)}{max(last, at.header_row)}")
            if at.table is not None:
                message = (f"Read the {spec.table} list from the table '{at.table.displayName}' at {span}: "
                           f"the template's table is named {spec.table}.")
            else:
                message = f"Read the {spec.table} list from {span}: its Excel table is missing."
            self.found.append(findings.make(
                "table-recovered", section.name, Place(ws.title, _coordinate(at.header_row, at.min_col)), message,
                f"Make the list an Excel table named {spec.table} again (Insert > Table, then Table Design > "
                "Table Name)."))

    def _locate_list(self, section: schema.Section, spec: schema.ListSpec) -> _Located | None:
        """By table name; else by its header row, on the section's sheet first, then on any sheet."""
        from openpyxl.utils import range_boundaries

        entry = self.tables.get(spec.table.lower())
        if entry is not None:
            ws, table = entry
            min_col, header_row, max_col, _ = range_boundaries(table.ref)
            return _Located(self._sheet(ws), header_row, min_col, max_col, table)
        home = self._section_sheet(section)
        for ws in ([home] if home is not None else []) + [w for w in self.book.worksheets if w is not home]:
            sheet = self._sheet(ws)
            for r in sheet.rows:
                if spec.table in sheet.heads(r) and (ws.title, r) not in self.claimed:
                    self.claimed.add((ws.title, r))
                    return self._recovered_at(sheet, spec, r)
        return None

    def _recovered_at(self, sheet: _Sheet, spec: schema.ListSpec, r: int) -> _Located:
        """The list under header row `r`: the span of a table over it (one with another name), else the
        run of filled header cells around the list's own headers."""
        from openpyxl.utils import range_boundaries

        known = self.list_keys[spec.table][1]
        cols = [c for c, cell in sheet.by_row[r] if isinstance(cell.value, str) and header_key(cell.value) in known]
        for table in sheet.ws.tables.values():
            t_min_col, t_min_row, t_max_col, _ = range_boundaries(table.ref)
            if t_min_row == r and t_min_col <= max(cols) and t_max_col >= min(cols):
                return _Located(sheet, r, t_min_col, t_max_col, table, recovered=True)
        filled = {c for c, _ in sheet.by_row[r]}
        first, last = min(cols), max(cols)
        while first - 1 in filled:
            first -= 1
        while last + 1 in filled:
            last += 1
        return _Located(sheet, r, first, last, recovered=True)

    def _columns(self, section: schema.Section, spec: schema.ListSpec, at: _Located) -> dict[str, int]:
        """attr -> column of each schema column found in the header row, with a finding for each header
        found only without its decorations and for each column not found."""
        headers = [(c, at.sheet.cell(at.header_row, c).value) for c in range(at.min_col, at.max_col + 1)]
        headers = [(c, text) for c, text in headers if text not in (None, "")]
        columns: dict[str, int] = {}
        used: set[int] = set()
        for column in spec.columns:                       # as typed, ignoring case and spacing
            col = next((c for c, text in headers if c not in used and match_key(text) == match_key(column.header)),
                       None)
            if col is not None:
                columns[column.attr] = col
                used.add(col)
        refused: dict[str, str] = {}
        for column in spec.columns:                       # then without units and decorations
            if column.attr in columns:
                continue
            for c, text in headers:
                if c in used or header_key(text) != header_key(column.header):
                    continue
                trouble = _amount_trouble(text, column.header, self.currency) if column.kind == schema.MONEY else ""
                if trouble:
                    refused[column.attr] = trouble
                    continue
                columns[column.attr] = c
                used.add(c)
                self.found.append(findings.make(
                    "header-renamed", section.name, Place(at.sheet.ws.title, _coordinate(at.header_row, c)),
                    f"The {spec.table} column headed '{text}' was read as '{column.header}'.",
                    f"Head the column '{column.header}' as the template does."))
                break
        seen = ", ".join(str(text) for _, text in headers) or "none"
        where = Place(at.sheet.ws.title, _coordinate(at.header_row, at.min_col))
        for column in spec.columns:
            if column.attr in columns:
                continue
            why = f" it can add up: {refused[column.attr]}" if column.attr in refused else ""
            hint = (f"Type the amounts in full, in {self.currency}, under a column headed '{column.header}'."
                    if why else f"Head the column '{column.header}' as the template does, or add it"
                    + ("." if column.required else " if you use it."))
            if column.required:
                self.found.append(findings.make(
                    "required-column-missing", section.name, where,
                    f"The {spec.table} list has no '{column.header}' column{why} (headers: {seen}); "
                    f"no row can give its {column.header}.", hint))
            else:
                self.found.append(findings.make(
                    "column-missing", section.name, where,
                    f"The {spec.table} list has no '{column.header}' column{why} (headers: {seen}).", hint))
        return columns

    def _end(self, spec: schema.ListSpec, at: _Located) -> int:
        """The last row to read: the sheet's last used row, or the row before the next table or the next
        list's header row below (rows typed past a table's end are the list's: other programs do not grow
        tables)."""
        from openpyxl.utils import range_boundaries

        sheet = at.sheet
        start = at.table_end or at.header_row
        end = sheet.last_row
        for other in sheet.ws.tables.values():
            if other is at.table:
                continue
            o_min_col, o_min_row, o_max_col, _ = range_boundaries(other.ref)
            if o_min_row > start and o_min_col <= at.max_col and o_max_col >= at.min_col:
                end = min(end, o_min_row - 1)
        for r in sheet.rows_between(start + 1, end):
            heads = sheet.heads(r)
            if heads - {spec.table} and any(at.min_col <= c <= at.max_col for c, _ in sheet.by_row[r]):
                return r - 1
        return max(end, start)

    def _read_rows(self, plan: Plan, section: schema.Section, spec: schema.ListSpec, at: _Located,
                   columns: dict[str, int]) -> tuple[list, int]:
        """The list's rows (blank rows, Excel's totals row, repeated header rows and a rep's own totals
        line skipped), and the last row read."""
        sheet, ws = at.sheet, at.sheet.ws
        where = plan.tables[spec.table]
        money = [c.attr for c in spec.columns if c.kind == schema.MONEY and c.attr in columns]
        since = dict.fromkeys(money, 0.0)
        overall = dict.fromkeys(money, 0.0)
        seen: dict[tuple, int] = {}
        rows, last = [], at.header_row
        past = at.table_end or at.header_row
        for r in sheet.rows_between(at.header_row + 1, self._end(spec, at)):
            cells = [cell for c, cell in sheet.by_row[r] if at.min_col <= c <= at.max_col]
            if not cells:
                continue
            if at.totals_from is not None and at.totals_from <= r <= at.table_end:
                continue                                 # Excel's own Total Row: never data
            if r > past and spec.table in sheet.heads(r):
                continue                                 # the header row repeated below the list
            last = r
            mark = len(self.found)
            row = self._read_row(ws, spec, section.name, columns, r)
            if money and self._is_total(cells, columns, money, row, since, overall):
                del self.found[mark:]
                label = cells[0]
                self.found.append(findings.make(
                    "row-total-skipped", section.name, Place(ws.title, label.coordinate),
                    f"Row {r} ('{label.value}') adds up the rows above it: not read as one of the {spec.table}.",
                    "Leave totals out of the list: the plan's figures are added up for you."))
                since = dict.fromkeys(money, 0.0)
                continue
            for attr in money:
                amount = getattr(row, attr) or 0.0
                since[attr] += amount
                overall[attr] += amount
            rows.append(row)
            key = tuple(_raw(sheet.cell(r, col)) for col in columns.values())
            if any(v is not None for v in key) and not is_prefill(spec, row):
                if key in seen:
                    self.found.append(findings.make(
                        "row-duplicate", section.name, where.cell(spec.columns[0].attr, r),
                        f"Row {r} repeats row {seen[key]} of {spec.table}: both are counted.",
                        "Delete one of them if it was pasted twice."))
                else:
                    seen[key] = r
        return rows, last

    @staticmethod
    def _is_total(cells: list, columns: dict[str, int], money: list[str], row: Any, since: dict, overall: dict) -> bool:
        """A line whose first filled cell says Total (Subtotal, Sum, Grand total) and whose every amount is the
        sum of the rows above (since the last such line, or all of them) or a SUM/SUBTOTAL of its own column."""
        first = cells[0].value
        if not (isinstance(first, str) and TOTAL_WORDS.fullmatch(first.strip())):
            return False
        from openpyxl.utils import get_column_letter

        amounts = 0
        for attr in money:
            cell = next((c for c in cells if c.column == columns[attr]), None)
            if cell is None:
                continue
            amounts += 1
            if _sums_own_column(cell, get_column_letter(columns[attr])):
                continue
            value = getattr(row, attr)
            if value is None or not any(math.isclose(value, total, rel_tol=1e-9, abs_tol=0.01)
                                        for total in (since[attr], overall[attr])):
                return False
        return amounts > 0

    def _read_row(self, ws, spec: schema.ListSpec, section: str, columns: dict[str, int], r: int):
        sheet = self._sheet(ws)
        values, places = {}, {}
        for column in spec.columns:
            if column.attr not in columns:
                values[column.attr] = False if column.kind == schema.MARK else column.default
                continue
            place = Place(ws.title, _coordinate(r, columns[column.attr]))
            places[column.attr] = place
            value = self._typed(column.kind, sheet.cell(r, columns[column.attr]), place,
                                f"{column.header} (row {r})", column.choices, section)
            if value is None:
                value = False if column.kind == schema.MARK else column.default
            values[column.attr] = value
        typed = {attr: self.refused[place] for attr, place in places.items() if place in self.refused}
        return row_class(spec)(excel_row=r, places=places, typed=typed, **values)


def _sums_own_column(cell: Any, letter: str) -> bool:
    """=SUM(E9:E13), =SUBTOTAL(109,E9:E13): a formula adding up cells of its own column only."""
    if cell.data_type != "f" or not isinstance(cell.value, str):
        return False
    match = _SUM_FORMULA.fullmatch(cell.value)
    refs = _CELL_REF.findall(match.group(2)) if match else []
    return bool(refs) and all(ref == letter for ref in refs)


def _raw(cell: Any) -> Any:
    """A cell's typed content as compared between rows: text trimmed, blank as None."""
    if cell is None:
        return None
    value = cell.value
    if isinstance(value, str):
        value = value.strip() or None
    return value


def _coordinate(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


def _row_col(coordinate: str) -> tuple[int, int]:
    from openpyxl.utils import column_index_from_string

    letters = coordinate.rstrip("0123456789")
    return int(coordinate[len(letters):]), column_index_from_string(letters)


def _unescape(text: str) -> str:
    """Excel stores characters XML cannot hold as `_x0007_`; read them as the characters they are."""
    if "_x" not in text:
        return text
    from openpyxl.utils.escape import unescape

    return unescape(text)


class _FormulaWithoutValue(Exception):
    pass


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version)[:3]) or (0,)
